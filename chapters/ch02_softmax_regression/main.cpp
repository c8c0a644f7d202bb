// Chapter 2: softmax regression.
//
// Trains a linear classifier, logits = W x + b with W 10 x 784, by
// mini-batch stochastic gradient descent on the cross-entropy loss, printing
// the loss and accuracy of every epoch.
//
//   ./course run 2 [--reference] [--epochs N] [--learning-rate R] [--batch-size B]
//                  [--train-size N] [--initial-loss] [--seed N] [--out DIR] [--json FILE]

#include <iostream>

#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/image.hpp"
#include "nn/matrix_ops.hpp"
#include "nn/report.hpp"
#include "nn/softmax_regression.hpp"
#include "nn/training.hpp"

namespace {

// The claim of the chapter: softmax regression reaches at least this much
// test accuracy with the defaults (about 92.4% on MNIST, 83.4% on Fashion-MNIST).
double accuracy_bar(const std::string& dataset) { return dataset == "fashion" ? 0.82 : 0.92; }
// Training accuracy is measured on this many training samples, to save time.
constexpr std::size_t train_sample = 10000;

double evaluate(const nn::SoftmaxRegression& model, const nn::Dataset& data) {
    return nn::accuracy(nn::argmax_columns(model.logits(data.images)), data.labels);
}

int run(const nn::Options& options) {
    nn::print_banner(std::cout, "Chapter 2: softmax regression",
                     {{"dataset", options.dataset},
                      {"model", "784 -> 10 (softmax)"},
                      {"epochs", std::to_string(options.epochs)},
                      {"batch size", std::to_string(options.batch_size)},
                      {"learning rate", nn::number_text(options.learning_rate)}});
    nn::set_seed(options.seed);
    const nn::Splits data =
        nn::limit_training_set(options, nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir)));
    const nn::Dataset train_part = data.train.head(train_sample);
    std::cout << "train " << data.train.size() << ", validation " << data.validation.size() << ", test "
              << data.test.size() << "\n\n";

    nn::SoftmaxRegression model(data.info.image_size(), data.info.num_classes());
    if (options.initial_loss)
        nn::print_initial_loss(std::cout, model.logits(train_part.images), train_part.labels,
                               model.logits(data.validation.images), data.validation.labels);
    nn::Progress progress(std::cout);
    nn::History history;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        nn::Timer timer;
        const double loss = nn::sgd_epoch(model, data.train, options.batch_size, options.learning_rate);
        nn::require_finite_loss(loss, epoch, options.learning_rate);
        history.epochs.push_back({epoch, options.epochs, loss, evaluate(model, train_part),
                                  evaluate(model, data.validation), timer.seconds()});
        progress.epoch_done(history.epochs.back());
    }
    const double test = evaluate(model, data.test);

    nn::ResultTable table("Softmax regression after " + std::to_string(options.epochs) + " epochs");
    table.add("final training loss", nn::number_text(history.epochs.back().loss));
    table.add("validation accuracy", nn::percent(*history.epochs.back().validation_accuracy));
    table.add("test accuracy", nn::percent(test));
    table.print(std::cout);

    if (!options.out_dir.empty()) {
        history.write_files(options.out_dir, "Softmax regression");
        // Each row of W is a 784-pixel template of its class.
        nn::write_png(nn::output_path(options, "weights.png"),
                      nn::image_grid(model.weights.t(), 28, 28, 5, 4, 2, true));
        std::cout << "wrote history.csv, loss.svg, accuracy.svg and weights.png to " << options.out_dir << '\n';
    }
    if (!options.json_path.empty())
        nn::write_json(
            options.json_path,
            {{"chapter", 2},
             {"seed", options.seed},
             {"dataset", options.dataset},
             {"sizes",
              {{"train", data.train.size()}, {"validation", data.validation.size()}, {"test", data.test.size()}}},
             {"history", history.to_json()},
             {"final_loss", history.epochs.back().loss},
             {"validation_accuracy", *history.epochs.back().validation_accuracy},
             {"test_accuracy", test}});
    return nn::print_verdict(std::cout, "test accuracy", test, accuracy_bar(options.dataset));
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 10;
    options.learning_rate = 0.1;  // 0.02 for --dataset fashion, set after parsing
    options.batch_size = 32;
    CLI::App app{"Chapter 2: softmax regression trained with mini-batch SGD"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    nn::add_sanity_options(app, options);
    CLI11_PARSE(app, argc, argv);
    // Fashion-MNIST images carry more ink, so the same step size is too large.
    if (options.dataset == "fashion" && app.count("--learning-rate") == 0) options.learning_rate = 0.02;
    return nn::guarded_main([&] { return run(options); });
}
