/// \file
/// \brief Chapter 4: a network as a stack of layers, and the tools that prove
/// its gradients right: the central-difference numerical gradient, the
/// relative error, and a gradient check of every parameter and of the input.
///
/// Legend: D = input size, K = number of classes, B = batch size.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nn/layers.hpp"

namespace nn {

/// \brief Layers applied one after the other; the last one outputs logits
/// (the softmax and the loss are applied outside, see loss_gradient()).
/// \ingroup course
class Sequential {
public:
    /// An empty network.
    Sequential() = default;
    /// Takes over another network's layers.
    Sequential(Sequential&&) = default;
    /// Takes over another network's layers. \return this network.
    Sequential& operator=(Sequential&&) = default;

    /// \brief Appends a layer. \return the layer, for further set-up.
    template <typename L>
    L& add(std::unique_ptr<L> layer) {
        L& ref = *layer;
        layers_.push_back(std::move(layer));
        return ref;
    }

    /// \brief **Task ch04.1**: the forward pass through every layer in order.
    ///
    /// \f[ X_0 = X, \qquad X_\ell = f_\ell(X_{\ell-1}) \quad (\ell = 1, \dots, \Lambda), \qquad \text{output }
    /// X_\Lambda \f] for the \f$\Lambda\f$ layers \f$f_\ell\f$ in order (an activation is a layer). Shapes: input D x B
    /// -> output K x B (the last layer's outputs).
    ///
    /// Introduced in \ref ch04_backprop.
    ///
    /// \param input X, one sample per column.
    /// \return the output of the last layer (the input itself if there are no layers).
    arma::mat forward(const arma::mat& input);

    /// \brief **Task ch04.2**: the backward pass through every layer in
    /// reverse order (the chain rule).
    ///
    /// \f[ G_{X_\Lambda} = \frac{\partial L}{\partial X_\Lambda}, \qquad
    ///     G_{X_{\ell-1}} = \mathrm{backward}_\ell\big(G_{X_\ell}\big), \qquad \text{result } G_{X_0} = \frac{\partial
    ///     L}{\partial X} \f]
    /// Each layer stores its parameter gradients on the way.
    /// Shapes: output_gradient K x B -> D x B.
    ///
    /// Introduced in \ref ch04_backprop.
    ///
    /// \param output_gradient \f$G_{X_\Lambda} = \partial L/\partial X_\Lambda\f$, the
    /// gradient with respect to the last layer's output (the logits).
    /// \return \f$G_X = \partial L/\partial X\f$.
    arma::mat backward(const arma::mat& output_gradient);

    /// \brief **Task ch05.3**: switches every layer between training
    /// (`true`) and evaluation (`false`) mode: dropout on or off, batch
    /// normalisation with the batch's statistics or the running averages.
    ///
    /// Introduced in \ref ch05_dropout.
    ///
    /// \param training the mode for every layer.
    void set_training(bool training);

    /// \return every parameter of every layer with its gradient, named
    /// `<kind><n>.<name>` where n counts layers of that kind from 1, e.g.
    /// `dense1.weights`, `dense2.bias`.
    std::vector<Parameter> parameters();

