// Chapter 7: feature engineering.
//
// Trains the same network from the same seed on three versions of the
// input: raw pixels, deskewed pixels, and deskewed pixels plus intensity and
// symmetry features, each standardised with statistics of the training split.
// Then augmentation: one digit under random distortions, and their cost
// (augmentation.cpp).
//
//   ./course run 7 [--reference] [--epochs N] [--learning-rate R] [--batch-size B]
//                  [--seed N] [--out DIR] [--json FILE]

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>

#include "augmentation.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/features.hpp"
#include "nn/image.hpp"
#include "nn/network.hpp"
#include "nn/optimizers.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"

namespace {

// The inputs of one version, and their statistics before any training (for
// --json: `./course compare 7` can then tell different features from
// different training).
struct Inputs {
    nn::Splits splits;
    nn::Json statistics;
};

// Mean and standard deviation of the entries of rows first..last, without copying them.
nn::Json spread(const arma::mat& values, arma::uword first, arma::uword last) {
    const auto part = values.rows(first, last);
    const double n = static_cast<double>(part.n_elem), mean = arma::accu(part) / n;
    return {{"mean", mean}, {"std", std::sqrt(arma::accu(arma::square(part - mean)) / (n - 1))}};
}

// The three splits turned into features, standardised with training statistics.
Inputs featurize(const nn::Splits& data, nn::Features features) {
    Inputs in{{data.info,
               {nn::make_features(data.train.images, features), data.train.labels},
               {nn::make_features(data.validation.images, features), data.validation.labels},
               {nn::make_features(data.test.images, features), data.test.labels}},
              {}};
    nn::Splits& out = in.splits;
    const arma::uword rows = out.train.images.n_rows;
    in.statistics = {{"inputs", rows}, {"train_pixels", spread(out.train.images, 0, 783)}};
    if (rows > 784) in.statistics["train_extra"] = spread(out.train.images, 784, rows - 1);
    nn::Standardizer standardizer;
    standardizer.fit(out.train.images);  // training split only: validation and test stay unseen
    for (nn::Dataset* split : {&out.train, &out.validation, &out.test})
        split->images = standardizer.apply(split->images);
    in.statistics["standardised_validation"] = spread(out.validation.images, 0, rows - 1);
    return in;
}

// One trained version: its numbers for --json, and which test images it got right.
struct Run {
    nn::Json json;
    arma::uvec test_correct;  // 1 where the prediction equals the label, one entry per test image
};

// Trains on one version of the inputs.
Run train_and_test(const nn::Splits& data, nn::Features features, const nn::Options& options) {
    nn::Timer timer;
    const Inputs in = featurize(data, features);
    const nn::Splits& input = in.splits;
    const double feature_seconds = timer.seconds();
    std::cout << "\n"
              << nn::features_name(features) << ": " << input.train.images.n_rows << " inputs per image (" << std::fixed
              << std::setprecision(1) << feature_seconds << std::defaultfloat << " s to compute)\n";
    nn::set_seed(options.seed, nullptr);  // the same initial weights and batches for every version
    nn::Sequential net = nn::make_mlp({input.train.images.n_rows, 128, 64, 10}, "relu");
    nn::Momentum optimizer(options.learning_rate, 0.9);
    nn::TrainSettings settings;
    settings.epochs = options.epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = options.learning_rate;
    settings.out = &std::cout;
    const nn::History history = nn::train_and_validate(net, input.train, input.validation, settings,
                                                       [&](const std::vector<nn::Parameter>& p) { optimizer.step(p); });
    const arma::uvec predicted = arma::index_max(nn::predict_logits(net, input.test.images), 0).t();
    const arma::uvec correct = arma::conv_to<arma::uvec>::from(predicted == input.test.labels);
    const double accuracy = static_cast<double>(arma::accu(correct)) / static_cast<double>(correct.n_elem);
    return {{{"features", in.statistics},
             {"feature_seconds", feature_seconds},
             {"history", history.to_json()},
             {"test_accuracy", accuracy}},
            correct};
}

// McNemar's exact test of two classifiers on the same images: of the n = b + c
// images exactly one of them gets right, b favour the first and c the second.
// If both are equally good, b is binomial(n, 1/2); the two-sided p-value is
// twice the tail at min(b, c), at most 1.
nn::Json paired_comparison(const arma::uvec& first_correct, const arma::uvec& second_correct) {
    const arma::uword b = arma::accu(first_correct > second_correct), c = arma::accu(second_correct > first_correct);
    const arma::uword n = b + c, low = std::min(b, c);
    double tail = 0;
    for (arma::uword k = 0; k <= low && n > 0; ++k)
        tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) - n * std::log(2.0));
    return {{"b", b}, {"c", c}, {"p_value", n == 0 ? 1.0 : std::min(1.0, 2 * tail)}};
}

