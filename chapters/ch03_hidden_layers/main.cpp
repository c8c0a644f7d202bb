// Chapter 3: hidden layers.
//
// First a look inside deep networks at initialisation: how the size of the
// signal changes from layer to layer with too small weights, with He's
// (ReLU, leaky ReLU) and with Xavier's (sigmoid, tanh) initialisation. Then the same network, 784-128-10, trained
// with ReLU and with sigmoid hidden units side by side.
//
//   ./course run 3 [--reference] [--epochs N] [--learning-rate R] [--batch-size B]
//                  [--train-size N] [--initial-loss] [--init-scale S] [--seed N] [--out DIR] [--json FILE]

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <vector>

#include "nn/chart.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/layers.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"

namespace {

// The claim of the chapter: the ReLU network reaches this test accuracy.
double accuracy_bar(const std::string& dataset) { return dataset == "fashion" ? 0.86 : 0.97; }

// One hidden layer, built by hand from the layers of this chapter:
// dense(784 -> 128), activation, dense(128 -> 10).
struct HiddenLayerNet {
    std::unique_ptr<nn::Dense> hidden, output;
    std::unique_ptr<nn::Layer> activation;

    HiddenLayerNet(arma::uword inputs, arma::uword width, arma::uword classes, const std::string& kind)
        : hidden(nn::make_dense(inputs, width, kind)),
          output(nn::make_dense(width, classes, kind)),
          activation(nn::make_activation(kind)) {}
    arma::mat forward(const arma::mat& x) { return output->forward(activation->forward(hidden->forward(x))); }
    arma::mat backward(const arma::mat& g) { return hidden->backward(activation->backward(output->backward(g))); }
    std::vector<nn::Parameter> parameters() {
        return {{"hidden.weights", &hidden->weights, &hidden->weights_gradient},
                {"hidden.bias", &hidden->bias, &hidden->bias_gradient},
                {"output.weights", &output->weights, &output->weights_gradient},
                {"output.bias", &output->bias, &output->bias_gradient}};
    }
};

// The weights of five hidden layers of 128 units for the first `inputs`
// pixels: He, Xavier (with your he_normal() and xavier_uniform()) or N(0, 0.01^2).
std::vector<arma::mat> draw_stack(arma::uword inputs, const std::string& init) {
    std::vector<arma::mat> stack;
    for (arma::uword in = inputs; stack.size() < 5; in = 128)
        stack.push_back(init == "He"       ? nn::he_normal(in, 128)
                        : init == "Xavier" ? nn::xavier_uniform(in, 128)
                                           : arma::mat(0.01 * arma::randn(128, in)));
    return stack;
}

// Activation statistics of the stack at initialisation, each weight matrix
// times `gain`. Returns them per layer for --json, with two statistics of the
// weights (their spread, and the mean of the first row, which changes if the
// same numbers are drawn in another order): `./course compare 3` can then tell
// a different draw from a different activation.
nn::Json print_activation_statistics(const arma::mat& batch, const std::vector<arma::mat>& stack,
                                     const std::string& activation, const std::string& init, double gain = 1.0) {
    std::cout << "  " << activation << " with " << init << " initialisation\n"
              << "    layer      mean       std   dead units\n";
    nn::Json layers = nn::Json::array();
    const std::unique_ptr<nn::Layer> unit = nn::make_activation(activation);
    arma::mat a = batch;
    for (int layer = 1; layer <= 5; ++layer) {
        const arma::mat w = gain * stack[layer - 1];
        a = unit->forward(w * a);
        // A unit is dead if its derivative is 0 for every sample: no gradient reaches its weights.
        const arma::mat slope = unit->backward(arma::ones(arma::size(a)));
        const double dead = arma::mean(arma::conv_to<arma::vec>::from(arma::max(arma::abs(slope), 1) <= 0.0));
        const double mean = arma::mean(arma::vectorise(a)), spread = arma::stddev(arma::vectorise(a));
        std::cout << "    " << std::setw(5) << layer << std::fixed << std::setprecision(4) << std::setw(10) << mean
                  << std::setw(10) << spread << std::setw(12) << nn::percent(dead) << '\n';
        layers.push_back({{"layer", layer},
                          {"weights_std", arma::stddev(arma::vectorise(w))},
                          {"weights_first_row_mean", arma::mean(w.row(0))},
                          {"mean", mean},
                          {"std", spread},
                          {"dead_units", dead}});
    }
    std::cout << std::defaultfloat;
    return layers;
}

// The table of the chapter: ReLU with too small weights and with He's, leaky
// ReLU on the same He weights (times the leaky gain, as nn::make_dense() draws
// them), sigmoid with Xavier's and tanh on the same Xavier weights.
nn::Json print_initialisation_table(const arma::mat& batch) {
    std::cout << "\nFive hidden layers of 128 units at initialisation, on " << batch.n_cols << " training images:\n";
    const std::vector<arma::mat> small = draw_stack(batch.n_rows, "N(0, 0.01^2)");
    const std::vector<arma::mat> he = draw_stack(batch.n_rows, "He");
    const std::vector<arma::mat> xavier = draw_stack(batch.n_rows, "Xavier");
    const double leaky_gain = 1.0 / std::sqrt(1.0 + nn::default_leaky_slope * nn::default_leaky_slope);
    return {{"relu_small_normal", print_activation_statistics(batch, small, "relu", "N(0, 0.01^2)")},
            {"relu_he", print_activation_statistics(batch, he, "relu", "He")},
            {"leaky_relu_he", print_activation_statistics(batch, he, "leaky_relu", "He (leaky gain)", leaky_gain)},
            {"sigmoid_xavier", print_activation_statistics(batch, xavier, "sigmoid", "Xavier")},
            {"tanh_xavier", print_activation_statistics(batch, xavier, "tanh", "Xavier")}};
}

// One trained network's numbers for --json.
nn::Json run_json(const nn::History& history, double test) {
    return {{"history", history.to_json()},
            {"validation_accuracy", *history.epochs.back().validation_accuracy},
            {"test_accuracy", test}};
}

nn::History train(HiddenLayerNet& net, const nn::Splits& data, const nn::Options& options, const std::string& name) {
    std::cout << "\nTraining 784-128-10 with " << name << " hidden units\n";
    if (options.initial_loss) nn::print_initial_loss(std::cout, net, data.train, data.validation);
    nn::TrainSettings settings;
    settings.epochs = options.epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = options.learning_rate;
    settings.out = &std::cout;
    return nn::train_and_validate(net, data.train, data.validation, settings, [&](const std::vector<nn::Parameter>& p) {
        nn::sgd_update(p, options.learning_rate);
    });
}

int run(const nn::Options& options, double init_scale) {
    nn::print_banner(std::cout, "Chapter 3: hidden layers",
                     {{"dataset", options.dataset},
                      {"network", "784 -> 128 -> 10"},
                      {"epochs", std::to_string(options.epochs)},
                      {"batch size", std::to_string(options.batch_size)},
                      {"learning rate", nn::number_text(options.learning_rate)}});
    nn::set_seed(options.seed);
    nn::Splits loaded = nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir));
    const arma::mat probe = loaded.train.images.head_cols(1000);
    const nn::Splits data = nn::limit_training_set(options, std::move(loaded));

    const nn::Json initialisation = print_initialisation_table(probe);

    HiddenLayerNet relu_net(784, 128, 10, "relu"), sigmoid_net(784, 128, 10, "sigmoid");
    if (init_scale != 1.0) {  // an experiment: initial weights too small or too large
        std::cout << "\ninitial weights of both networks multiplied by " << nn::number_text(init_scale) << '\n';
        for (HiddenLayerNet* net : {&relu_net, &sigmoid_net}) {
            net->hidden->weights *= init_scale;
            net->output->weights *= init_scale;
        }
    }
    const nn::History relu_history = train(relu_net, data, options, "ReLU");
    const nn::History sigmoid_history = train(sigmoid_net, data, options, "sigmoid");
    const double relu_test = nn::evaluate_accuracy(relu_net, data.test);
    const double sigmoid_test = nn::evaluate_accuracy(sigmoid_net, data.test);

    nn::ResultTable table("784-128-10 after " + std::to_string(options.epochs) + " epochs");
    table.add("ReLU    validation / test",
              nn::percent(*relu_history.epochs.back().validation_accuracy) + " / " + nn::percent(relu_test));
    table.add("sigmoid validation / test",
              nn::percent(*sigmoid_history.epochs.back().validation_accuracy) + " / " + nn::percent(sigmoid_test));
    table.print(std::cout);

    if (!options.out_dir.empty()) {
        relu_history.write_files(options.out_dir, "784-128-10, ReLU", "relu_");
        sigmoid_history.write_files(options.out_dir, "784-128-10, sigmoid", "sigmoid_");
        std::cout << "wrote relu_* and sigmoid_* history.csv, loss.svg, accuracy.svg to " << options.out_dir << '\n';
    }
    if (!options.json_path.empty())
        nn::write_json(options.json_path, {{"chapter", 3},
                                           {"seed", options.seed},
                                           {"dataset", options.dataset},
                                           {"initialisation", initialisation},
                                           {"relu", run_json(relu_history, relu_test)},
                                           {"sigmoid", run_json(sigmoid_history, sigmoid_test)}});
    return nn::print_verdict(std::cout, "ReLU test accuracy", relu_test, accuracy_bar(options.dataset));
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 10;
    options.learning_rate = 0.1;
    options.batch_size = 32;
    CLI::App app{"Chapter 3: hidden layers - ReLU against sigmoid, and why initialisation matters"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    nn::add_sanity_options(app, options);
    double init_scale = 1.0;
    app.add_option("--init-scale", init_scale, "Multiply the initial weights (He for ReLU, Xavier for sigmoid) by this")
        ->check(nn::finite_range(1e-6, 1e6))
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options, init_scale); });
}
