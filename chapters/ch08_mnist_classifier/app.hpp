// Chapter 8's program: the subcommands and what they share.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <armadillo>

#include "nn/cli.hpp"
#include "nn/features.hpp"

namespace app {

// The distortions `train` applies to each training batch unless told otherwise:
// shifts by up to 2 pixels, rotations by up to 10 degrees, scalings by up to 10%.
inline nn::Augmentation default_augmentation() {
    nn::Augmentation augmentation;
    augmentation.max_shift = 2.0;
    augmentation.max_degrees = 10.0;
    augmentation.max_scaling = 0.1;
    return augmentation;
}

// `train`: the network, the optimiser and the pipeline, on top of the shared options.
struct TrainConfig {
    nn::Options common;
    std::vector<arma::uword> hidden = {512, 256};
    std::string activation = "relu";
    double dropout = 0.3;
    std::string optimizer = "adam";
    std::optional<double> weight_decay;  // AdamW's decoupled lambda, adamw only (unset: AdamW's default, 0.01)
    std::string schedule = "step";  // none, step (halve every `decay_every` epochs) or inverse (1/(1+t/decay_every))
    int decay_every = 8;
    std::string features = "deskew+stats";
    int patience = 10;
    nn::Augmentation augmentation = default_augmentation();  // distortions of each training batch
    std::string model_path = "out/model.nnm";
    std::size_t validation_size = 10000;  // the last images of the training file, held out for selection
};

// `search`: a random search of hyperparameters, each trial trained like `train`
// from `base` for a few epochs and judged on the validation split only.
struct SearchConfig {
    TrainConfig base;                                   // everything a trial does not draw
    std::optional<int> trials;                          // unset: 20, or as many as the budget allows
    double budget_seconds = 0.0;                        // 0: no limit; else no trial starts after this
    std::vector<double> learning_rates = {1e-4, 1e-2};  // log-uniform, min and max
    std::vector<arma::uword> widths = {64, 1024};       // first hidden layer, log-uniform integer
    std::vector<arma::uword> layer_counts = {1, 2};     // hidden layers, uniform; each half the one before
    std::vector<double> dropouts = {0.0, 0.5};          // uniform
    std::vector<double> weight_decays = {1e-5, 1e-1};   // AdamW's lambda, log-uniform
    std::string program = "ch08_mnist_classifier";      // how the reproducing command line calls this program
};

struct EvaluateConfig {
    std::string model_path = "out/model.nnm";
    std::string data_dir;
    std::string out_dir = "out/evaluate";
    std::string json_path;
};

struct PredictConfig {
    std::string model_path = "out/model.nnm";
    std::vector<std::string> paths;
    bool json = false;
    bool show = false;
};

// `serve`: the HTTP API and the drawing page.
struct ServeConfig {
    std::string model_path = "out/model.nnm";
    std::string host = "127.0.0.1";  // loopback only unless asked
    int port = 8080;                 // 0: any free port (printed)
    int threads = 8;                 // requests handled at once
};

int train(const TrainConfig& config);
int evaluate(const EvaluateConfig& config);
int predict(const PredictConfig& config);
int serve(const ServeConfig& config);
int search(const SearchConfig& config);

// Adds the `search` subcommand with its options to \p cli (search.cpp).
CLI::App* add_search_command(CLI::App& cli, SearchConfig& config);

}  // namespace app
