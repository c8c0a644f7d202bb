// Chapter 1: matrix operations. Your implementations of the functions
// declared in common/contracts/nn/matrix_ops.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 1
//
// Hints are on demand, three per task: ./course hint ch01.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// Legend: D = pixels per image, N = samples, K = classes. One sample per column.
// New to Armadillo? Read the book's page "Armadillo in five minutes" first.

#include "nn/core.hpp"
#include "nn/matrix_ops.hpp"

namespace nn {

arma::mat one_hot([[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch01.1 one_hot)
    // Task ch01.1: the labels as one-hot columns.
    // Contract: nn::one_hot in common/contracts/nn/matrix_ops.hpp
    // Shapes: labels N -> K x N.
    // Hints: ./course hint ch01.1
    throw nn::NotImplemented("ch01.1 one_hot");
    // END YOUR CODE
}

arma::mat add_bias([[maybe_unused]] const arma::mat& z, [[maybe_unused]] const arma::vec& bias) {
    // BEGIN YOUR CODE (ch01.2 add_bias)
    // Task ch01.2: a bias added to every column.
    // Contract: nn::add_bias in common/contracts/nn/matrix_ops.hpp
    // Shapes: z K x N, bias K -> K x N.
    // Hints: ./course hint ch01.2
    throw nn::NotImplemented("ch01.2 add_bias");
    // END YOUR CODE
}

arma::uvec argmax_columns([[maybe_unused]] const arma::mat& scores) {
    // BEGIN YOUR CODE (ch01.3 argmax_columns)
    // Task ch01.3: the row of the largest score in each column.
    // Contract: nn::argmax_columns in common/contracts/nn/matrix_ops.hpp
    // Shapes: scores K x N -> N.
    // Hints: ./course hint ch01.3
    throw nn::NotImplemented("ch01.3 argmax_columns");
    // END YOUR CODE
}

double accuracy([[maybe_unused]] const arma::uvec& predicted, [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch01.4 accuracy)
    // Task ch01.4: the fraction of correct predictions.
    // Contract: nn::accuracy in common/contracts/nn/matrix_ops.hpp
    // Shapes: predicted N, labels N -> a number in [0, 1].
    // Hints: ./course hint ch01.4
    throw nn::NotImplemented("ch01.4 accuracy");
    // END YOUR CODE
}

arma::mat class_means([[maybe_unused]] const arma::mat& images, [[maybe_unused]] const arma::uvec& labels,
                      [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch01.5 class_means)
    // Task ch01.5: the mean image of each class, without a loop over samples.
    // Contract: nn::class_means in common/contracts/nn/matrix_ops.hpp
    // Shapes: images D x N, labels N -> D x K.
    // Hints: ./course hint ch01.5
    throw nn::NotImplemented("ch01.5 class_means");
    // END YOUR CODE
}

arma::mat squared_distances([[maybe_unused]] const arma::mat& points, [[maybe_unused]] const arma::mat& centres) {
    // BEGIN YOUR CODE (ch01.6 squared_distances)
    // Task ch01.6: all squared distances, without a loop over points.
    // Contract: nn::squared_distances in common/contracts/nn/matrix_ops.hpp
    // Shapes: points D x N, centres D x K -> K x N.
    // Hints: ./course hint ch01.6
    throw nn::NotImplemented("ch01.6 squared_distances");
    // END YOUR CODE
}

}  // namespace nn
