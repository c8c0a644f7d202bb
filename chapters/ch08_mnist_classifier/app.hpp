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

// `train`: the network, the optimiser and the pipeline, on top of the shared options.
struct TrainConfig {
    nn::Options common;
    std::vector<arma::uword> hidden = {256, 128};
    std::string activation = "relu";
    double dropout = 0.3;
    std::string optimizer = "adam";
    std::optional<double> weight_decay;  // AdamW's decoupled lambda, adamw only (unset: AdamW's default, 0.01)
    std::string schedule = "step";  // none, step (halve every `decay_every` epochs) or inverse (1/(1+t/decay_every))
    int decay_every = 8;
    std::string features = "deskew+stats";
    int patience = 8;
    nn::Augmentation augmentation;  // distortions of each training batch, none by default
    std::string model_path = "out/model.nnm";
    std::size_t validation_size = 10000;  // the last images of the training file, held out for selection
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

}  // namespace app
