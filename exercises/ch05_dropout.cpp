// Chapter 5: dropout and batch normalisation. Your implementations of the
// functions declared in common/contracts/nn/dropout.hpp, nn/network.hpp and
// nn/batch_norm.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 5
//
// Hints are on demand, three per task: ./course hint ch05.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.

#include "nn/batch_norm.hpp"
#include "nn/core.hpp"
#include "nn/dropout.hpp"
#include "nn/network.hpp"

namespace nn {

arma::mat Dropout::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch05.1 Dropout::forward)
    // Task ch05.1: the forward pass of inverted dropout.
    // Contract: nn::Dropout::forward in common/contracts/nn/dropout.hpp
    // Shapes: input any -> the same; mask the same.
    // Hints: ./course hint ch05.1
    throw nn::NotImplemented("ch05.1 Dropout::forward");
    // END YOUR CODE
}

arma::mat Dropout::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch05.2 Dropout::backward)
    // Task ch05.2: the backward pass of dropout.
    // Contract: nn::Dropout::backward in common/contracts/nn/dropout.hpp
    // Shapes: output_gradient any -> the same.
    // Hints: ./course hint ch05.2
    throw nn::NotImplemented("ch05.2 Dropout::backward");
    // END YOUR CODE
}

void Sequential::set_training([[maybe_unused]] bool training) {
    // BEGIN YOUR CODE (ch05.3 Sequential::set_training)
    // Task ch05.3: training or evaluation mode for every layer.
    // Contract: nn::Sequential::set_training in common/contracts/nn/network.hpp
    // Shapes: none (sets a flag on every layer).
    // Hints: ./course hint ch05.3
    throw nn::NotImplemented("ch05.3 Sequential::set_training");
    // END YOUR CODE
}

// Legend for batch normalisation: F = features (rows), B = batch size (columns).

arma::mat BatchNorm::forward_training([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch05.4 BatchNorm::forward_training)
    // Task ch05.4: batch normalisation in training mode, with the batch's statistics.
    // Contract: nn::BatchNorm::forward_training in common/contracts/nn/batch_norm.hpp
    // Shapes: input F x B -> F x B; normalized F x B; std_deviation, running_* F x 1.
    // Hints: ./course hint ch05.4
    throw nn::NotImplemented("ch05.4 BatchNorm::forward_training");
    // END YOUR CODE
}

arma::mat BatchNorm::forward_evaluation([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch05.5 BatchNorm::forward_evaluation)
    // Task ch05.5: batch normalisation in evaluation mode, with the running averages.
    // Contract: nn::BatchNorm::forward_evaluation in common/contracts/nn/batch_norm.hpp
    // Shapes: input F x B -> F x B; normalized F x B; std_deviation F x 1.
    // Hints: ./course hint ch05.5
    throw nn::NotImplemented("ch05.5 BatchNorm::forward_evaluation");
    // END YOUR CODE
}

arma::mat BatchNorm::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch05.6 BatchNorm::backward)
    // Task ch05.6: the gradients of gamma, beta and the input.
    // Contract: nn::BatchNorm::backward in common/contracts/nn/batch_norm.hpp
    // Shapes: output_gradient F x B -> F x B; gamma_gradient, beta_gradient F x 1.
    // Hints: ./course hint ch05.6
    throw nn::NotImplemented("ch05.6 BatchNorm::backward");
    // END YOUR CODE
}

}  // namespace nn