    /// \return the number of layers.
    std::size_t size() const { return layers_.size(); }
    /// \return layer \p index (0-based).
    Layer& layer(std::size_t index) { return *layers_.at(index); }
    /// \return a one-line description, e.g. `dense(784->128) relu dense(128->10)`.
    std::string describe() const;

private:
    std::vector<std::unique_ptr<Layer>> layers_;
};

/// \brief A multilayer perceptron: dense layers of the given sizes with the
/// activation between them (none after the last), each dense layer
/// initialised for its activation (He for relu, He with the leaky gain for
/// leaky_relu, Xavier for sigmoid and tanh; the output layer as for the hidden
/// activation: see nn::make_dense()).
/// With \p dropout above 0, an nn::Dropout layer (chapter 5) follows every
/// hidden activation.
/// \param sizes layer widths from input to output, e.g. {784, 128, 64, 10}.
/// \param activation `relu`, `sigmoid`, `tanh` or `leaky_relu`.
/// \param dropout drop probability after each hidden layer, 0 for none.
Sequential make_mlp(const std::vector<arma::uword>& sizes, const std::string& activation, double dropout = 0.0);

/// \brief The mean softmax cross-entropy of \p logits and its gradient with
/// respect to them, (P - Y)/B: the start of every backward pass.
/// \param logits K x B network outputs; \param labels B classes.
/// \return the loss and the K x B gradient.
std::pair<double, arma::mat> loss_gradient(const arma::mat& logits, const arma::uvec& labels);

/// \brief **Task ch04.3**: the numerical gradient of a scalar function of a
/// matrix by central differences.
///
/// \f[ \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h} \f]
/// (error \f$O(h^2)\f$). The function reads \p x through whatever it has
/// captured (a layer's weights, the network's input), so \p x is changed in
/// place, one element at a time, and each element is restored exactly
/// before the next.
/// Shapes: x any -> the same.
///
/// Introduced in \ref ch04_backprop.
///
/// \param f the scalar function, evaluated with the current contents of \p x.
/// \param x the point; unchanged on return.
/// \param h the step.
arma::mat numerical_gradient(const std::function<double()>& f, arma::mat& x, double h = 1e-5);

/// \brief The largest relative error between two gradients and where it is.
/// \ingroup course
struct RelativeError {
    double value = 0.0;   ///< max over elements
    arma::uword row = 0;  ///< row of the largest error
    arma::uword col = 0;  ///< column of the largest error
};

/// \brief **Task ch04.4**: the relative error of an analytic gradient against
/// a numerical one, element-wise, and its maximum.
///
/// \f[ e_i = \frac{|a_i - n_i|}{\max(10^{-8},\, |a_i| + |n_i|)}, \qquad
///     \text{value} = \max_i e_i \f]
/// Where several elements share the maximum, report the first in
/// column-major order. Empty matrices have error 0 at (0, 0).
/// Shapes: analytic and numeric the same shape.
///
/// Introduced in \ref ch04_backprop.
///
/// \throws std::invalid_argument if the shapes differ.
RelativeError relative_error(const arma::mat& analytic, const arma::mat& numeric);

/// \brief One row of a gradient check: a named parameter (or `input`) and
/// how far its analytic gradient is from the numerical one.
/// \ingroup course
struct GradientCheck {
    std::string name;       ///< parameter name, or `input` for \f$\partial L/\partial X\f$
    RelativeError error;    ///< the largest relative error and where
    double analytic = 0.0;  ///< the analytic gradient there
    double numeric = 0.0;   ///< the numerical gradient there
};

/// \brief **Task ch04.5**: checks the gradient of every parameter of
/// \p network, and of its input, against central differences.
///
/// The loss is the mean softmax cross-entropy of the network's output:
/// \f$L = \mathrm{cross\_entropy}(\mathrm{network}(X), y)\f$. One forward
/// and backward pass gives the analytic gradients; numerical_gradient()
/// of L gives the numeric ones; relative_error() compares them.
///
/// Introduced in \ref ch04_backprop.
///
/// \param network the network (its parameters are restored on return).
/// \param inputs X, D x B (a copy is perturbed for the input check).
/// \param labels B classes.
/// \param h the step of the central differences.
/// \return one row per parameter in parameters() order, then `input`.
std::vector<GradientCheck> gradient_check(Sequential& network, const arma::mat& inputs, const arma::uvec& labels,
                                          double h = 1e-5);

/// \brief Prints a gradient-check table: parameter, shape, largest relative
/// error, where, the two gradients there, and `ok` or `WRONG` against
/// \p tolerance.
/// \param out where to print; \param rows from gradient_check();
/// \param network the checked network (for the shapes); \param tolerance the bar.
/// \return whether every row is below the tolerance.
bool print_gradient_checks(std::ostream& out, const std::vector<GradientCheck>& rows, Sequential& network,
                           double tolerance);

}  // namespace nn
