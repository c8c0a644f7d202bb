/// \file
/// \brief Chapter 5: inverted dropout, a layer that switches off a random
/// fraction of its inputs while training and does nothing at evaluation.
///
/// Shapes: any activation matrix, one sample per column.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <stdexcept>
#include <string>

#include "nn/layers.hpp"

namespace nn {

/// \brief Inverted dropout with drop probability p (keep probability q = 1 - p).
/// \ingroup course
class Dropout : public Layer {
public:
    /// \param drop_probability p, in [0, 1).
    /// \throws std::invalid_argument otherwise.
    explicit Dropout(double drop_probability) : drop_probability(drop_probability) {
        if (!(drop_probability >= 0.0 && drop_probability < 1.0))
            throw std::invalid_argument("Dropout: the drop probability must be in [0, 1), got " +
                                        std::to_string(drop_probability));
    }

    /// \brief **Task ch05.1**: the forward pass.
    ///
    /// In training mode, draw a fresh mask M of the input's shape with
    /// independent entries \f$M_{ij} = [u_{ij} < q] / q\f$, \f$u_{ij}\f$ uniform
    /// on [0, 1) (`arma::randu`, the seeded generator), keep it in `mask`,
    /// and return \f$X \odot M\f$. Scaling by 1/q keeps the expectation:
    /// \f$\mathbb{E}[X \odot M] = X\f$. If `reuse_mask` is true and `mask`
    /// already has the input's shape, apply the current mask instead of
    /// drawing a new one (gradient checks need the same mask every time).
    /// In evaluation mode (training() is false), return the input unchanged.
    /// Shapes: input any -> the same.
    ///
    /// Introduced in \ref ch05_dropout.
    arma::mat forward(const arma::mat& input) override;

    /// \brief **Task ch05.2**: the backward pass: \f$G \odot M\f$ with the mask
    /// of the last forward pass in training mode; G unchanged in evaluation mode.
    /// Shapes: output_gradient any -> the same.
    ///
    /// Introduced in \ref ch05_dropout.
    arma::mat backward(const arma::mat& output_gradient) override;

    /// \return `dropout`.
    std::string kind() const override { return "dropout"; }

    double drop_probability;  ///< p, the fraction of units dropped in training
    arma::mat mask;           ///< M from the last training forward(): 0 or 1/q
    bool reuse_mask = false;  ///< keep applying the current mask (for gradient checks)
};

}  // namespace nn
