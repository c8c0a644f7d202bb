/// \file
/// \brief Chapter 5: batch normalisation, a layer that standardises each
/// feature over the batch while training and with running averages at
/// evaluation, then scales and shifts it by two learnable vectors.
///
/// Legend: F = features (the rows, e.g. the units of the dense layer below),
/// B = batch size (the columns, one sample each). For feature i of a batch X:
/// \f$\mu_i\f$ its mean over the batch, \f$v_i\f$ its variance,
/// \f$\sigma_i = \sqrt{v_i + \varepsilon}\f$, \f$\hat X\f$ the normalised
/// batch, \f$\gamma\f$ and \f$\beta\f$ the scale and shift (F x 1), and
/// \f$G = \partial L/\partial Y\f$ the gradient that arrives from above.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layers.hpp"

namespace nn {

/// \brief The weight of the newest batch in the running averages: 0.1, as in PyTorch.
inline constexpr double batch_norm_momentum = 0.1;
/// \brief The \f$\varepsilon\f$ added to every variance before the square root: 1e-5, as in PyTorch.
inline constexpr double batch_norm_epsilon = 1e-5;

/// \brief Batch normalisation over the features (rows) of an F x B batch.
///
/// Training mode: \f$Y = \gamma \odot \hat X + \beta\f$ with \f$\hat X\f$ the
/// batch standardised feature by feature with the batch's own mean and
/// variance, which also update the running averages (forward_training()).
/// Evaluation mode: the same with the running averages in place of the
/// batch's statistics, so that a sample's output does not depend on the
/// other samples of its batch (forward_evaluation()). It goes between a dense
/// layer and its activation: dense, batchnorm, relu.
/// \ingroup course
class BatchNorm : public Layer {
public:
    /// \brief A layer for \p features features: \f$\gamma = 1\f$, \f$\beta = 0\f$,
    /// running mean 0 and running variance 1 (so that evaluation before any
    /// training is the identity up to \f$\varepsilon\f$).
    /// \param features F, the rows of every input.
    explicit BatchNorm(arma::uword features)
        : gamma(features, 1, arma::fill::ones),
          beta(features, 1, arma::fill::zeros),
          gamma_gradient(features, 1, arma::fill::zeros),
          beta_gradient(features, 1, arma::fill::zeros),
          running_mean(features, 1, arma::fill::zeros),
          running_variance(features, 1, arma::fill::ones) {}

    /// \brief forward_training() in training mode, forward_evaluation() in evaluation mode.
    /// \throws std::invalid_argument if \p input does not have F rows, or has no column.
    arma::mat forward(const arma::mat& input) override {
        if (input.n_rows != gamma.n_rows || input.n_cols == 0)
            throw std::invalid_argument("BatchNorm: expected an input of " + std::to_string(gamma.n_rows) +
                                        " rows (features) and at least one column (sample), got " +
                                        std::to_string(input.n_rows) + " x " + std::to_string(input.n_cols));
        return training() ? forward_training(input) : forward_evaluation(input);
    }

    /// \brief **Task ch05.4**: the forward pass in training mode, with the
    /// batch's statistics; updates the running averages.
    ///
    /// For every feature i (row), over the B samples j (columns) of the batch:
    /// \f[ \mu_i = \frac{1}{B} \sum_j X_{ij}, \qquad
    ///     v_i = \frac{1}{B} \sum_j (X_{ij} - \mu_i)^2, \qquad
    ///     \sigma_i = \sqrt{v_i + \varepsilon}, \f]
    /// \f[ \hat X_{ij} = \frac{X_{ij} - \mu_i}{\sigma_i}, \qquad
    ///     Y_{ij} = \gamma_i \hat X_{ij} + \beta_i. \f]
    /// The variance is the biased one (divided by B, not B - 1): it is the
    /// variance of exactly these B numbers, so every row of \f$\hat X\f$ has
    /// mean 0 and variance \f$v_i/(v_i + \varepsilon)\f$, just below 1.
    /// \f$\varepsilon\f$ goes inside the square root.
    ///
    /// Keep \f$\hat X\f$ in `normalized` and \f$\sigma\f$ in `std_deviation`:
    /// backward() needs them. Then update the running averages
    /// \f$\bar\mu\f$ (`running_mean`) and \f$\bar v\f$ (`running_variance`)
    /// with m = `momentum`:
    /// \f[ \bar\mu_i \leftarrow (1 - m)\,\bar\mu_i + m\,\mu_i, \qquad
    ///     \bar v_i \leftarrow (1 - m)\,\bar v_i + m\,\frac{B}{B - 1}\,v_i. \f]
    /// The running variance takes the unbiased estimate \f$\frac{B}{B-1} v\f$
    /// of the variance of the whole data (as PyTorch does), while the
    /// normalisation above uses the biased v.
    ///
    /// Edge case B = 1: the feature's mean is the sample itself, so
    /// \f$v = 0\f$, \f$\hat X = 0\f$ and \f$Y = \beta\f$; the running mean
    /// is updated as usual, the running variance is left unchanged (one sample
    /// has no spread to estimate: \f$\frac{B}{B-1}\f$ would divide by 0).
    ///
    /// Shapes: input F x B -> F x B; `normalized` F x B; `std_deviation`,
    /// `running_mean`, `running_variance` F x 1.
    ///
    /// Introduced in \ref ch05_dropout.
    ///
    /// \param input X, F x B, B >= 1 (forward() has checked the shape).
    /// \return Y.
    arma::mat forward_training(const arma::mat& input);

