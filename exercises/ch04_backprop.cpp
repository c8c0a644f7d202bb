// Chapter 4: backpropagation and gradient checking. Your implementations of
// the functions declared in common/include/nn/network.hpp (read the
// contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 4
//
// Legend: D = input size, K = classes, B = batch size. One sample per column.

#include "nn/core.hpp"
#include "nn/network.hpp"

namespace nn {

arma::mat Sequential::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch04.1 Sequential::forward)
    // Feed the input through layers_ in order (each layer's forward() takes
    // the previous output) and return the last output.
    throw nn::NotImplemented("ch04.1 Sequential::forward");
    // END YOUR CODE
}

arma::mat Sequential::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch04.2 Sequential::backward)
    // Feed the gradient through layers_ in REVERSE order (each layer's
    // backward() takes the gradient the layer above returned) and return the
    // last result, dL/dX. Hint: for (auto it = layers_.rbegin(); ...).
    throw nn::NotImplemented("ch04.2 Sequential::backward");
    // END YOUR CODE
}

arma::mat numerical_gradient([[maybe_unused]] const std::function<double()>& f, [[maybe_unused]] arma::mat& x,
                             [[maybe_unused]] double h) {
    // BEGIN YOUR CODE (ch04.3 numerical_gradient)
    // For each element i of x: save it, set x[i] = saved + h and evaluate f(),
    // set x[i] = saved - h and evaluate f(), restore x[i] = saved, and store
    // (f_plus - f_minus) / (2h) at position i of the result (same shape as x).
    throw nn::NotImplemented("ch04.3 numerical_gradient");
    // END YOUR CODE
}

RelativeError relative_error([[maybe_unused]] const arma::mat& analytic, [[maybe_unused]] const arma::mat& numeric) {
    // BEGIN YOUR CODE (ch04.4 relative_error)
    // Reject different shapes with std::invalid_argument. Element-wise
    // e = |a - n| / max(1e-8, |a| + |n|); return its maximum and the (row, col)
    // where it occurs. Hint: arma::index_max(e) gives a linear index i;
    // row = i % n_rows, col = i / n_rows.
    throw nn::NotImplemented("ch04.4 relative_error");
    // END YOUR CODE
}

std::vector<GradientCheck> gradient_check([[maybe_unused]] Sequential& network,
                                          [[maybe_unused]] const arma::mat& inputs,
                                          [[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] double h) {
    // BEGIN YOUR CODE (ch04.5 gradient_check)
    // 1. Analytic: auto [loss, g] = loss_gradient(network.forward(inputs), labels);
    //    dX = network.backward(g). Copy each parameter's *gradient now: later
    //    forward passes do not change them, but keep them safe anyway.
    // 2. The loss as a function of the current state:
    //    auto loss = [&] { return cross_entropy(network.forward(x), labels); }
    //    with x a copy of inputs (include "nn/softmax.hpp").
    // 3. For each parameter p: numeric = numerical_gradient(loss, *p.value, h);
    //    compare with relative_error; push {p.name, error, analytic(row, col),
    //    numeric(row, col)}. Finally the same for x, named "input".
    throw nn::NotImplemented("ch04.5 gradient_check");
    // END YOUR CODE
}

}  // namespace nn
