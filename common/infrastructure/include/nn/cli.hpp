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

struct Splits;

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
    std::size_t train_size = 0;         ///< `--train-size`: train on the first N images only (0: all)
    bool initial_loss = false;          ///< `--initial-loss`: print loss and accuracy before training
};

/// \brief Adds `--seed`, `--data-dir`, `--dataset`, `--json` and `--out`.
/// \param app the command line; \param options receives the values.
void add_data_options(CLI::App& app, Options& options);

/// \brief Adds `--epochs`, `--batch-size` and, unless the program sets its
/// own learning rates, `--learning-rate`.
/// \param app the command line; \param options receives the values.
/// \param with_learning_rate whether to add `--learning-rate`.
void add_training_options(CLI::App& app, Options& options, bool with_learning_rate = true);

/// \brief Adds `--train-size N` and `--initial-loss`, the options of the
/// book's sanity checks: a network must be able to fit a few images
/// perfectly, and before its first step its loss must be about ln K.
/// A program that adds them applies them with nn::limit_training_set() and
/// nn::print_initial_loss().
/// \param app the command line; \param options receives the values.
/// \param with_initial_loss whether to add `--initial-loss` (not for a program that does not train).
void add_sanity_options(CLI::App& app, Options& options, bool with_initial_loss = true);

/// \brief The splits with the training split cut to its first `--train-size`
/// images, saying so on standard output; unchanged if the option is 0.
/// \param options the parsed options.
/// \param data the splits as loaded.
/// \return the splits to train on.
Splits limit_training_set(const Options& options, Splits data);

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
