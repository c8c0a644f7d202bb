// Chapter 6, second part: weight decay as L2 in the loss against AdamW's
// decoupled decay, measured by the train/validation gap on a small training
// set that overfits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nn/cli.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/report.hpp"

namespace ch06 {

// How a run regularises the weights.
enum class Decay { none, l2_in_loss, decoupled };

// One run of the study: an optimiser, its learning rate, and its decay.
struct DecayRun {
    std::string label;
    std::string optimizer;  // adam, adamw or sgd
    double learning_rate = 0.0;
    Decay decay = Decay::none;
    double lambda = 0.0;  // the L2 penalty's lambda, or AdamW's weight_decay
};

struct DecayResult {
    DecayRun run;
    nn::History history;
    double train_loss = 0.0;       // cross-entropy on the training images after the last epoch
    double validation_loss = 0.0;  // the same on the validation images
    double weight_norm = 0.0;      // sqrt of the sum of the squared weights, biases excluded
    double blank_norm = 0.0;       // the same for the first layer's weights from pixels blank in every training image
    double penalty = 0.0;          // lambda/2 |W|^2 at the end (0 without L2 in the loss)
    // For AdamW and SGD + L2, what a decay of eta_t lambda per step alone leaves of blank_norm.
    std::optional<double> predicted_blank_norm;
    double test = 0.0;
    double train() const { return *history.epochs.back().train_accuracy; }
    double validation() const { return *history.epochs.back().validation_accuracy; }
    double gap() const { return train() - validation(); }
};

struct DecayStudy {
    std::size_t training_images = 0;
    int epochs = 0;
    int halve_every = 0;  // the learning rate is halved every this many epochs
    std::size_t blank_pixels = 0;
    double initial_weight_norm = 0.0;
    double initial_blank_norm = 0.0;
    std::vector<DecayResult> results;
    nn::Json to_json() const;
};

// The runs the program makes, in the order of its table: the chosen few, or
// with sweep the grid of lambdas they were chosen from.
std::vector<DecayRun> decay_runs(bool sweep);

// Trains the chapter's network on the first `training_images` training
// images for `epochs` epochs once per run, from the same initial weights,
// printing each run's epochs, then the table.
DecayStudy weight_decay_study(const nn::Splits& data, const nn::Options& options, std::size_t training_images,
                              int epochs, bool sweep);

// The study's claims, checked like the race's.
std::vector<nn::Claim> decay_claims(const DecayStudy& study);

}  // namespace ch06
