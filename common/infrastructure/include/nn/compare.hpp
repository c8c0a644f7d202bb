/// \file
/// \brief Your metrics against the reference's, number by number, with a
/// verdict and the likely cause of a difference: what `./course compare N`
/// prints (through the `nn_compare` tool).
///
/// Both files come from the same chapter program run with the same seed and
/// options, so with correct code every number agrees up to rounding. Where a
/// number sits in the file says what a difference means:
///
/// - `chapter`, `seed`, `dataset` at the top: how the run was made.
/// - below a key `initialisation`: statistics at initialisation. Before any
///   training, a difference means different numbers were drawn (or a
///   different activation was applied to them).
/// - below a key `features`: statistics of the inputs a program computed
///   (deskewing, extra features, standardisation), before any training.
/// - below a key containing `gradient_check`: arrays of rows with
///   `parameter`, `relative_error`, `row`, `col`, `analytic`, `numeric`.
///   A relative error of 1e-7 or more means that parameter's gradient is wrong.
/// - an array of objects with an `epoch` number: a training history. With
///   the same seed, the first epoch agrees to far better than 1e-6 unless the
///   code computes something else; later epochs may drift apart by rounding.
/// - a key containing `seconds`: timing, shown but never compared.
/// - anything else: a result (final accuracies, gaps, counts).
///
/// Introduced for `./course compare` (see README, "How to work").
///
/// \ingroup infrastructure
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "nn/metrics.hpp"

namespace nn {

/// \brief What a number of a metrics file is, which decides what a difference means.
enum class MetricKind {
    setting,         ///< chapter, seed, dataset: how the run was made
    initialisation,  ///< a statistic at initialisation, before any training
    features,        ///< a statistic of the computed inputs, before any training
    check_row,       ///< a field of a gradient-check row
    history,         ///< a number of one epoch of a training history
    timing,          ///< wall time: never compared
    result           ///< anything else: final accuracies, gaps, counts
};

/// \brief How a number of yours compares with the reference's.
enum class Verdict {
    same,     ///< equal up to rounding (relative 1e-9)
    close,    ///< not equal, but as close as rounding plausibly explains
    differs,  ///< different beyond rounding: the code computes something else
    missing,  ///< in the reference's file, not in yours
    extra,    ///< in yours, not in the reference's
    timing    ///< a time: not compared
};

/// \brief One number (or string) of the two files, lined up.
/// \ingroup infrastructure
struct ComparedValue {
    std::string name;                      ///< readable path, e.g. `relu[epoch 3].loss`
    std::string group;                     ///< the outermost array holding it, e.g. `relu`; empty if none
    std::string element;                   ///< the array element holding it, e.g. `relu[epoch 3]`; empty if none
    std::string field;                     ///< its key, e.g. `loss`; empty for a bare array element
    int epoch = 0;                         ///< its epoch in a training history, else 0
    MetricKind kind = MetricKind::result;  ///< what it is
    std::optional<Json> yours;             ///< your value; empty if missing
    std::optional<Json> reference;         ///< the reference's value; empty if missing
    Verdict verdict = Verdict::same;       ///< the verdict
    std::string why;                       ///< a short reason for any verdict but `same`
};

/// \brief The whole comparison: every value with its verdict, and a summary.
/// \ingroup infrastructure
struct Comparison {
    std::vector<ComparedValue> values;  ///< in the order of the files
    std::string summary;                ///< the likely first cause, in sentences
    /// \return how many values differ or are missing in yours.
    int problems() const;
};

/// \brief Lines up two metrics files and judges every value.
/// \param yours the metrics of your program; \param reference the reference's.
/// \return every value, in file order (yours first, then keys only the
/// reference has), with verdicts and the summary.
Comparison compare_metrics(const Json& yours, const Json& reference);

/// \brief Prints the comparison as a table, one line per value, except that
/// an array (a history, a gradient check) gets one line per field: the first
/// element that is not the same and how many are not, or "same in all N".
/// Then the summary.
void print_comparison(std::ostream& out, const Comparison& comparison);

/// \return the verdict as printed: `same`, `close`, `DIFFERS`, `missing in yours`,
/// `only in yours`, `(timing)`.
std::string verdict_text(Verdict verdict);

}  // namespace nn
