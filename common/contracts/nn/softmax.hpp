/// \file
/// \brief Chapter 2: softmax, the cross-entropy loss and its gradient, the
/// output layer of every classifier in the course.
///
/// Legend: K = number of classes, B = number of samples in the batch.
/// Logits Z and probabilities P are K x B, one sample per column.
///
/// \ingroup course
#pragma once

#include <armadillo>

namespace nn {

/// \brief **Task ch02.1**: softmax of each column, computed stably.
///
/// \f[ P_{kj} = \frac{e^{Z_{kj} - m_j}}{\sum_{i} e^{Z_{ij} - m_j}},
///     \qquad m_j = \max_i Z_{ij} \f]
///
/// Subtracting the column maximum changes nothing mathematically but keeps
/// every exponent at most 0, so logits of 1e4 do not overflow.
/// Shapes: logits K x B -> result K x B; each column is non-negative and sums to 1.
///
/// Introduced in \ref ch02_softmax_regression.
///
/// \param logits one column of class scores per sample.
/// \return the class probabilities.
arma::mat softmax(const arma::mat& logits);

/// \brief **Task ch02.2**: mean cross-entropy loss of a batch, from logits.
///
/// \f[ L = \frac{1}{B}\sum_{j=1}^{B} -\log P_{y_j j}
///       = \frac{1}{B}\sum_{j=1}^{B} \Big( m_j + \log \sum_i e^{Z_{ij} - m_j} - Z_{y_j j} \Big) \f]
///
/// Computed with log-sum-exp, so it is finite and exact even where the
/// softmax probability of the true class underflows to 0 (logits of +-1e4
/// give a loss of 2e4, not infinity).
/// Shapes: logits K x B, labels B -> a number >= 0.
///
/// Introduced in \ref ch02_softmax_regression.
///
/// \param logits one column of class scores per sample.
/// \param labels B true classes.
/// \throws std::invalid_argument if `labels.n_elem != logits.n_cols` or a label is K or more.
double cross_entropy(const arma::mat& logits, const arma::uvec& labels);

/// \brief **Task ch02.3**: gradient of the mean cross-entropy with respect to
/// the logits.
///
/// \f[ \frac{\partial L}{\partial Z} = \frac{1}{B}\,(P - Y) \f]
/// with P = softmax(Z) and Y the one-hot labels.
/// Shapes: probabilities K x B, labels B -> result K x B; each column sums to 0.
///
/// Introduced in \ref ch02_softmax_regression.
///
/// \param probabilities softmax of the logits.
/// \param labels B true classes.
/// \throws std::invalid_argument if `labels.n_elem != probabilities.n_cols` or a label is K or more.
arma::mat cross_entropy_gradient(const arma::mat& probabilities, const arma::uvec& labels);

}  // namespace nn
