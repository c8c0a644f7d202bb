// Chapter 1: matrix operations. Your implementations of the functions
// declared in common/include/nn/matrix_ops.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check one task with:   ./course check 1
//
// Legend: D = pixels per image, N = samples, K = classes. One sample per column.
// New to Armadillo? Read the book's page "Armadillo in five minutes" first.

#include "nn/core.hpp"
#include "nn/matrix_ops.hpp"

namespace nn {

arma::mat one_hot([[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch01.1 one_hot)
    // Return a K x N matrix of zeros with a 1 at row labels[j] of column j.
    // First reject labels >= num_classes with std::invalid_argument.
    // Hint: arma::mat(K, N, arma::fill::zeros), then set one element per column.
    throw nn::NotImplemented("ch01.1 one_hot");
    // END YOUR CODE
}

arma::mat add_bias([[maybe_unused]] const arma::mat& z, [[maybe_unused]] const arma::vec& bias) {
    // BEGIN YOUR CODE (ch01.2 add_bias)
    // Return z with bias added to every column: z K x N, bias K.
    // Hint: a copy of z, then .each_col() += bias (no loop needed).
    throw nn::NotImplemented("ch01.2 add_bias");
    // END YOUR CODE
}

arma::uvec argmax_columns([[maybe_unused]] const arma::mat& scores) {
    // BEGIN YOUR CODE (ch01.3 argmax_columns)
    // For each column of scores (K x N), the row index of its largest value.
    // Hint: arma::index_max(m, 0) works along dimension 0 (down the columns);
    // it returns a 1 x N row: turn it into a column vector.
    throw nn::NotImplemented("ch01.3 argmax_columns");
    // END YOUR CODE
}

double accuracy([[maybe_unused]] const arma::uvec& predicted, [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch01.4 accuracy)
    // The fraction of positions where predicted equals labels.
    // Throw std::invalid_argument if the sizes differ or there are none.
    // Hint: (predicted == labels) is a vector of 0/1; arma::accu adds it up.
    throw nn::NotImplemented("ch01.4 accuracy");
    // END YOUR CODE
}

arma::mat class_means([[maybe_unused]] const arma::mat& images, [[maybe_unused]] const arma::uvec& labels,
                      [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch01.5 class_means)
    // M = X Y^T diag(1/n_k): images D x N, Y = one_hot(labels) K x N -> M D x K.
    // X * Y.t() sums the images of each class; arma::sum(Y, 1) counts them.
    // Divide each column by its count (a class with count 0 stays all zeros).
    throw nn::NotImplemented("ch01.5 class_means");
    // END YOUR CODE
}

arma::mat squared_distances([[maybe_unused]] const arma::mat& points, [[maybe_unused]] const arma::mat& centres) {
    // BEGIN YOUR CODE (ch01.6 squared_distances)
    // Entry (k, j) = ||x_j - c_k||^2 = ||c_k||^2 + ||x_j||^2 - 2 c_k . x_j.
    // points D x N, centres D x K -> K x N.
    // -2 * C.t() * X gives the cross terms (K x N); add the column norms
    // arma::sum(arma::square(C), 0) to every column (.each_col() after .t())
    // and those of X to every row (.each_row()); clamp at 0 with arma::clamp.
    throw nn::NotImplemented("ch01.6 squared_distances");
    // END YOUR CODE
}

}  // namespace nn
