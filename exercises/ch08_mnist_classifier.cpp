// Chapter 8: the MNIST classifier. Your implementations of the functions
// declared in common/contracts/nn/classifier.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 8
//
// Hints are on demand, three per task: ./course hint ch08.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.

#include "nn/classifier.hpp"
#include "nn/core.hpp"

namespace nn {

arma::umat confusion_matrix([[maybe_unused]] const arma::uvec& predicted, [[maybe_unused]] const arma::uvec& labels,
                            [[maybe_unused]] arma::uword num_classes) {
    // BEGIN YOUR CODE (ch08.1 confusion_matrix)
    // Task ch08.1: the confusion matrix.
    // Contract: nn::confusion_matrix in common/contracts/nn/classifier.hpp
    // Shapes: predicted N, labels N -> K x K.
    // Hints: ./course hint ch08.1
    throw nn::NotImplemented("ch08.1 confusion_matrix");
    // END YOUR CODE
}

ClassScores precision_recall([[maybe_unused]] const arma::umat& confusion) {
    // BEGIN YOUR CODE (ch08.2 precision_recall)
    // Task ch08.2: per-class precision and recall.
    // Contract: nn::precision_recall in common/contracts/nn/classifier.hpp
    // Shapes: confusion K x K -> precision K, recall K.
    // Hints: ./course hint ch08.2
    throw nn::NotImplemented("ch08.2 precision_recall");
    // END YOUR CODE
}

bool EarlyStopping::update([[maybe_unused]] double validation_accuracy,
                           [[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch08.3 EarlyStopping::update)
    // Task ch08.3: record one epoch's validation accuracy.
    // Contract: nn::EarlyStopping::update in common/contracts/nn/classifier.hpp
    // Shapes: checkpoint: one matrix per parameter, its shape.
    // Hints: ./course hint ch08.3
    throw nn::NotImplemented("ch08.3 EarlyStopping::update");
    // END YOUR CODE
}

void EarlyStopping::restore([[maybe_unused]] const std::vector<Parameter>& parameters) const {
    // BEGIN YOUR CODE (ch08.4 EarlyStopping::restore)
    // Task ch08.4: put the best epoch's parameters back.
    // Contract: nn::EarlyStopping::restore in common/contracts/nn/classifier.hpp
    // Shapes: checkpoint[i] the shape of *parameters[i].value.
    // Hints: ./course hint ch08.4
    throw nn::NotImplemented("ch08.4 EarlyStopping::restore");
    // END YOUR CODE
}

}  // namespace nn
