#include "nn/cli.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>

#include "nn/core.hpp"
#include "nn/dataset.hpp"

namespace nn {
namespace {

// CLI11's PositiveNumber lets "nan" and "inf" through.
const CLI::Validator finite_positive(
    [](const std::string& text) {
        double value = 0.0;
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value <= 0.0)
            return std::string("must be a finite number above 0, got " + text);
        return std::string();
    },
    "POSITIVE");

}  // namespace

CLI::Validator finite_range(double min, double max) {
    const std::string range = "from " + CLI::detail::to_string(min) + " to " + CLI::detail::to_string(max);
    return CLI::Validator(
        [min, max, range](const std::string& text) {
            double value = 0.0;
            if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value < min || value > max)
                return "must be a finite number " + range + ", got " + text;
            return std::string();
        },
        "FLOAT " + range);
}

void add_data_options(CLI::App& app, Options& options) {
    app.add_option("--seed", options.seed, "Seed of every random draw; same seed, same numbers")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--data-dir", options.data_dir,
                   "Folder holding mnist/ (default: $NN_DATA_DIR, else ./data, else the source tree's data/)");
    app.add_option("--dataset", options.dataset, "Dataset to use")
        ->check(CLI::IsMember(dataset_names()))
        ->capture_default_str();
    app.add_option("--json", options.json_path, "Write the results as JSON to this file");
    app.add_option("--out", options.out_dir, "Write curves (SVG, CSV) and images (PNG) to this folder");
}

void add_training_options(CLI::App& app, Options& options, bool with_learning_rate) {
    app.add_option("--epochs", options.epochs, "Passes over the training data")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    if (with_learning_rate)
        app.add_option("--learning-rate", options.learning_rate, "Step size of gradient descent")
            ->check(finite_positive)
            ->capture_default_str();
    app.add_option("--batch-size", options.batch_size, "Samples per mini-batch")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
        ->capture_default_str();
}

void add_sanity_options(CLI::App& app, Options& options, bool with_initial_loss) {
    app.add_option("--train-size", options.train_size,
                   "Train on the first N training images only (0: all); a network that cannot fit 100 is broken")
        ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 30))
        ->capture_default_str();
    if (with_initial_loss)
        app.add_flag("--initial-loss", options.initial_loss,
                     "Print the loss and accuracies of the untrained model (about ln K and 1/K)");
}

Splits limit_training_set(const Options& options, Splits data) {
    if (options.train_size == 0 || options.train_size >= data.train.size()) return data;
    std::cout << "training on the first " << options.train_size << " of " << data.train.size()
              << " training images (--train-size)\n";
    data.train = data.train.head(options.train_size);
    return data;
}

std::string output_path(const Options& options, const std::string& file) {
    if (options.out_dir.empty()) throw std::logic_error("output_path: --out was not given");
    std::error_code error;
    std::filesystem::create_directories(options.out_dir, error);
    if (error) throw InputError(options.out_dir + ": cannot create the output folder: " + error.message());
    return (std::filesystem::path(options.out_dir) / file).string();
}

}  // namespace nn
