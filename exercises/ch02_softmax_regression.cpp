// Chapter 2: softmax regression. Your implementations of the functions
// declared in common/include/nn/softmax.hpp and softmax_regression.hpp
// (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 2
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
    // P = exp(Z - m) / sum(exp(Z - m)) for each column, m = the column's max.
    // logits K x B -> K x B, every column sums to 1.
    // Hint: arma::max(Z, 0) is 1 x B; Z.each_row() -= it; arma::exp;
    // then .each_row() /= arma::sum(E, 0).
    throw nn::NotImplemented("ch02.1 softmax");
    // END YOUR CODE
}

double cross_entropy([[maybe_unused]] const arma::mat& logits, [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch02.2 cross_entropy)
    // Mean over the B columns of  m_j + log(sum_i exp(Z_ij - m_j)) - Z_{y_j, j}.
    // Never take log(softmax(Z)): a probability that underflows to 0 gives -inf.
    // Throw std::invalid_argument if labels.n_elem != B or a label >= K.
    // Hint: the true-class logits are Z.elem(labels + K * column index).
    throw nn::NotImplemented("ch02.2 cross_entropy");
    // END YOUR CODE
}

arma::mat cross_entropy_gradient([[maybe_unused]] const arma::mat& probabilities,
                                 [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch02.3 cross_entropy_gradient)
    // dL/dZ = (P - Y) / B, with Y the one-hot labels (K x B).
    // Throw std::invalid_argument if labels.n_elem != B or a label >= K.
    // Hint: copy P, subtract 1 at each column's true class, divide by B.
    throw nn::NotImplemented("ch02.3 cross_entropy_gradient");
    // END YOUR CODE
}

double sgd_step([[maybe_unused]] SoftmaxRegression& model, [[maybe_unused]] const arma::mat& images,
                [[maybe_unused]] const arma::uvec& labels, [[maybe_unused]] double learning_rate) {
    // BEGIN YOUR CODE (ch02.4 sgd_step)
    // Forward:  Z = model.logits(images) (K x B), loss = cross_entropy(Z, labels).
    // Backward: G = cross_entropy_gradient(softmax(Z), labels)   (K x B)
    //           dW = G * images.t()  (K x D),   db = arma::sum(G, 1)  (K)
    // Update:   W -= learning_rate * dW,   b -= learning_rate * db.
    // Return the loss computed before the update.
    throw nn::NotImplemented("ch02.4 sgd_step");
    // END YOUR CODE
}

double train_epoch([[maybe_unused]] SoftmaxRegression& model, [[maybe_unused]] const Dataset& train,
                   [[maybe_unused]] std::size_t batch_size, [[maybe_unused]] double learning_rate) {
    // BEGIN YOUR CODE (ch02.5 train_epoch)
    // for (const Batch& batch : MiniBatches(train, batch_size)) { ... sgd_step ... }
    // Return the mean loss per sample: add loss * batch.labels.n_elem for
    // every batch, then divide by train.size() (the last batch may be short).
    throw nn::NotImplemented("ch02.5 train_epoch");
    // END YOUR CODE
}

}  // namespace nn
