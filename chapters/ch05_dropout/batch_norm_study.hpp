// Chapter 5, second part: batch normalisation. A deeper network trained with
// and without it (validation accuracy per epoch), and a sweep of plain-SGD
// learning rates with and without it (accuracy after a few epochs).
#pragma once

#include <armadillo>
#include <cstddef>
#include <optional>
#include <vector>

#include "nn/cli.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/report.hpp"

namespace ch05 {

// What the study runs; the defaults are the program's.
struct BatchNormSettings {
    std::size_t training_images = 10000;  // the first images of the training split
    int epochs = 8;                       // of the deep network, with and without batch norm
    int sweep_epochs = 2;                 // of each run of the learning-rate sweep (0: no sweep)
    std::vector<double> sweep_rates = {0.01, 0.03, 0.1, 0.3, 1.0};
};

// One learning rate of the sweep: the validation accuracy after the sweep's
// epochs without and with batch norm; none where the loss diverged.
struct SweepPoint {
    double learning_rate = 0.0;
    std::optional<double> plain, normalized;
};

// One deep network's training: its epochs (those before the loss diverged,
// if it did), and after the last epoch its test accuracy and the largest |b|
// of its hidden dense layers (all start at 0).
struct DeepRun {
    nn::History history;
    bool diverged = false;
    double test = 0.0;
    double hidden_bias = 0.0;
    // The validation accuracy after epoch e (1-based), or none after a divergence.
    std::optional<double> validation(std::size_t epoch) const;
    nn::Json to_json() const;
};

struct BatchNormStudy {
    BatchNormSettings settings;
    double learning_rate = 0.0;  // of the deep networks
    DeepRun plain, normalized;
    std::vector<SweepPoint> sweep;
    nn::Json to_json() const;
};

// The deep network: 784-256-256-256-256-10 with ReLU, and with batch norm
// between every hidden dense layer and its activation.
extern const std::vector<arma::uword> deep_sizes;

// Trains both deep networks from the same initial weights, printing their
// epochs, then the sweep, one line per learning rate, then the tables.
BatchNormStudy batch_norm_study(const nn::Splits& data, const nn::Options& options, const BatchNormSettings& settings);

// The study's claims: batch norm trains the deep network faster, and keeps
// working at learning rates where the plain network fails or falls behind.
std::vector<nn::Claim> batch_norm_claims(const BatchNormStudy& study);

// With --out: the deep networks' validation curves and the sweep as SVG.
void write_batch_norm_charts(const nn::Options& options, const BatchNormStudy& study);

}  // namespace ch05
