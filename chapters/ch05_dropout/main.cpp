// Chapter 5: dropout and batch normalisation.
//
// Trains the same wide network twice on 5,000 training images, long enough
// to overfit: once plain, once with dropout after each hidden layer. Prints
// how far training accuracy runs ahead of validation accuracy for each.
// Then trains a deeper network with and without batch normalisation, and
// sweeps plain SGD's learning rate with and without it.
//
//   ./course run 5 [--reference] [--epochs N] [--learning-rate R] [--batch-size B]
//                  [--dropout P] [--input-dropout P] [--seed N] [--out DIR] [--json FILE]
//                  [--part all|dropout|batch-norm] [--batch-norm-epochs N] [--sweep-epochs N]

#include <iostream>

#include "batch_norm_study.hpp"
#include "nn/chart.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/dropout.hpp"
#include "nn/network.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"

namespace {

constexpr std::size_t train_size = 5000;  // small enough to overfit quickly

struct Run {
    nn::History history;
    double test = 0.0;
    double gap() const { return *history.epochs.back().train_accuracy - *history.epochs.back().validation_accuracy; }
    // The numbers of the result table and every epoch, for --json.
    nn::Json to_json() const {
        return {{"history", history.to_json()},
                {"train_accuracy", *history.epochs.back().train_accuracy},
                {"validation_accuracy", *history.epochs.back().validation_accuracy},
                {"gap", gap()},
                {"test_accuracy", test}};
    }
};

// 784-256-256-10 with ReLU; with dropout, a Dropout layer on the input
// (dropping input_drop of the pixels) and after each hidden layer.
nn::Sequential network(double input_drop, double hidden_drop) {
    nn::Sequential net;
    if (input_drop > 0.0) net.add(std::make_unique<nn::Dropout>(input_drop));
    for (const auto& [in, out] : {std::pair<arma::uword, arma::uword>{784, 256}, {256, 256}}) {
        net.add(nn::make_dense(in, out, "relu"));
        net.add(nn::make_activation("relu"));
        if (hidden_drop > 0.0) net.add(std::make_unique<nn::Dropout>(hidden_drop));
    }
    net.add(nn::make_dense(256, 10, "relu"));
    return net;
}

Run train(const nn::Splits& data, const nn::Dataset& train_set, const nn::Options& options, double input_drop,
          double hidden_drop) {
    nn::set_seed(options.seed, nullptr);  // the same initial weights for both runs
    nn::Sequential net = network(input_drop, hidden_drop);
    std::cout << "\nTraining " << net.describe() << '\n';
    nn::TrainSettings settings;
    settings.epochs = options.epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = options.learning_rate;
    settings.train_sample = train_size;
    settings.switch_modes = true;  // evaluate with dropout off
    settings.out = &std::cout;
    Run run;
    run.history =
        nn::train_and_validate(net, train_set, data.validation, settings,
                               [&](const std::vector<nn::Parameter>& p) { nn::sgd_update(p, options.learning_rate); });
    run.test = nn::evaluate_in_eval_mode(net, data.test);
    return run;
}

void write_curves(const nn::Options& options, const Run& plain, const Run& dropout) {
    const auto series = [](const std::string& name, const nn::History& h, bool train) {
        nn::Series s{name, {}, {}};
        for (const auto& e : h.epochs) {
            s.x.push_back(e.epoch);
            s.y.push_back(train ? *e.train_accuracy : *e.validation_accuracy);
        }
        return s;
    };
    nn::ChartOptions chart;
    chart.title = "Training on 5,000 images: plain vs dropout";
    chart.y_label = "accuracy";
    chart.y_max = 1.0;
    nn::write_line_chart(
        nn::output_path(options, "plain_vs_dropout.svg"),
        {series("plain, train", plain.history, true), series("plain, validation", plain.history, false),
         series("dropout, train", dropout.history, true), series("dropout, validation", dropout.history, false)},
        chart);
    plain.history.write_files(options.out_dir, "plain", "plain_");
    dropout.history.write_files(options.out_dir, "dropout", "dropout_");
    std::cout << "wrote plain_vs_dropout.svg and plain_*/dropout_* curves to " << options.out_dir << '\n';
}

// The dropout study: plain vs dropout on 5,000 images. Adds its numbers to
// \p json and its claims to \p claims.
void dropout_study(const nn::Splits& data, const nn::Options& options, double input_drop, double dropout,
                   nn::Json& json, std::vector<nn::Claim>& claims) {
    const nn::Dataset train_set = data.train.head(train_size);
    const Run plain = train(data, train_set, options, 0.0, 0.0);
    const Run with_dropout = train(data, train_set, options, input_drop, dropout);

    nn::ResultTable table("After " + std::to_string(options.epochs) + " epochs    train / validation / gap / test");
    for (const auto& [name, r] : {std::pair<std::string, const Run&>{"plain", plain}, {"dropout", with_dropout}})
        table.add(name, nn::percent(*r.history.epochs.back().train_accuracy) + " / " +
                            nn::percent(*r.history.epochs.back().validation_accuracy) + " / " + nn::percent(r.gap()) +
                            " / " + nn::percent(r.test));
    table.print(std::cout);
    if (!options.out_dir.empty()) write_curves(options, plain, with_dropout);
    json["plain"] = plain.to_json();
    json["dropout"] = with_dropout.to_json();
    const double plain_val = *plain.history.epochs.back().validation_accuracy;
    const double dropout_val = *with_dropout.history.epochs.back().validation_accuracy;
    claims.push_back({"dropout narrows the train/validation gap: " + nn::percent(with_dropout.gap()) + " < " +
                          nn::percent(plain.gap()),
                      with_dropout.gap() < plain.gap()});
    claims.push_back(
        {"dropout generalises better: validation " + nn::percent(dropout_val) + " > " + nn::percent(plain_val),
         dropout_val > plain_val});
}

int run(const nn::Options& options, double input_drop, double dropout, const std::string& part,
        const ch05::BatchNormSettings& batch_norm) {
    const bool dropout_part = part != "batch-norm", batch_norm_part = part != "dropout";
    std::vector<std::pair<std::string, std::string>> facts = {
        {"dataset", options.dataset},
        {"network", "784 -> 256 -> 256 -> 10 (ReLU)"},
        {"training images", std::to_string(train_size)},
        {"dropout",
         nn::number_text(input_drop) + " on the input, " + nn::number_text(dropout) + " after hidden layers"},
        {"epochs", std::to_string(options.epochs)},
        {"batch size", std::to_string(options.batch_size)},
        {"learning rate", nn::number_text(options.learning_rate)}};
    if (!dropout_part) facts = {{"dataset", options.dataset}, {"dropout", "skipped (--part batch-norm)"}};
    facts.push_back({"batch norm", batch_norm_part ? "784 -> 256 x 4 -> 10 (ReLU) on " +
                                                         std::to_string(batch_norm.training_images) + " images, " +
                                                         std::to_string(batch_norm.epochs) + " epochs; sweep " +
                                                         std::to_string(batch_norm.sweep_epochs) + " epochs per rate"
                                                   : "skipped (--part dropout)"});
    nn::print_banner(std::cout, "Chapter 5: dropout and batch normalisation", facts);
    nn::set_seed(options.seed);
    const nn::Splits data = nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir));
    nn::Json json = {{"chapter", 5}, {"seed", options.seed}, {"dataset", options.dataset}};
    std::vector<nn::Claim> claims;
    if (dropout_part) dropout_study(data, options, input_drop, dropout, json, claims);
    if (batch_norm_part) {
        const ch05::BatchNormStudy study = ch05::batch_norm_study(data, options, batch_norm);
        if (!options.out_dir.empty()) ch05::write_batch_norm_charts(options, study);
        json["batch_norm"] = study.to_json();
        for (auto& claim : ch05::batch_norm_claims(study)) claims.push_back(claim);
    }
    if (!options.json_path.empty()) nn::write_json(options.json_path, json);
    return nn::print_claims(std::cout, claims);
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 50;
    options.learning_rate = 0.1;
    options.batch_size = 32;
    double dropout = 0.5, input_drop = 0.2;
    CLI::App app{
        "Chapter 5: dropout - the train/validation gap with and without it; batch normalisation - a deeper network "
        "with and without it, and a sweep of learning rates"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    app.add_option("--dropout", dropout, "Drop probability after each hidden layer")
        ->check(nn::finite_range(0.0, 0.95))
        ->capture_default_str();
    app.add_option("--input-dropout", input_drop, "Drop probability of the input pixels")
        ->check(nn::finite_range(0.0, 0.95))
        ->capture_default_str();
    std::string part = "all";
    app.add_option("--part", part, "Which part to run: dropout, batch normalisation, or both")
        ->check(CLI::IsMember({"all", "dropout", "batch-norm"}))
        ->capture_default_str();
    ch05::BatchNormSettings batch_norm;
    app.add_option("--batch-norm-epochs", batch_norm.epochs, "Epochs of the deep networks with and without batch norm")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--sweep-epochs", batch_norm.sweep_epochs, "Epochs of each run of the learning-rate sweep (0: none)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options, input_drop, dropout, part, batch_norm); });
}
