// `evaluate`: accuracy, per-class precision and recall, the confusion matrix,
// the misclassified digits and the first layer's weights as pictures.

#include <iomanip>
#include <iostream>

#include "app.hpp"
#include "nn/classifier.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/image.hpp"
#include "nn/model.hpp"
#include "nn/report.hpp"

namespace app {
namespace {

void print_confusion(const arma::umat& confusion, const nn::ClassScores& scores, const nn::DatasetInfo& info) {
    std::cout << "\nConfusion matrix (rows: true class, columns: predicted)\n      ";
    for (arma::uword k = 0; k < confusion.n_cols; ++k) std::cout << std::setw(6) << k;
    std::cout << "   precision  recall  class\n";
    for (arma::uword i = 0; i < confusion.n_rows; ++i) {
        std::cout << std::setw(6) << i;
        for (arma::uword j = 0; j < confusion.n_cols; ++j) std::cout << std::setw(6) << confusion(i, j);
        std::cout << std::setw(12) << nn::percent(scores.precision[i]) << std::setw(8) << nn::percent(scores.recall[i])
                  << "  " << info.class_names[i] << '\n';
    }
}

// Misclassified test images in a grid, each captioned "true>predicted".
nn::Image misclassified_gallery(const nn::Dataset& test, const arma::uvec& predicted, arma::uword limit) {
    const arma::uvec wrong = arma::find(predicted != test.labels);
    const arma::uword n = std::min<arma::uword>(limit, wrong.n_elem);
    constexpr int scale = 3, cell = 28 * scale, caption = 20, per_row = 10;
    const int rows = static_cast<int>((n + per_row - 1) / per_row);
    nn::Image image(per_row * (cell + 4), std::max(rows, 1) * (cell + caption + 4), 1, 40);
    for (arma::uword k = 0; k < n; ++k) {
        const int x = static_cast<int>(k % per_row) * (cell + 4) + 2,
                  y = static_cast<int>(k / per_row) * (cell + caption + 4) + 2;
        const nn::Image digit = nn::gray_image(test.images.col(wrong[k]).head(784), 28, 28, scale);
        for (int r = 0; r < digit.height; ++r)
            std::copy_n(digit.bytes.begin() + r * digit.width, digit.width,
                        image.bytes.begin() + (y + r) * image.width + x);
        nn::draw_text(image, x + 4, y + cell + 4,
                      std::to_string(test.labels[wrong[k]]) + ">" + std::to_string(predicted[wrong[k]]), 2, 255);
    }
    return image;
}

}  // namespace

int evaluate(const EvaluateConfig& config) {
    nn::Classifier model = nn::load_model(config.model_path);
    const nn::DatasetInfo info = nn::dataset_info(model.dataset);
    nn::print_banner(std::cout, "Chapter 8: the MNIST classifier - evaluate",
                     {{"model", config.model_path},
                      {"dataset", info.title},
                      {"features", nn::features_name(model.features)},
                      {"network", model.network.describe()}});
    // The test files only: a broken training file does not stop an evaluation.
    const nn::Dataset test = nn::load_test_split(model.dataset, nn::resolve_data_dir(config.data_dir));
    const arma::uvec predicted = arma::index_max(model.probabilities(test.images), 0).t();
    const arma::umat confusion = nn::confusion_matrix(predicted, test.labels, info.num_classes());
    const nn::ClassScores scores = nn::precision_recall(confusion);
    const double accuracy = static_cast<double>(arma::trace(confusion)) / test.size();
    print_confusion(confusion, scores, info);

    nn::ResultTable table("Test set (" + std::to_string(test.size()) + " images)");
    table.add("accuracy", nn::percent(accuracy));
    table.add("misclassified", std::to_string(test.size() - arma::trace(confusion)));
    table.add("accuracy recorded at training", nn::percent(model.test_accuracy));
    table.print(std::cout);

    nn::Options out;
    out.out_dir = config.out_dir;
    nn::write_png(nn::output_path(out, "confusion.png"), nn::heat_map(arma::conv_to<arma::mat>::from(confusion), 40));
    nn::write_png(nn::output_path(out, "misclassified.png"), misclassified_gallery(test, predicted, 100));
    // Each first-layer unit's weights on the 784 pixels, as a 28x28 picture.
    const auto& first = dynamic_cast<const nn::Dense&>(model.network.layer(0));
    const arma::uword units = std::min<arma::uword>(first.weights.n_rows, 64);
    nn::write_png(nn::output_path(out, "weights.png"),
                  nn::image_grid(first.weights.submat(0, 0, units - 1, 783).t(), 28, 28, 8, 3, 2, true));
    std::cout << "wrote confusion.png, misclassified.png (captions: true>predicted) and weights.png to "
              << config.out_dir << '\n';
    if (!config.json_path.empty()) {
        nn::Json classes = nn::Json::array(), rows = nn::Json::array();
        for (arma::uword k = 0; k < info.num_classes(); ++k) {
            classes.push_back({{"class", k}, {"precision", scores.precision[k]}, {"recall", scores.recall[k]}});
            rows.push_back(arma::conv_to<std::vector<arma::uword>>::from(confusion.row(k)));
        }
        nn::write_json(config.json_path, {{"chapter", 8},
                                          {"dataset", model.dataset},
                                          {"test_accuracy", accuracy},
                                          {"misclassified", test.size() - arma::trace(confusion)},
                                          {"recorded_test_accuracy", model.test_accuracy},
                                          {"classes", classes},
                                          {"confusion", rows}});
    }
    return 0;
}

}  // namespace app
