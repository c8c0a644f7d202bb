/// \file
/// \brief Chapter 1: the matrix operations every later chapter is built from.
///
/// Legend of the shapes: D = pixels per image (784), N = number of samples,
/// K = number of classes (10). One sample per column: a batch of images is
/// D x N, its labels an `arma::uvec` of N class indices.
///
/// \ingroup course
#pragma once

#include <armadillo>

namespace nn {

/// \brief **Task ch01.1**: one-hot encode labels, one sample per column.
///
/// \f[ Y_{kj} = \begin{cases} 1 & k = y_j \\ 0 & \text{otherwise} \end{cases} \f]
///
/// Shapes: labels N -> result K x N.
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param labels N class indices.
/// \param num_classes K.
/// \return K x N matrix with a single 1 in each column.
/// \throws std::invalid_argument if a label is K or more.
arma::mat one_hot(const arma::uvec& labels, arma::uword num_classes);

/// \brief **Task ch01.2**: add a bias vector to every column (broadcasting).
///
/// \f[ Z'_{kj} = Z_{kj} + b_k \f]
///
/// Shapes: z K x N, bias K -> result K x N.
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param z one column per sample.
/// \param bias one value per row of \p z.
/// \return \p z with \p bias added to each column.
/// \throws std::invalid_argument (or Armadillo's std::logic_error) if
/// `bias.n_elem != z.n_rows`.
arma::mat add_bias(const arma::mat& z, const arma::vec& bias);

/// \brief **Task ch01.3**: the row index of the largest value in each column:
/// the predicted class of each sample.
///
/// \f[ \hat y_j = \arg\max_k S_{kj} \f]
///
/// Shapes: scores K x N -> result N. Ties go to the smallest index.
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param scores one column of class scores per sample.
/// \return N predicted class indices.
arma::uvec argmax_columns(const arma::mat& scores);

/// \brief **Task ch01.4**: the fraction of predictions equal to the labels.
///
/// \f[ \text{accuracy} = \frac{1}{N} \sum_{j=1}^{N} [\hat y_j = y_j] \f]
///
/// Shapes: predicted N, labels N -> a number in [0, 1].
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param predicted predicted classes.
/// \param labels true classes.
/// \throws std::invalid_argument if the sizes differ or N is 0.
double accuracy(const arma::uvec& predicted, const arma::uvec& labels);

/// \brief **Task ch01.5**: the mean image of each class, by matrix algebra
/// (no loop over samples).
///
/// With Y the one-hot labels (K x N) and \f$n_k\f$ the number of samples of
/// class k:
/// \f[ M = X Y^\top \operatorname{diag}(1/n_1, \dots, 1/n_K) \f]
///
/// Shapes: images D x N, labels N -> result D x K (column k is the mean of class k).
/// A class with no samples gets a column of zeros.
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param images one sample per column.
/// \param labels N class indices.
/// \param num_classes K.
/// \throws std::invalid_argument if a label is K or more or the sizes differ.
arma::mat class_means(const arma::mat& images, const arma::uvec& labels, arma::uword num_classes);

/// \brief **Task ch01.6**: squared Euclidean distances between every centre
/// and every point, by matrix algebra (no loop over points).
///
/// \f[ \|x_j - c_k\|^2 = \|c_k\|^2 + \|x_j\|^2 - 2\, c_k^\top x_j
///     \quad\Longrightarrow\quad
///     \Delta = u\,\mathbf{1}^\top + \mathbf{1}\,v^\top - 2\, C^\top X \f]
/// where \f$u_k = \|c_k\|^2\f$ (K values) and \f$v_j = \|x_j\|^2\f$ (N values).
///
/// Shapes: points X D x N, centres C D x K -> result \f$\Delta\f$ K x N,
/// entry (k, j) = \f$\|x_j - c_k\|^2\f$. Rounding can make a true zero slightly negative:
/// clamp the result at 0.
///
/// Introduced in \ref ch01_matrix_ops.
///
/// \param points one point per column.
/// \param centres one centre per column.
/// \throws std::invalid_argument (or Armadillo's std::logic_error) if the row counts differ.
arma::mat squared_distances(const arma::mat& points, const arma::mat& centres);

}  // namespace nn
