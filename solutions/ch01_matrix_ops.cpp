// Chapter 1 reference solutions: see common/contracts/nn/matrix_ops.hpp.
// Legend: D = pixels per image, N = samples, K = classes. One sample per column.

#include <stdexcept>
#include <string>

#include "nn/matrix_ops.hpp"

namespace nn {
namespace {

void require_labels_below(const arma::uvec& labels, arma::uword num_classes, const char* where) {
    if (!labels.is_empty() && labels.max() >= num_classes)
        throw std::invalid_argument(std::string(where) + ": label " + std::to_string(labels.max()) +
                                    " is not below the number of classes " + std::to_string(num_classes));
}

}  // namespace

arma::mat one_hot(const arma::uvec& labels, arma::uword num_classes) {
    // BEGIN SOLUTION (ch01.1 one_hot)
    require_labels_below(labels, num_classes, "one_hot");
    arma::mat y(num_classes, labels.n_elem, arma::fill::zeros);
    if (labels.is_empty()) return y;
    // Column j's 1 sits at linear index labels[j] + j * K (column-major storage).
    const arma::uvec at = labels + num_classes * arma::regspace<arma::uvec>(0, labels.n_elem - 1);
    y.elem(at).ones();
    return y;
    // END SOLUTION
}

arma::mat add_bias(const arma::mat& z, const arma::vec& bias) {
    // BEGIN SOLUTION (ch01.2 add_bias)
    arma::mat out = z;
    out.each_col() += bias;
    return out;
    // END SOLUTION
}

arma::uvec argmax_columns(const arma::mat& scores) {
    // BEGIN SOLUTION (ch01.3 argmax_columns)
    return arma::index_max(scores, 0).t();
    // END SOLUTION
}

double accuracy(const arma::uvec& predicted, const arma::uvec& labels) {
    // BEGIN SOLUTION (ch01.4 accuracy)
    if (predicted.n_elem != labels.n_elem || labels.is_empty())
        throw std::invalid_argument("accuracy: " + std::to_string(predicted.n_elem) + " predictions for " +
                                    std::to_string(labels.n_elem) + " labels (need the same, non-zero count)");
    return static_cast<double>(arma::accu(predicted == labels)) / labels.n_elem;
    // END SOLUTION
}

arma::mat class_means(const arma::mat& images, const arma::uvec& labels, arma::uword num_classes) {
    // BEGIN SOLUTION (ch01.5 class_means)
    if (images.n_cols != labels.n_elem)
        throw std::invalid_argument("class_means: " + std::to_string(images.n_cols) + " images but " +
                                    std::to_string(labels.n_elem) + " labels");
    const arma::mat y = one_hot(labels, num_classes);               // K x N
    arma::mat sums = images * y.t();                                // D x K
    const arma::rowvec counts = arma::sum(y, 1).t();                // 1 x K
    sums.each_row() /= arma::clamp(counts, 1.0, arma::datum::inf);  // an empty class stays zero
    return sums;
    // END SOLUTION
}

arma::mat squared_distances(const arma::mat& points, const arma::mat& centres) {
    // BEGIN SOLUTION (ch01.6 squared_distances)
    arma::mat d = -2.0 * centres.t() * points;                // K x N
    d.each_col() += arma::sum(arma::square(centres), 0).t();  // ||c_k||^2 down each column
    d.each_row() += arma::sum(arma::square(points), 0);       // ||x_j||^2 along each row
    return arma::clamp(d, 0.0, arma::datum::inf);
    // END SOLUTION
}

}  // namespace nn