void print_paired(const std::string& first, const std::string& second, const nn::Json& paired) {
    std::cout << "paired on the test images, " << first << " vs " << second << ": only " << first << " right "
              << paired["b"].get<arma::uword>() << ", only " << second << " right " << paired["c"].get<arma::uword>()
              << ", McNemar exact p = " << std::setprecision(2) << paired["p_value"].get<double>() << std::defaultfloat
              << std::setprecision(6) << '\n';
}

void write_deskew_picture(const nn::Options& options, const nn::Dataset& train) {
    const arma::mat before = train.images.head_cols(12);
    const arma::mat after = nn::make_features(before, nn::Features::deskewed);
    nn::write_png(nn::output_path(options, "deskew.png"),
                  nn::image_grid(arma::join_rows(before, after), 28, 28, 12, 3));
    std::cout << "wrote deskew.png (top: as written, bottom: deskewed) to " << options.out_dir << '\n';
}

int run(const nn::Options& options) {
    nn::print_banner(std::cout, "Chapter 7: feature engineering",
                     {{"dataset", options.dataset},
                      {"network", "D -> 128 -> 64 -> 10 (ReLU), momentum 0.9"},
                      {"epochs", std::to_string(options.epochs)},
                      {"batch size", std::to_string(options.batch_size)},
                      {"learning rate", nn::number_text(options.learning_rate)}});
    nn::set_seed(options.seed);
    const nn::Splits data = nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir));
    if (!options.out_dir.empty()) write_deskew_picture(options, data.train);

    const Run raw_run = train_and_test(data, nn::Features::raw, options);
    const Run deskew_run = train_and_test(data, nn::Features::deskewed, options);
    const Run stats_run = train_and_test(data, nn::Features::deskewed_with_stats, options);
    const nn::Json runs = {{"raw", raw_run.json}, {"deskew", deskew_run.json}, {"deskew_stats", stats_run.json}};
    const nn::Json paired = {
        {"raw_vs_deskew", paired_comparison(raw_run.test_correct, deskew_run.test_correct)},
        {"deskew_vs_deskew_stats", paired_comparison(deskew_run.test_correct, stats_run.test_correct)}};
    const double raw = runs["raw"]["test_accuracy"], deskewed = runs["deskew"]["test_accuracy"],
                 with_stats = runs["deskew_stats"]["test_accuracy"];

    nn::ResultTable table("Test accuracy by input features");
    table.add("raw pixels (784)", nn::percent(raw));
    table.add("deskewed (784)", nn::percent(deskewed));
    table.add("deskewed + intensity + symmetry (787)", nn::percent(with_stats));
    table.print(std::cout);
    print_paired("raw", "deskewed", paired["raw_vs_deskew"]);
    print_paired("deskewed", "+features", paired["deskew_vs_deskew_stats"]);
    const nn::Json augmentation = ch07::show_augmentation(options, data);
    if (!options.json_path.empty())
        nn::write_json(options.json_path, {{"chapter", 7},
                                           {"seed", options.seed},
                                           {"dataset", options.dataset},
                                           {"runs", runs},
                                           {"paired", paired},
                                           {"augmentation", augmentation}});
    return nn::print_claims(
        std::cout,
        {{"deskewing improves test accuracy: " + nn::percent(deskewed) + " > " + nn::percent(raw), deskewed > raw}});
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 10;
    options.learning_rate = 0.005;
    options.batch_size = 32;
    CLI::App app{"Chapter 7: raw pixels vs deskewed vs deskewed + intensity and symmetry"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options); });
}
