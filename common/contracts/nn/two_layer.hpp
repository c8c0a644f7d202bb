/// \file
/// \brief Chapter 3: the loss and every gradient of a network with one hidden
/// layer, computed by hand in one function, without layer objects.
///
/// Legend: D = input size, H = hidden units, K = classes, B = batch size.
/// One sample per column; a weight matrix is out x in.
///
/// \ingroup course
#pragma once

#include <armadillo>

namespace nn {

/// \brief What two_layer_loss_and_gradients() returns: the loss and its
/// gradient with respect to each of the four parameters, each of the shape of
/// its parameter.
/// \ingroup course
struct TwoLayerGradients {
    double loss = 0.0;                  ///< L, the mean cross-entropy of the batch
    arma::mat hidden_weights_gradient;  ///< \f$\partial L/\partial W_1\f$, H x D
    arma::vec hidden_bias_gradient;     ///< \f$\partial L/\partial b_1\f$, H
    arma::mat output_weights_gradient;  ///< \f$\partial L/\partial W_2\f$, K x H
    arma::vec output_bias_gradient;     ///< \f$\partial L/\partial b_2\f$, K
};

/// \brief **Task ch03.9**: the loss and all four gradients of a two-layer
/// ReLU network, forward and backward in one function.
///
/// Forward, for a batch X of B samples with classes \f$t_j\f$:
/// \f[ Z_1 = W_1 X + b_1 \mathbf{1}^\top, \quad A_1 = \mathrm{relu}(Z_1), \quad
///     Z_2 = W_2 A_1 + b_2 \mathbf{1}^\top, \quad
///     L = -\frac{1}{B} \sum_{j=1}^{B} \log \mathrm{softmax}(Z_2)_{t_j j}. \f]
/// Backward, from the loss down, with \f$P = \mathrm{softmax}(Z_2)\f$ and Y
/// the one-hot labels:
/// \f[ \frac{\partial L}{\partial Z_2} = \frac{1}{B}(P - Y), \qquad
///     \frac{\partial L}{\partial W_2} = \frac{\partial L}{\partial Z_2} A_1^\top, \qquad
///     \frac{\partial L}{\partial b_2} = \frac{\partial L}{\partial Z_2}\,\mathbf{1}, \f]
/// \f[ \frac{\partial L}{\partial Z_1} = \Big(W_2^\top \frac{\partial L}{\partial Z_2}\Big) \odot [\,Z_1 > 0\,], \qquad
///     \frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial Z_1} X^\top, \qquad
///     \frac{\partial L}{\partial b_1} = \frac{\partial L}{\partial Z_1}\,\mathbf{1}. \f]
///
/// Use chapter 2's softmax(), cross_entropy() and cross_entropy_gradient(),
/// and this chapter's relu() and relu_backward(): no layer objects. The
/// derivation, with a worked example, is in \ref ch03_by_hand.
///
/// Shapes: hidden_weights H x D, hidden_bias H, output_weights K x H,
/// output_bias K, images D x B, labels B -> gradients of the same shapes as
/// the parameters (D = input size, H = hidden units, K = classes,
/// B = batch size).
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param hidden_weights \f$W_1\f$, the hidden layer's weights.
/// \param hidden_bias \f$b_1\f$, the hidden layer's bias.
/// \param output_weights \f$W_2\f$, the output layer's weights.
/// \param output_bias \f$b_2\f$, the output layer's bias.
/// \param images X, one sample per column.
/// \param labels the B true classes \f$t_j\f$, each below K.
/// \return the mean loss of the batch and the four gradients.
/// \throws std::invalid_argument if the shapes do not fit together (the
/// columns of \f$W_1\f$ and the rows of X, \f$b_1\f$ and the rows of
/// \f$W_1\f$, the columns of \f$W_2\f$ and the rows of \f$W_1\f$, \f$b_2\f$ and
/// the rows of \f$W_2\f$, the labels and the columns of X), if the batch is
/// empty, or if a label is K or more.
TwoLayerGradients two_layer_loss_and_gradients(const arma::mat& hidden_weights, const arma::vec& hidden_bias,
                                               const arma::mat& output_weights, const arma::vec& output_bias,
                                               const arma::mat& images, const arma::uvec& labels);

}  // namespace nn