    /// \brief **Task ch05.5**: the forward pass in evaluation mode, with the
    /// running averages.
    ///
    /// With \f$\bar\mu\f$ = `running_mean` and \f$\bar v\f$ = `running_variance`:
    /// \f[ \sigma_i = \sqrt{\bar v_i + \varepsilon}, \qquad
    ///     \hat X_{ij} = \frac{X_{ij} - \bar\mu_i}{\sigma_i}, \qquad
    ///     Y_{ij} = \gamma_i \hat X_{ij} + \beta_i. \f]
    /// Each sample is transformed on its own: its output does not depend on
    /// the other samples of the batch, and B = 1 is nothing special. The
    /// running averages are read, never changed. Keep \f$\hat X\f$ in
    /// `normalized` and \f$\sigma\f$ in `std_deviation`, as in training.
    /// Shapes: input F x B -> F x B.
    ///
    /// Introduced in \ref ch05_dropout.
    ///
    /// \param input X, F x B, B >= 1.
    /// \return Y.
    arma::mat forward_evaluation(const arma::mat& input);

    /// \brief **Task ch05.6**: the backward pass: the gradients of
    /// \f$\gamma\f$ and \f$\beta\f$, and of the input.
    ///
    /// With G (F x B) the gradient with respect to Y, and \f$\hat X\f$ and
    /// \f$\sigma\f$ from the last forward pass:
    /// \f[ \frac{\partial L}{\partial \beta_i} = \sum_j G_{ij}, \qquad
    ///     \frac{\partial L}{\partial \gamma_i} = \sum_j G_{ij} \hat X_{ij}. \f]
    /// In training mode the batch's \f$\mu\f$ and \f$\sigma\f$ depend on
    /// every input of the batch, and the chain rule through them gives
    /// \f[ \frac{\partial L}{\partial X_{ij}} = \frac{\gamma_i}{B\,\sigma_i}
    ///     \Big( B\,G_{ij} - \sum_k G_{ik} - \hat X_{ij} \sum_k G_{ik} \hat X_{ik} \Big). \f]
    /// In evaluation mode \f$\mu\f$ and \f$\sigma\f$ are the running averages,
    /// constants, and the layer is an affine map of each sample:
    /// \f$\partial L/\partial X_{ij} = \gamma_i G_{ij} / \sigma_i\f$.
    /// The mode is that of training() now, which must be the mode of the last
    /// forward pass.
    ///
    /// In training mode every row of the input gradient sums to 0 (to
    /// rounding): adding a constant to a feature of every sample changes
    /// nothing after the normalisation, which is also why a dense layer's
    /// bias below this layer gets no gradient.
    ///
    /// Shapes: output_gradient F x B -> F x B; stores gamma_gradient and
    /// beta_gradient, F x 1.
    ///
    /// Introduced in \ref ch05_dropout.
    ///
    /// \param output_gradient \f$G = \partial L/\partial Y\f$.
    /// \return \f$\partial L/\partial X\f$.
    arma::mat backward(const arma::mat& output_gradient) override;

    /// \return `gamma` and `beta` with their gradients (the running averages
    /// are statistics, not parameters: no optimiser changes them).
    std::vector<Parameter> parameters() override {
        return {{"gamma", &gamma, &gamma_gradient}, {"beta", &beta, &beta_gradient}};
    }
    /// \return `batchnorm`.
    std::string kind() const override { return "batchnorm"; }

    arma::mat gamma;             ///< \f$\gamma\f$, F x 1, the learnable scale (ones at first)
    arma::mat beta;              ///< \f$\beta\f$, F x 1, the learnable shift (zeros at first)
    arma::mat gamma_gradient;    ///< \f$\partial L/\partial \gamma\f$ from the last backward()
    arma::mat beta_gradient;     ///< \f$\partial L/\partial \beta\f$ from the last backward()
    arma::mat running_mean;      ///< F x 1, the running average of the batch means (zeros at first)
    arma::mat running_variance;  ///< F x 1, the running average of the unbiased batch variances (ones at first)
    arma::mat normalized;        ///< \f$\hat X\f$, F x B, of the last forward pass
    arma::mat std_deviation;     ///< \f$\sigma\f$, F x 1, of the last forward pass
    double momentum = batch_norm_momentum;  ///< m, the weight of the newest batch in the running averages
    double epsilon = batch_norm_epsilon;    ///< \f$\varepsilon\f$, added to the variance under the square root
};

}  // namespace nn
