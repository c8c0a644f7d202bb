// Chapter 6, second part: weight decay. See weight_decay.hpp.

#include "weight_decay.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "nn/core.hpp"
#include "nn/network.hpp"
#include "nn/optimizers.hpp"
#include "nn/softmax.hpp"
#include "nn/training.hpp"

namespace ch06 {
namespace {

constexpr int halve_every = 5;  // every run halves its learning rate every 5 epochs (nn::step_decay)

const char* decay_name(Decay decay) {
    switch (decay) {
        case Decay::l2_in_loss:
            return "l2_in_loss";
        case Decay::decoupled:
            return "decoupled";
        default:
            return "none";
    }
}

struct Norms {
    double all;    // every weight, biases excluded
    double blank;  // the first layer's weights from the blank pixels
};

// |W|^2 = 2 R / lambda, so the learner's penalty with lambda = 1 gives the norm.
Norms norms(nn::Sequential& net, const arma::uvec& blank_pixels) {
    const std::vector<nn::Parameter> parameters = net.parameters();
    const auto first = std::find_if(parameters.begin(), parameters.end(),
                                    [](const nn::Parameter& p) { return p.name == "dense1.weights"; });
    if (first == parameters.end()) throw std::logic_error("weight decay: the network has no dense1.weights");
    return {std::sqrt(2.0 * nn::l2_penalty(parameters, 1.0)), arma::norm(first->value->cols(blank_pixels), "fro")};
}

// The learning rate of a run in a given epoch (from 0).
double rate(const DecayRun& run, int epoch) { return nn::step_decay(run.learning_rate, 0.5, halve_every, epoch); }

// What is left of a weight whose data gradient is always zero after \p epochs of \p steps each, if the
// only change is the decay by eta_t lambda per step: the product of every step's 1 - eta_t lambda.
double uniform_decay_factor(const DecayRun& run, int epochs, std::size_t steps) {
    double factor = 1.0;
    for (int epoch = 0; epoch < epochs; ++epoch)
        factor *= std::pow(1.0 - rate(run, epoch) * run.lambda, static_cast<double>(steps));
    return factor;
}

std::unique_ptr<nn::Optimizer> make(const DecayRun& run) {
    if (run.decay == Decay::decoupled) return std::make_unique<nn::AdamW>(run.learning_rate, run.lambda);
    return nn::make_optimizer(run.optimizer, run.learning_rate);
}

// The numbers of the table after training, but for the accuracies of the history.
void measure(DecayResult& result, nn::Sequential& net, const nn::Dataset& train_set, const nn::Splits& data,
             const arma::uvec& blank_pixels) {
    result.train_loss = nn::cross_entropy(nn::predict_logits(net, train_set.images), train_set.labels);
    result.validation_loss = nn::cross_entropy(nn::predict_logits(net, data.validation.images), data.validation.labels);
    const Norms end = norms(net, blank_pixels);
    result.weight_norm = end.all;
    result.blank_norm = end.blank;
    if (result.run.decay == Decay::l2_in_loss) result.penalty = nn::l2_penalty(net.parameters(), result.run.lambda);
    result.test = nn::evaluate_accuracy(net, data.test);
}

DecayResult train(const DecayRun& run, const nn::Dataset& train_set, const nn::Splits& data, const nn::Options& options,
                  int epochs, const arma::uvec& blank_pixels, double initial_blank_norm) {
    nn::set_seed(options.seed, nullptr);  // the same initial weights and batch order for every run
    nn::Sequential net = nn::make_mlp({784, 128, 64, 10}, "relu");
    const auto optimizer = make(run);
    std::cout << "\n"
              << run.label << (run.decay == Decay::none ? "" : ", lambda " + nn::number_text(run.lambda))
              << " (learning rate " << nn::number_text(run.learning_rate) << ", halved every " << halve_every
              << " epochs)\n";
    nn::TrainSettings settings;
    settings.epochs = epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = run.learning_rate;
    settings.train_sample = train_set.size();  // training accuracy on every training image
    settings.out = &std::cout;
    const bool l2 = run.decay == Decay::l2_in_loss;
    DecayResult result;
    result.run = run;
    result.history = nn::train_and_validate(
        net, train_set, data.validation, settings,
        [&](const std::vector<nn::Parameter>& p) {
            if (l2) nn::add_l2_gradient(p, run.lambda);  // after backward, before the step
            optimizer->step(p);
        },
        [&](int epoch) { optimizer->learning_rate = rate(run, epoch); });
    measure(result, net, train_set, data, blank_pixels);
    // Blank pixels give their weights a gradient of exactly 0: AdamW's moments stay 0 and so does its Adam
    // step, and SGD's step is the L2 term alone. What is left is the decay.
    if (run.decay == Decay::decoupled || (l2 && run.optimizer == "sgd")) {
        const std::size_t steps = (train_set.size() + options.batch_size - 1) / options.batch_size;
        result.predicted_blank_norm = initial_blank_norm * uniform_decay_factor(run, epochs, steps);
    }
    return result;
}

void print_table(const DecayStudy& study) {
    const auto fixed = [](double value, int digits) {
        std::ostringstream text;
        text << std::fixed << std::setprecision(digits) << value;
        return text.str();
    };
    std::cout << "\nWeight decay: " << study.training_images << " training images, " << study.epochs
              << " epochs; weights' norm at initialisation " << fixed(study.initial_weight_norm, 1) << ", of the "
              << study.blank_pixels << " blank pixels' weights " << fixed(study.initial_blank_norm, 2) << "\n"
              << std::left << std::setw(24) << "run" << std::right << std::setw(8) << "lambda" << std::setw(10)
              << "train" << std::setw(9) << "val" << std::setw(8) << "gap" << std::setw(10) << "val loss"
              << std::setw(7) << "|W|" << std::setw(8) << "blank" << std::setw(9) << "test" << '\n'
              << std::string(93, '-') << '\n';
    for (const auto& r : study.results)
        std::cout << std::left << std::setw(24) << r.run.label << std::right << std::setw(8)
                  << (r.run.decay == Decay::none ? "-" : nn::number_text(r.run.lambda)) << std::setw(10)
                  << nn::percent(r.train()) << std::setw(9) << nn::percent(r.validation()) << std::setw(8)
                  << nn::percent(r.gap()) << std::setw(10) << fixed(r.validation_loss, 4) << std::setw(7)
                  << fixed(r.weight_norm, 1) << std::setw(8) << fixed(r.blank_norm, 2) << std::setw(9)
                  << nn::percent(r.test) << '\n';
    std::cout << "train: accuracy on the " << study.training_images
              << " training images; val: on the validation images; gap = train - val; val loss: cross-entropy;\n"
                 "|W|: the root of the sum of the squared weights, biases excluded; blank: the same for the "
                 "first layer's\nweights from pixels blank in every training image; test: reported, never used "
                 "to choose\n";
}

}  // namespace

std::vector<DecayRun> decay_runs(bool sweep) {
    if (sweep) {
        std::vector<DecayRun> runs = {{"adam, no decay", "adam", 0.001, Decay::none, 0.0}};
        for (double l : {1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3})
            runs.push_back({"adam + L2 in the loss", "adam", 0.001, Decay::l2_in_loss, l});
        for (double l : {0.03, 0.1, 0.3, 1.0, 3.0}) runs.push_back({"adamw", "adamw", 0.001, Decay::decoupled, l});
        runs.push_back({"sgd, no decay", "sgd", 0.1, Decay::none, 0.0});
        for (double l : {1e-4, 3e-4, 1e-3, 3e-3})
            runs.push_back({"sgd + L2 in the loss", "sgd", 0.1, Decay::l2_in_loss, l});
        return runs;
    }
    // Chosen from the sweep (--decay-sweep, seeds 42 and 1): for each method the lambda with the best mean
    // validation accuracy, and a stronger one; SGD's 0.003 at rate 0.1 decays by the same eta * lambda per
    // step as AdamW's 0.3 at rate 0.001.
    return {
        {"adam, no decay", "adam", 0.001, Decay::none, 0.0},
        {"adam + L2 in the loss", "adam", 0.001, Decay::l2_in_loss, 3e-4},
        {"adam + L2 in the loss", "adam", 0.001, Decay::l2_in_loss, 3e-3},
        {"adamw", "adamw", 0.001, Decay::decoupled, 0.3},
        {"adamw", "adamw", 0.001, Decay::decoupled, 1.0},
        {"sgd, no decay", "sgd", 0.1, Decay::none, 0.0},
        {"sgd + L2 in the loss", "sgd", 0.1, Decay::l2_in_loss, 3e-4},
        {"sgd + L2 in the loss", "sgd", 0.1, Decay::l2_in_loss, 3e-3},
    };
}

DecayStudy weight_decay_study(const nn::Splits& data, const nn::Options& options, std::size_t training_images,
                              int epochs, bool sweep) {
    DecayStudy study;
    study.training_images = std::min(training_images, data.train.size());
    study.epochs = epochs;
    study.halve_every = halve_every;
    const nn::Dataset train_set = data.train.head(study.training_images);
    // Their first-layer weights never get a gradient from the data: only decay moves them.
    const arma::uvec blank_pixels = arma::find(arma::max(train_set.images, 1) == 0.0);
    study.blank_pixels = blank_pixels.n_elem;
    {
        nn::set_seed(options.seed, nullptr);
        nn::Sequential net = nn::make_mlp({784, 128, 64, 10}, "relu");
        const Norms start = norms(net, blank_pixels);
        study.initial_weight_norm = start.all;
        study.initial_blank_norm = start.blank;
    }
    std::cout << "\nWeight decay on the first " << study.training_images
              << " training images, long enough to overfit; every run starts from the same weights\n";
    for (const DecayRun& run : decay_runs(sweep))
        study.results.push_back(train(run, train_set, data, options, epochs, blank_pixels, study.initial_blank_norm));
    print_table(study);
    return study;
}

nn::Json DecayStudy::to_json() const {
    nn::Json runs = nn::Json::array();
    for (const auto& r : results)
        runs.push_back({{"label", r.run.label},
                        {"optimizer", r.run.optimizer},
                        {"learning_rate", r.run.learning_rate},
                        {"decay", decay_name(r.run.decay)},
                        {"lambda", r.run.lambda},
                        {"history", r.history.to_json()},
                        {"train_accuracy", r.train()},
                        {"validation_accuracy", r.validation()},
                        {"gap", r.gap()},
                        {"train_loss", r.train_loss},
                        {"validation_loss", r.validation_loss},
                        {"weight_norm", r.weight_norm},
                        {"blank_pixel_weight_norm", r.blank_norm},
                        {"l2_penalty", r.penalty},
                        {"predicted_blank_pixel_weight_norm",
                         r.predicted_blank_norm ? nn::Json(*r.predicted_blank_norm) : nn::Json(nullptr)},
                        {"test_accuracy", r.test}});
    return {{"training_images", training_images},
            {"epochs", epochs},
            {"halve_learning_rate_every", halve_every},
            {"blank_pixels", blank_pixels},
            {"initial_weight_norm", initial_weight_norm},
            {"initial_blank_pixel_weight_norm", initial_blank_norm},
            {"runs", runs}};
}

// How far a run's blank pixels' weights are from their predicted size, relative to it.
double relative_difference(const DecayResult& r) {
    const double predicted = *r.predicted_blank_norm;
    return std::abs(r.blank_norm - predicted) / std::max(predicted, 1e-300);
}

std::vector<nn::Claim> decay_claims(const DecayStudy& study) {
    const DecayResult* none = nullptr;  // Adam without decay
    const DecayResult* best = nullptr;  // the decayed Adam or AdamW run with the lowest validation loss
    double worst_prediction = 0.0, largest_l2_blank = 0.0;
    int predicted = 0, adam_l2 = 0;
    const auto keep_largest = [](double& largest, double value) {
        if (!(value <= largest)) largest = value;  // a NaN too, so that it fails the claim
    };
    for (const auto& r : study.results) {
        if (r.predicted_blank_norm) {
            ++predicted;
            keep_largest(worst_prediction, relative_difference(r));
        }
        if (r.run.optimizer == "sgd") continue;
        if (r.run.decay == Decay::none) {
            if (!none) none = &r;
            continue;
        }
        if (!best || r.validation_loss < best->validation_loss) best = &r;
        if (r.run.decay == Decay::l2_in_loss) {
            ++adam_l2;
            keep_largest(largest_l2_blank, r.blank_norm);
        }
    }
    std::vector<nn::Claim> claims;
    std::ostringstream text;
    if (study.blank_pixels == 0) predicted = adam_l2 = 0;  // no weight that only decay moves (other datasets)
    if (predicted) {
        text << "decoupled decay (AdamW) and L2 under SGD shrink the " << study.blank_pixels
             << " blank pixels' weights by the product of 1 - eta_t lambda, as derived (" << predicted
             << " runs, largest relative difference " << std::scientific << std::setprecision(1) << worst_prediction
             << " <= 1e-6)";
        claims.push_back({text.str(), worst_prediction <= 1e-6});
    }
    if (adam_l2) {
        text.str("");
        text << std::fixed << std::setprecision(4)
             << "L2 under Adam takes them to about zero whatever lambda: " << largest_l2_blank << " at most, from "
             << study.initial_blank_norm << " (<= 1% of it)";
        claims.push_back({text.str(), largest_l2_blank <= 0.01 * study.initial_blank_norm});
    }
    if (none && best) {
        text.str("");
        text << std::fixed << std::setprecision(4) << "decay lowers Adam's validation loss: " << best->run.label
             << " (lambda " << nn::number_text(best->run.lambda) << ") " << best->validation_loss << " < "
             << none->validation_loss << " without decay";
        claims.push_back({text.str(), best->validation_loss < none->validation_loss});
    }
    return claims;
}

}  // namespace ch06
