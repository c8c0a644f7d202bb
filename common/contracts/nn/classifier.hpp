/// \file
/// \brief Chapter 8: judging and finishing a classifier: the confusion
/// matrix, per-class precision and recall, and early stopping that keeps the
/// best checkpoint.
///
/// Legend: K = number of classes, N = number of samples.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <limits>
#include <stdexcept>
#include <vector>

#include "nn/layers.hpp"

namespace nn {

/// \brief **Task ch08.1**: counts of (true class, predicted class) pairs.
///
/// \f[ C_{ij} = \#\{\, n : y_n = i,\ \hat y_n = j \,\} \f]
/// Row i holds the samples of true class i; the diagonal holds the correct ones.
/// Shapes: predicted N, labels N -> K x K.
///
/// Introduced in \ref ch08_mnist_classifier.
///
/// \throws std::invalid_argument if the sizes differ or a class is K or more.
arma::umat confusion_matrix(const arma::uvec& predicted, const arma::uvec& labels, arma::uword num_classes);

/// \brief Per-class precision and recall.
/// \ingroup course
struct ClassScores {
    arma::vec precision;  ///< K values: of the samples predicted as k, the fraction that are k
    arma::vec recall;     ///< K values: of the samples of class k, the fraction predicted as k
};

/// \brief **Task ch08.2**: precision and recall of every class from a
/// confusion matrix.
///
/// \f[ \text{precision}_k = \frac{C_{kk}}{\sum_i C_{ik}}, \qquad
///     \text{recall}_k = \frac{C_{kk}}{\sum_j C_{kj}} \f]
/// (column sums count predictions, row sums count true samples). A class
/// never predicted has precision 0; a class with no samples has recall 0.
/// Shapes: confusion K x K -> two vectors of K.
///
/// Introduced in \ref ch08_mnist_classifier.
ClassScores precision_recall(const arma::umat& confusion);

/// \brief Early stopping: watch validation accuracy, keep a copy of the best
/// parameters, stop after `patience` epochs without improvement.
/// \ingroup course
class EarlyStopping {
public:
    /// \param patience epochs without improvement to tolerate, at least 1.
    explicit EarlyStopping(int patience) : patience(patience) {
        if (patience < 1) throw std::invalid_argument("EarlyStopping: patience must be at least 1");
    }

    /// \brief **Task ch08.3**: records one epoch's validation accuracy.
    ///
    /// Count the epoch (epochs_seen). If the accuracy is strictly higher than
    /// best_accuracy, it becomes the best: remember it and the epoch number,
    /// copy every parameter's value into checkpoint (in order), and reset
    /// epochs_without_improvement to 0. Otherwise add one to
    /// epochs_without_improvement.
    ///
    /// Introduced in \ref ch08_mnist_classifier.
    ///
    /// \param validation_accuracy this epoch's accuracy on the validation split.
    /// \param parameters the network's parameters now.
    /// \return true to keep training: epochs_without_improvement < patience.
    bool update(double validation_accuracy, const std::vector<Parameter>& parameters);

    /// \brief **Task ch08.4**: copies the checkpoint back into the parameters,
    /// so the network is the one of the best epoch.
    ///
    /// Introduced in \ref ch08_mnist_classifier.
    ///
    /// \param parameters the same parameters, in the same order, as given to update().
    /// \throws std::logic_error if there is no checkpoint or it does not match.
    void restore(const std::vector<Parameter>& parameters) const;

    int patience;                                                     ///< epochs without improvement allowed
    double best_accuracy = -std::numeric_limits<double>::infinity();  ///< best validation accuracy so far
    int best_epoch = 0;                                               ///< 1-based epoch of the best accuracy
    int epochs_seen = 0;                                              ///< epochs recorded
    int epochs_without_improvement = 0;                               ///< epochs since the best
    std::vector<arma::mat> checkpoint;                                ///< parameter values at the best epoch
};

}  // namespace nn
