// Chapter 8: the MNIST classifier. Your implementations of the functions
// declared in common/include/nn/classifier.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 8

#include "nn/classifier.hpp"
#include "nn/core.hpp"

namespace nn {

arma::umat confusion_matrix([[maybe_unused]] const arma::uvec& predicted, [[maybe_unused]] const arma::uvec& labels,
                            [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch08.1 confusion_matrix)
    // Reject different sizes or a class >= num_classes (std::invalid_argument).
    // A K x K matrix of zeros, then one count per sample at (labels[n], predicted[n]).
    throw nn::NotImplemented("ch08.1 confusion_matrix");
    // END YOUR CODE
}

ClassScores precision_recall([[maybe_unused]] const arma::umat& confusion) {
    // BEGIN YOUR CODE (ch08.2 precision_recall)
    // diagonal / column sums (precision) and diagonal / row sums (recall), as
    // doubles, with 0 where a sum is 0. Hint: arma::conv_to<arma::vec>::from(...).
    throw nn::NotImplemented("ch08.2 precision_recall");
    // END YOUR CODE
}

bool EarlyStopping::update([[maybe_unused]] double validation_accuracy,
                           [[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch08.3 EarlyStopping::update)
    // ++epochs_seen. Better than best_accuracy? Then best_accuracy, best_epoch =
    // epochs_seen, checkpoint = copies of every *p.value, epochs_without_improvement = 0.
    // Otherwise ++epochs_without_improvement. Return epochs_without_improvement < patience.
    throw nn::NotImplemented("ch08.3 EarlyStopping::update");
    // END YOUR CODE
}

void EarlyStopping::restore([[maybe_unused]] const std::vector<Parameter>& parameters) const {
    // BEGIN YOUR CODE (ch08.4 EarlyStopping::restore)
    // Throw std::logic_error if checkpoint.size() != parameters.size() or a
    // shape differs (arma::size(a) != arma::size(b));
    // otherwise *parameters[i].value = checkpoint[i] for every i.
    throw nn::NotImplemented("ch08.4 EarlyStopping::restore");
    // END YOUR CODE
}

}  // namespace nn
