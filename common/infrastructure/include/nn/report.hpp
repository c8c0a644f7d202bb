/// \file
/// \brief How a chapter program tells its story: a banner, a table of
/// results, the verdict on the chapter's claim, and a training history that
/// becomes curves (SVG), a table (CSV) and metrics (JSON).
///
/// \ingroup infrastructure
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "nn/metrics.hpp"
#include "nn/progress.hpp"

namespace nn {

/// \brief Prints a banner: the title underlined, then `name: value` lines.
/// \param out where to print; \param title e.g. "Chapter 2: softmax regression";
/// \param facts (name, value) pairs such as ("learning rate", "0.5").
void print_banner(std::ostream& out, const std::string& title,
                  const std::vector<std::pair<std::string, std::string>>& facts);

/// \brief Formats a number with up to 6 significant digits and no trailing
/// zeros, e.g. `0.1`, `0.2898`, `1e-05`.
std::string number_text(double value);

/// \brief A two-column table of results, printed with aligned columns.
/// \ingroup infrastructure
class ResultTable {
public:
    /// \param title the table's heading.
    explicit ResultTable(std::string title) : title_(std::move(title)) {}
    /// \brief Adds a row. \param name left column; \param value right column.
    void add(const std::string& name, const std::string& value);
    /// \brief Prints the table.
    void print(std::ostream& out) const;

private:
    std::string title_;
    std::vector<std::pair<std::string, std::string>> rows_;
};

/// \brief Prints the verdict on a claim, `RESULT: PASS  test accuracy 92.61%
/// >= 92.00%` (or FAIL), and returns the exit code for it.
/// \param out where to print; \param what the measured quantity;
/// \param value the measurement; \param bar the claim's threshold (value >= bar passes).
/// \return 0 on PASS, 1 on FAIL.
int print_verdict(std::ostream& out, const std::string& what, double value, double bar);

/// \brief One claim a chapter program makes, and whether it held.
/// \ingroup infrastructure
struct Claim {
    std::string text;  ///< what was claimed and measured, e.g. "test accuracy 97.9% >= 97.5%"
    bool pass;         ///< whether it held
};

/// \brief Prints each claim with PASS or FAIL, then `RESULT: PASS` if all
/// held (else `RESULT: FAIL`).
/// \return 0 if every claim held, else 1.
int print_claims(std::ostream& out, const std::vector<Claim>& claims);

/// \brief The per-epoch record of a training run.
/// \ingroup infrastructure
struct History {
    std::vector<EpochReport> epochs;  ///< one entry per finished epoch

    /// \return the history as a JSON array of objects (epoch, loss, accuracies, seconds).
    Json to_json() const;
    /// \brief Writes `<prefix>history.csv`, `<prefix>loss.svg` and
    /// `<prefix>accuracy.svg` into \p dir (created if needed).
    /// \param dir output folder; \param title chart title; \param prefix file-name prefix.
    void write_files(const std::string& dir, const std::string& title, const std::string& prefix = "") const;
};

}  // namespace nn
