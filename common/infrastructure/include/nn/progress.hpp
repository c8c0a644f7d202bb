/// \file
/// \brief The one progress display for training: a live bar on a terminal,
/// plain lines in a log.
///
/// \ingroup infrastructure
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include "nn/timer.hpp"

namespace nn {

/// \brief What one epoch produced, as printed on its line.
/// \ingroup infrastructure
struct EpochReport {
    int epoch = 0;                              ///< 1-based epoch number
    int epochs = 0;                             ///< total number of epochs
    double loss = 0.0;                          ///< mean training loss
    std::optional<double> train_accuracy;       ///< in [0, 1], if measured
    std::optional<double> validation_accuracy;  ///< in [0, 1], if measured
    double seconds = 0.0;                       ///< wall time of the epoch
};

/// \brief Formats a fraction as a percentage with two decimals, e.g. `92.61%`.
std::string percent(double fraction);

/// \brief Formats an epoch line:
/// `epoch  3/10  loss 0.2143  train 94.10%  val 93.80%  1.8 s`.
std::string format_epoch(const EpochReport& report);

/// \brief Shows training progress.
///
/// On a terminal, batch() redraws one status line in place (at most ten times
/// a second) and epoch_done() replaces it with the epoch's line. Writing to a
/// file or pipe, only the epoch lines are printed, so logs stay readable.
/// \ingroup infrastructure
class Progress {
public:
    /// \param out where to print.
    /// \param live redraw in place; by default, whether \p out is a terminal.
    explicit Progress(std::ostream& out, std::optional<bool> live = std::nullopt);
    /// \brief Reports that \p done of \p total batches of \p epoch are finished.
    /// \param epoch 1-based epoch; \param epochs total epochs;
    /// \param done batches finished; \param total batches per epoch;
    /// \param running_loss mean loss so far in this epoch.
    void batch(int epoch, int epochs, std::size_t done, std::size_t total, double running_loss);
    /// \brief Prints the epoch's line (clearing the live line first).
    void epoch_done(const EpochReport& report);
    /// \return whether the display redraws in place.
    bool live() const { return live_; }

private:
    std::ostream& out_;
    bool live_;
    bool line_open_ = false;
    Timer since_draw_;
};

}  // namespace nn
