// Chapter 4: backpropagation and gradient checking. Your implementations of
// the functions declared in common/contracts/nn/network.hpp (read the
// contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 4
//
// Hints are on demand, three per task: ./course hint ch04.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// Legend: D = input size, K = classes, B = batch size. One sample per column.

#include "nn/core.hpp"
#include "nn/network.hpp"

namespace nn {

arma::mat Sequential::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch04.1 Sequential::forward)
    // Task ch04.1: the forward pass through every layer.
    // Contract: nn::Sequential::forward in common/contracts/nn/network.hpp
    // Shapes: input D x B -> K x B.
    // Hints: ./course hint ch04.1
    throw nn::NotImplemented("ch04.1 Sequential::forward");
    // END YOUR CODE
}

arma::mat Sequential::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch04.2 Sequential::backward)
    // Task ch04.2: the backward pass through every layer.
    // Contract: nn::Sequential::backward in common/contracts/nn/network.hpp
    // Shapes: output_gradient K x B -> D x B.
    // Hints: ./course hint ch04.2
    throw nn::NotImplemented("ch04.2 Sequential::backward");
    // END YOUR CODE
}

arma::mat numerical_gradient([[maybe_unused]] const std::function<double()>& f, [[maybe_unused]] arma::mat& x,
                             [[maybe_unused]] double h) {
    // BEGIN YOUR CODE (ch04.3 numerical_gradient)
    // Task ch04.3: the numerical gradient by central differences.
    // Contract: nn::numerical_gradient in common/contracts/nn/network.hpp
    // Shapes: x any -> the same; x unchanged on return.
    // Hints: ./course hint ch04.3
    throw nn::NotImplemented("ch04.3 numerical_gradient");
    // END YOUR CODE
}

RelativeError relative_error([[maybe_unused]] const arma::mat& analytic, [[maybe_unused]] const arma::mat& numeric) {
    // BEGIN YOUR CODE (ch04.4 relative_error)
    // Task ch04.4: the largest relative error between two gradients, and where.
    // Contract: nn::relative_error in common/contracts/nn/network.hpp
    // Shapes: analytic, numeric the same shape -> value, row, col.
    // Hints: ./course hint ch04.4
    throw nn::NotImplemented("ch04.4 relative_error");
    // END YOUR CODE
}

std::vector<GradientCheck> gradient_check([[maybe_unused]] Sequential& network,
                                          [[maybe_unused]] const arma::mat& inputs,
                                          [[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] double h) {
    // BEGIN YOUR CODE (ch04.5 gradient_check)
    // Task ch04.5: a gradient check of every parameter and of the input.
    // Contract: nn::gradient_check in common/contracts/nn/network.hpp
    // Shapes: inputs D x B, labels B -> one row per parameter, then input.
    // Hints: ./course hint ch04.5
    throw nn::NotImplemented("ch04.5 gradient_check");
    // END YOUR CODE
}

}  // namespace nn
