// Chapter 8 reference solutions: see common/contracts/nn/classifier.hpp.

#include <string>

#include "nn/classifier.hpp"

namespace nn {

arma::umat confusion_matrix(const arma::uvec& predicted, const arma::uvec& labels, arma::uword num_classes) {
    // BEGIN SOLUTION (ch08.1 confusion_matrix)
    if (predicted.n_elem != labels.n_elem)
        throw std::invalid_argument("confusion_matrix: " + std::to_string(predicted.n_elem) + " predictions for " +
                                    std::to_string(labels.n_elem) + " labels");
    if ((!labels.is_empty() && labels.max() >= num_classes) ||
        (!predicted.is_empty() && predicted.max() >= num_classes))
        throw std::invalid_argument("confusion_matrix: a class is not below " + std::to_string(num_classes));
    arma::umat counts(num_classes, num_classes, arma::fill::zeros);
    for (arma::uword n = 0; n < labels.n_elem; ++n) ++counts(labels[n], predicted[n]);  // a histogram: one pass
    return counts;
    // END SOLUTION
}

ClassScores precision_recall(const arma::umat& confusion) {
    // BEGIN SOLUTION (ch08.2 precision_recall)
    const arma::vec diagonal = arma::conv_to<arma::vec>::from(confusion.diag());
    const arma::vec predicted = arma::conv_to<arma::vec>::from(arma::sum(confusion, 0).t());
    const arma::vec actual = arma::conv_to<arma::vec>::from(arma::sum(confusion, 1));
    // Dividing by max(count, 1) gives 0 where the count is 0 (the diagonal is 0 there too).
    return {diagonal / arma::clamp(predicted, 1.0, arma::datum::inf),
            diagonal / arma::clamp(actual, 1.0, arma::datum::inf)};
    // END SOLUTION
}

bool EarlyStopping::update(double validation_accuracy, const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch08.3 EarlyStopping::update)
    ++epochs_seen;
    if (validation_accuracy > best_accuracy) {
        best_accuracy = validation_accuracy;
        best_epoch = epochs_seen;
        checkpoint.clear();
        for (const Parameter& p : parameters) checkpoint.push_back(*p.value);
        epochs_without_improvement = 0;
    } else {
        ++epochs_without_improvement;
    }
    return epochs_without_improvement < patience;
    // END SOLUTION
}

void EarlyStopping::restore(const std::vector<Parameter>& parameters) const {
    // BEGIN SOLUTION (ch08.4 EarlyStopping::restore)
    if (checkpoint.size() != parameters.size())
        throw std::logic_error("EarlyStopping::restore: the checkpoint holds " + std::to_string(checkpoint.size()) +
                               " parameters, the network has " + std::to_string(parameters.size()));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (arma::size(checkpoint[i]) != arma::size(*parameters[i].value))
            throw std::logic_error("EarlyStopping::restore: " + parameters[i].name + " changed shape");
        *parameters[i].value = checkpoint[i];
    }
    // END SOLUTION
}

}  // namespace nn
