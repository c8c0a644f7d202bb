// Chapter 4: backpropagation and gradient checking.
//
// Checks every gradient of a small network against central differences,
// shows the check catching a layer with a bug in its backward pass, then
// trains a deeper network, 784-128-64-10, on the full data.
//
//   ./course run 4 [--reference] [--epochs N] [--learning-rate R] [--batch-size B]
//                  [--train-size N] [--initial-loss] [--seed N] [--out DIR] [--json FILE]

#include <iostream>

#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/network.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"

namespace {

constexpr double gradient_tolerance = 1e-7;
double accuracy_bar(const std::string& dataset) { return dataset == "fashion" ? 0.87 : 0.975; }

// A dense layer with a classic bug: its backward pass forgets the bias gradient.
class ForgetfulDense : public nn::Dense {
public:
    using nn::Dense::Dense;
    arma::mat backward(const arma::mat& g) override {
        arma::mat input_gradient = nn::Dense::backward(g);
        bias_gradient.zeros();
        return input_gradient;
    }
};

// A small seeded network, 12-10-8-5 with ReLU, and inputs whose
// pre-activations all keep clear of ReLU's kink at 0 (where the gradient jumps).
template <typename SecondDense>
nn::Sequential small_network(arma::mat& inputs) {
    for (;;) {
        nn::Sequential net;
        net.add(nn::make_dense(12, 10, "relu")).bias = 0.1 * arma::randn(10, 1);
        net.add(nn::make_activation("relu"));
        auto& second = net.add(std::make_unique<SecondDense>(10, 8));
        second.weights = nn::he_normal(10, 8);
        second.bias = 0.1 * arma::randn(8, 1);
        net.add(nn::make_activation("relu"));
        net.add(nn::make_dense(8, 5, "relu")).bias = 0.1 * arma::randn(5, 1);
        inputs = arma::randn(12, 6);
        net.forward(inputs);
        double closest = arma::datum::inf;
        for (std::size_t i = 0; i < net.size(); ++i)
            if (auto* r = dynamic_cast<nn::ReLU*>(&net.layer(i)))
                closest = std::min(closest, arma::abs(r->input()).min());
        if (closest > 1e-3) return net;  // else a kink is too close: draw again
    }
}

// The rows of a gradient check, as printed, for --json.
nn::Json checks_json(const std::vector<nn::GradientCheck>& rows) {
    nn::Json out = nn::Json::array();
    for (const auto& row : rows)
        out.push_back({{"parameter", row.name},
                       {"relative_error", row.error.value},
                       {"row", row.error.row},
                       {"col", row.error.col},
                       {"analytic", row.analytic},
                       {"numeric", row.numeric}});
    return out;
}

int run(const nn::Options& options) {
    nn::print_banner(std::cout, "Chapter 4: backpropagation and gradient checking",
                     {{"dataset", options.dataset},
                      {"network", "784 -> 128 -> 64 -> 10 (ReLU)"},
                      {"epochs", std::to_string(options.epochs)},
                      {"batch size", std::to_string(options.batch_size)},
                      {"learning rate", nn::number_text(options.learning_rate)}});
    nn::set_seed(options.seed);
    const arma::uvec labels = {0, 1, 2, 3, 4, 0};

    std::cout << "Gradient check of a 12-10-8-5 ReLU network on 6 random inputs (central differences, h = 1e-5):\n";
    arma::mat inputs;
    nn::Sequential good = small_network<nn::Dense>(inputs);
    const auto good_rows = nn::gradient_check(good, inputs, labels);
    const bool all_good = nn::print_gradient_checks(std::cout, good_rows, good, gradient_tolerance);

    std::cout << "\nThe same check on a network whose second dense layer forgets its bias gradient:\n";
    nn::set_seed(options.seed, nullptr);  // the same weights and inputs as above
    nn::Sequential broken = small_network<ForgetfulDense>(inputs);
    const auto broken_rows = nn::gradient_check(broken, inputs, labels);
    nn::print_gradient_checks(std::cout, broken_rows, broken, gradient_tolerance);
    std::string caught;
    for (const auto& row : broken_rows)
        if (row.error.value >= gradient_tolerance) caught += (caught.empty() ? "" : ", ") + row.name;
    std::cout << "caught: " << (caught.empty() ? "nothing" : caught) << "\n\n";

    const nn::Splits data =
        nn::limit_training_set(options, nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir)));
    nn::Sequential net = nn::make_mlp({784, 128, 64, 10}, "relu");
    std::cout << "Training " << net.describe() << '\n';
    if (options.initial_loss) nn::print_initial_loss(std::cout, net, data.train, data.validation);
    nn::TrainSettings settings;
    settings.epochs = options.epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = options.learning_rate;
    settings.out = &std::cout;
    const nn::History history =
        nn::train_and_validate(net, data.train, data.validation, settings,
                               [&](const std::vector<nn::Parameter>& p) { nn::sgd_update(p, options.learning_rate); });
    const double test = nn::evaluate_accuracy(net, data.test);

    nn::ResultTable table(net.describe());
    table.add("validation accuracy", nn::percent(*history.epochs.back().validation_accuracy));
    table.add("test accuracy", nn::percent(test));
    table.print(std::cout);
    if (!options.out_dir.empty()) {
        history.write_files(options.out_dir, "784-128-64-10");
        std::cout << "wrote history.csv, loss.svg and accuracy.svg to " << options.out_dir << '\n';
    }
    if (!options.json_path.empty())
        nn::write_json(options.json_path, {{"chapter", 4},
                                           {"seed", options.seed},
                                           {"dataset", options.dataset},
                                           {"gradient_check", checks_json(good_rows)},
                                           {"broken_gradient_check", checks_json(broken_rows)},
                                           {"caught", caught},
                                           {"history", history.to_json()},
                                           {"validation_accuracy", *history.epochs.back().validation_accuracy},
                                           {"test_accuracy", test}});
    return nn::print_claims(
        std::cout, {{"every gradient of the correct network has relative error < 1e-7", all_good},
                    {"the forgotten bias gradient is caught (dense2.bias)", caught == "dense2.bias"},
                    {"test accuracy " + nn::percent(test) + " >= " + nn::percent(accuracy_bar(options.dataset)),
                     test >= accuracy_bar(options.dataset)}});
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 20;
    options.learning_rate = 0.05;
    options.batch_size = 32;
    CLI::App app{"Chapter 4: backpropagation, gradient checks, and a 784-128-64-10 network"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    nn::add_sanity_options(app, options);
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options); });
}
