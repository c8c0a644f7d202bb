// What `train` and `search` share (train.cpp): the classifier a configuration
// describes, its input pipeline, and training with early stopping. A search
// trial trains exactly as `train` does, so `train` can repeat any trial.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "app.hpp"
#include "nn/dataset.hpp"
#include "nn/model.hpp"
#include "nn/report.hpp"

namespace app {

// Layer widths as text: 787-512-256-10.
std::string join(const std::vector<arma::uword>& sizes);

// Refuses a configuration whose options contradict each other (a weight
// decay for an optimiser that has none), before any data is loaded.
void check_options(const TrainConfig& config);

// An untrained classifier for the configuration: dataset, features,
// activation, dropout and layer sizes, checked against what training and a
// model file can hold. The network itself is built by fit().
nn::Classifier describe_classifier(const TrainConfig& config);

// Computes the model's features for every loaded split in place, then fits
// the standardiser on the training split and applies it to them all.
void prepare(nn::Splits& data, nn::Classifier& model);

// What fit() found.
struct FitResult {
    nn::History history;
    int best_epoch = 0;
    double best_accuracy = 0.0;  // validation accuracy of the kept epoch
    double seconds = 0.0;
};

// Builds model.network (drawing its initial weights from the generator as
// seeded by the caller) and trains it on data.train as the configuration
// says, early stopping on data.validation, then restores the best epoch.
// Prints the epochs to *out, or nothing if out is null.
// Throws nn::TrainingDiverged if the loss becomes NaN or infinite.
FitResult fit(const TrainConfig& config, nn::Classifier& model, const nn::Splits& data, std::ostream* out);

}  // namespace app
