/// \file
/// \brief The command-line options every chapter program shares, with one
/// set of names and checks (CLI11). A bad value is a usage error, not a crash.
///
/// \ingroup infrastructure
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "nn/random.hpp"

namespace nn {

/// \brief The shared options. A program sets its own defaults in this struct
/// before adding the options; `--help` shows them.
/// \ingroup infrastructure
struct Options {
    std::uint64_t seed = default_seed;  ///< `--seed`
    int epochs = 10;                    ///< `--epochs`, at least 1
    double learning_rate = 0.1;         ///< `--learning-rate`, positive
    std::size_t batch_size = 32;        ///< `--batch-size`, at least 1
    std::string data_dir;               ///< `--data-dir` (see nn::resolve_data_dir)
    std::string dataset = "mnist";      ///< `--dataset`, mnist or fashion
    std::string json_path;              ///< `--json FILE`: write metrics there
    std::string out_dir;                ///< `--out DIR`: write curves and images there
};

/// \brief Adds `--seed`, `--data-dir`, `--dataset`, `--json` and `--out`.
/// \param app the command line; \param options receives the values.
void add_data_options(CLI::App& app, Options& options);

/// \brief Adds `--epochs`, `--batch-size` and, unless the program sets its
/// own learning rates, `--learning-rate`.
/// \param app the command line; \param options receives the values.
/// \param with_learning_rate whether to add `--learning-rate`.
void add_training_options(CLI::App& app, Options& options, bool with_learning_rate = true);

/// \brief A check for a floating-point option: a finite number from \p min
/// to \p max. (CLI11's Range lets "nan" through: every comparison with NaN
/// is false.) Use it as `->check(nn::finite_range(0.0, 0.9))`.
CLI::Validator finite_range(double min, double max);

/// \brief A path inside `--out DIR`, creating the folder if needed.
/// \param options the parsed options (out_dir must be set).
/// \param file the file name.
/// \return `out_dir/file`.
std::string output_path(const Options& options, const std::string& file);

}  // namespace nn
