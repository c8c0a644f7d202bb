// Chapter 1: matrix operations.
//
// Looks at the data (a digit as ASCII art, the mean image of each class) and
// builds the simplest classifier there is: predict the class whose mean image
// is nearest. Every step is one of your chapter 1 functions.
//
//   ./course run 1 [--reference] [--train-size N] [--seed N] [--out DIR] [--json FILE]

#include <iostream>

#include "nn/ascii.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/image.hpp"
#include "nn/matrix_ops.hpp"
#include "nn/report.hpp"

namespace {

// The claim of the chapter: nearest class mean gets at least this much test
// accuracy (about 82% on MNIST, 68% on the harder Fashion-MNIST).
double accuracy_bar(const std::string& dataset) { return dataset == "fashion" ? 0.65 : 0.80; }

// Predicted class of each column of images: the nearest of the means.
arma::uvec nearest_mean(const arma::mat& images, const arma::mat& means) {
    return nn::argmax_columns(-nn::squared_distances(images, means));
}

nn::Json sizes_json(const nn::Splits& data) {
    return {{"train", data.train.size()},
            {"validation", data.validation.size()},
            {"test", data.test.size()},
            {"image_rows", data.info.image_rows},
            {"image_cols", data.info.image_cols}};
}

// Mean and spread of each class's mean image (drawn as ASCII art above), for --json.
nn::Json class_means_json(const arma::mat& means) {
    nn::Json classes = nn::Json::array();
    for (arma::uword k = 0; k < means.n_cols; ++k)
        classes.push_back({{"class", k}, {"mean", arma::mean(means.col(k))}, {"std", arma::stddev(means.col(k))}});
    return classes;
}

int run(const nn::Options& options) {
    nn::print_banner(std::cout, "Chapter 1: matrix operations", {{"dataset", options.dataset}});
    nn::set_seed(options.seed);
    const nn::Splits data =
        nn::limit_training_set(options, nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir)));
    std::cout << "train " << data.train.size() << ", validation " << data.validation.size() << ", test "
              << data.test.size() << " images of " << data.info.image_rows << "x" << data.info.image_cols
              << " pixels, one per column: train.images is " << data.train.images.n_rows << " x "
              << data.train.images.n_cols << "\n\n";

    const arma::uword shown = arma::randi<arma::uword>(arma::distr_param(0, int(data.train.size()) - 1));
    std::cout << "A random training image (#" << shown << "), labelled "
              << data.info.class_names[data.train.labels[shown]] << ":\n"
              << nn::ascii_image(data.train.images.col(shown)) << '\n';

    const arma::mat means = nn::class_means(data.train.images, data.train.labels, data.info.num_classes());
    std::cout << "The mean training image of each class (ch01.5):\n"
              << nn::ascii_gallery(means, data.info.class_names) << '\n';

    const double validation = nn::accuracy(nearest_mean(data.validation.images, means), data.validation.labels);
    const double test = nn::accuracy(nearest_mean(data.test.images, means), data.test.labels);

    nn::ResultTable table("Nearest class mean (ch01.6 distances, ch01.3 argmax, ch01.4 accuracy)");
    table.add("validation accuracy", nn::percent(validation));
    table.add("test accuracy", nn::percent(test));
    table.print(std::cout);

    if (!options.out_dir.empty()) {
        nn::write_png(nn::output_path(options, "class_means.png"), nn::image_grid(means, 28, 28, 5, 4));
        nn::write_png(nn::output_path(options, "first_digits.png"),
                      nn::image_grid(data.train.images.head_cols(40), 28, 28, 10, 2));
        std::cout << "wrote class_means.png and first_digits.png to " << options.out_dir << '\n';
    }
    if (!options.json_path.empty())
        nn::write_json(options.json_path, {{"chapter", 1},
                                           {"seed", options.seed},
                                           {"dataset", options.dataset},
                                           {"sizes", sizes_json(data)},
                                           {"shown_image", shown},
                                           {"class_means", class_means_json(means)},
                                           {"validation_accuracy", validation},
                                           {"test_accuracy", test}});
    return nn::print_verdict(std::cout, "test accuracy", test, accuracy_bar(options.dataset));
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    CLI::App app{"Chapter 1: matrix operations - the nearest-class-mean classifier"};
    nn::add_data_options(app, options);
    nn::add_sanity_options(app, options, false);  // --train-size: class means from fewer images
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options); });
}
