// Chapter 2: softmax regression. Your implementations of the functions
// declared in common/contracts/nn/softmax.hpp and softmax_regression.hpp
// (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 2
//
// Hints are on demand, three per task: ./course hint ch02.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// Legend: D = input size (784), K = classes (10), B = batch size.
// One sample per column: logits and probabilities are K x B.

#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/softmax.hpp"
#include "nn/softmax_regression.hpp"

namespace nn {

arma::mat softmax([[maybe_unused]] const arma::mat& logits) {
    // BEGIN YOUR CODE (ch02.1 softmax)
    // Task ch02.1: the softmax of each column, stable for large logits.
    // Contract: nn::softmax in common/contracts/nn/softmax.hpp
    // Shapes: logits K x B -> K x B.
    // Hints: ./course hint ch02.1
    throw nn::NotImplemented("ch02.1 softmax");
    // END YOUR CODE
}

double cross_entropy([[maybe_unused]] const arma::mat& logits, [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch02.2 cross_entropy)
    // Task ch02.2: the mean cross-entropy of a batch, from the logits.
    // Contract: nn::cross_entropy in common/contracts/nn/softmax.hpp
    // Shapes: logits K x B, labels B -> a number.
    // Hints: ./course hint ch02.2
    throw nn::NotImplemented("ch02.2 cross_entropy");
    // END YOUR CODE
}

arma::mat cross_entropy_gradient([[maybe_unused]] const arma::mat& probabilities,
                                 [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch02.3 cross_entropy_gradient)
    // Task ch02.3: the gradient of the mean cross-entropy with respect to the logits.
    // Contract: nn::cross_entropy_gradient in common/contracts/nn/softmax.hpp
    // Shapes: probabilities K x B, labels B -> K x B.
    // Hints: ./course hint ch02.3
    throw nn::NotImplemented("ch02.3 cross_entropy_gradient");
    // END YOUR CODE
}

double sgd_step([[maybe_unused]] SoftmaxRegression& model, [[maybe_unused]] const arma::mat& images,
                [[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] double learning_rate) {
    // BEGIN YOUR CODE (ch02.4 sgd_step)
    // Task ch02.4: one SGD step of softmax regression on one batch.
    // Contract: nn::sgd_step in common/contracts/nn/softmax_regression.hpp
    // Shapes: W K x D, b K, images D x B, labels B -> the loss.
    // Hints: ./course hint ch02.4
    throw nn::NotImplemented("ch02.4 sgd_step");
    // END YOUR CODE
}

double sgd_epoch([[maybe_unused]] SoftmaxRegression& model, [[maybe_unused]] const Dataset& train,
                 [[maybe_unused]] std::size_t batch_size, [[maybe_unused]] double learning_rate) {
    // BEGIN YOUR CODE (ch02.5 sgd_epoch)
    // Task ch02.5: one epoch of mini-batch SGD.
    // Contract: nn::sgd_epoch in common/contracts/nn/softmax_regression.hpp
    // Shapes: train.images D x N, train.labels N -> the mean loss.
    // Hints: ./course hint ch02.5
    throw nn::NotImplemented("ch02.5 sgd_epoch");
    // END YOUR CODE
}

}  // namespace nn
