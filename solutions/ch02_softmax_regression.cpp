// Chapter 2 reference solutions: see common/contracts/nn/softmax.hpp and
// common/contracts/nn/softmax_regression.hpp.
// Legend: D = input size, K = classes, B = batch size. One sample per column.

#include <stdexcept>
#include <string>

#include "nn/dataset.hpp"
#include "nn/softmax.hpp"
#include "nn/softmax_regression.hpp"

namespace nn {
namespace {

// Linear indices of each column's true-class entry in a K x B matrix.
arma::uvec true_class_indices(const arma::mat& m, const arma::uvec& labels, const char* where) {
    if (labels.n_elem != m.n_cols)
        throw std::invalid_argument(std::string(where) + ": " + std::to_string(labels.n_elem) + " labels for " +
                                    std::to_string(m.n_cols) + " columns");
    if (!labels.is_empty() && labels.max() >= m.n_rows)
        throw std::invalid_argument(std::string(where) + ": label " + std::to_string(labels.max()) +
                                    " is not below the number of classes " + std::to_string(m.n_rows));
    if (labels.is_empty()) return {};
    return labels + m.n_rows * arma::regspace<arma::uvec>(0, labels.n_elem - 1);
}

}  // namespace

arma::mat softmax(const arma::mat& logits) {
    // BEGIN SOLUTION (ch02.1 softmax)
    arma::mat p = logits;
    p.each_row() -= arma::max(logits, 0);  // every exponent <= 0: no overflow
    p = arma::exp(p);
    p.each_row() /= arma::sum(p, 0);
    return p;
    // END SOLUTION
}

double cross_entropy(const arma::mat& logits, const arma::uvec& labels) {
    // BEGIN SOLUTION (ch02.2 cross_entropy)
    const arma::uvec truth = true_class_indices(logits, labels, "cross_entropy");
    if (labels.is_empty()) throw std::invalid_argument("cross_entropy: an empty batch has no mean loss");
    const arma::rowvec m = arma::max(logits, 0);
    arma::mat shifted = logits;
    shifted.each_row() -= m;
    const arma::rowvec log_sum_exp = m + arma::log(arma::sum(arma::exp(shifted), 0));
    return arma::mean(log_sum_exp.t() - logits.elem(truth));
    // END SOLUTION
}

arma::mat cross_entropy_gradient(const arma::mat& probabilities, const arma::uvec& labels) {
    // BEGIN SOLUTION (ch02.3 cross_entropy_gradient)
    const arma::uvec truth = true_class_indices(probabilities, labels, "cross_entropy_gradient");
    arma::mat g = probabilities;
    g.elem(truth) -= 1.0;
    return g / static_cast<double>(labels.n_elem);
    // END SOLUTION
}

double sgd_step(SoftmaxRegression& model, const arma::mat& images, const arma::uvec& labels, double learning_rate) {
    // BEGIN SOLUTION (ch02.4 sgd_step)
    const arma::mat z = model.logits(images);  // K x B
    const double loss = cross_entropy(z, labels);
    const arma::mat g = cross_entropy_gradient(softmax(z), labels);  // K x B
    model.weights -= learning_rate * (g * images.t());               // K x D
    model.bias -= learning_rate * arma::sum(g, 1);                   // K
    return loss;
    // END SOLUTION
}

double sgd_epoch(SoftmaxRegression& model, const Dataset& train, std::size_t batch_size, double learning_rate) {
    // BEGIN SOLUTION (ch02.5 sgd_epoch)
    double total = 0.0;
    for (const Batch& batch : MiniBatches(train, batch_size))
        total += sgd_step(model, batch.images, batch.labels, learning_rate) * batch.labels.n_elem;
    return total / static_cast<double>(train.size());
    // END SOLUTION
}

}  // namespace nn
