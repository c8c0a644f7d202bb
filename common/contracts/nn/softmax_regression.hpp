/// \file
/// \brief Chapter 2: softmax regression (a linear classifier, 784 -> 10)
/// trained with mini-batch stochastic gradient descent.
///
/// Legend: D = input size (784), K = number of classes (10), B = batch size.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <cstddef>

#include "nn/dataset.hpp"

namespace nn {

/// \brief The model: logits \f$Z = W X + b\f$, probabilities softmax(Z).
/// \ingroup course
struct SoftmaxRegression {
    arma::mat weights;  ///< W, K x D
    arma::vec bias;     ///< b, K

    /// A model of zeros: every class equally likely (the loss is convex, so
    /// zero is a fine start).
    SoftmaxRegression(arma::uword inputs, arma::uword classes)
        : weights(classes, inputs, arma::fill::zeros), bias(classes, arma::fill::zeros) {}

    /// \return the logits W X + b, K x B, for inputs X (D x B).
    arma::mat logits(const arma::mat& inputs) const {
        arma::mat z = weights * inputs;
        z.each_col() += bias;
        return z;
    }
};

/// \brief **Task ch02.4**: one step of stochastic gradient descent on one batch.
///
/// Forward: \f$Z = W X + b\f$, \f$P = \mathrm{softmax}(Z)\f$, loss L = cross_entropy(Z, y).
/// Backward, with \f$G = \partial L/\partial Z = (P - Y)/B\f$:
/// \f[ \frac{\partial L}{\partial W} = G X^\top, \qquad
///     \frac{\partial L}{\partial b} = G\,\mathbf{1} \;(\text{row sums of } G) \f]
/// Update: \f$W \leftarrow W - \eta\,\partial L/\partial W\f$,
/// \f$b \leftarrow b - \eta\,\partial L/\partial b\f$.
///
/// Shapes: W K x D, b K, images D x B, labels B, G K x B.
///
/// Introduced in \ref ch02_softmax_regression.
///
/// \param model updated in place.
/// \param images the batch, one sample per column.
/// \param labels the batch's classes.
/// \param learning_rate \f$\eta > 0\f$.
/// \return the batch's mean loss before the update.
double sgd_step(SoftmaxRegression& model, const arma::mat& images, const arma::uvec& labels, double learning_rate);

/// \brief **Task ch02.5**: one epoch of mini-batch SGD: every training sample
/// used once, in a fresh random order (nn::MiniBatches), one sgd_step() per batch.
///
/// Introduced in \ref ch02_softmax_regression.
///
/// \return the mean loss over all N samples: each batch's loss weighted by its
/// size, so a short last batch counts for what it holds:
/// \f$\frac{1}{N}\sum_{\text{batches}} B_t L_t\f$.
/// \param model updated in place.
/// \param train the training samples.
/// \param batch_size B >= 1.
/// \param learning_rate \f$\eta > 0\f$.
double sgd_epoch(SoftmaxRegression& model, const Dataset& train, std::size_t batch_size, double learning_rate);

}  // namespace nn
