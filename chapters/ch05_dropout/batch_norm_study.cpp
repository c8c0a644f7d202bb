// Chapter 5, second part: batch normalisation (see batch_norm_study.hpp).

#include "batch_norm_study.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "nn/batch_norm.hpp"
#include "nn/chart.hpp"
#include "nn/core.hpp"
#include "nn/network.hpp"
#include "nn/training.hpp"

namespace ch05 {

const std::vector<arma::uword> deep_sizes = {784, 256, 256, 256, 256, 10};

namespace {

// dense -> [batchnorm ->] relu for every hidden layer, then the output
// layer. The batch norm layers draw no random numbers, so a seed gives both
// networks the same dense weights.
nn::Sequential deep_network(bool batch_norm) {
    nn::Sequential net;
    for (std::size_t i = 0; i + 2 < deep_sizes.size(); ++i) {
        net.add(nn::make_dense(deep_sizes[i], deep_sizes[i + 1], "relu"));
        if (batch_norm) net.add(std::make_unique<nn::BatchNorm>(deep_sizes[i + 1]));
        net.add(nn::make_activation("relu"));
    }
    net.add(nn::make_dense(deep_sizes[deep_sizes.size() - 2], deep_sizes.back(), "relu"));
    return net;
}

// Trains a deep network with plain SGD from the seed's initial weights.
// \p out: where the epochs are printed (nullptr: nowhere).
nn::History train_deep(nn::Sequential& net, const nn::Dataset& train, const nn::Dataset& validation,
                       const nn::Options& options, double learning_rate, int epochs, std::ostream* out) {
    nn::TrainSettings settings;
    settings.epochs = epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = learning_rate;
    settings.train_sample = train.size();
    settings.switch_modes = true;  // evaluate with the running averages
    settings.out = out;
    return nn::train_and_validate(net, train, validation, settings,
                                  [&](const std::vector<nn::Parameter>& p) { nn::sgd_update(p, learning_rate); });
}

// The largest |b| of the hidden dense layers (all but the output layer).
double hidden_bias_max(nn::Sequential& net) {
    double largest = 0.0;
    std::vector<nn::Dense*> dense;
    for (std::size_t i = 0; i < net.size(); ++i)
        if (auto* layer = dynamic_cast<nn::Dense*>(&net.layer(i))) dense.push_back(layer);
    for (std::size_t i = 0; i + 1 < dense.size(); ++i) largest = std::max(largest, arma::abs(dense[i]->bias).max());
    return largest;
}

std::string accuracy_text(const std::optional<double>& accuracy) {
    return accuracy ? nn::percent(*accuracy) : "diverged";
}

SweepPoint sweep_point(const nn::Splits& data, const nn::Dataset& train, const nn::Options& options, double rate,
                       int epochs) {
    SweepPoint point{rate, {}, {}};
    for (const bool batch_norm : {false, true}) {
        nn::set_seed(options.seed, nullptr);  // the same weights and batch order for every run
        nn::Sequential net = deep_network(batch_norm);
        std::optional<double>& result = batch_norm ? point.normalized : point.plain;
        try {
            result = *train_deep(net, train, data.validation, options, rate, epochs, nullptr)
                          .epochs.back()
                          .validation_accuracy;
        } catch (const nn::TrainingDiverged&) {
            result.reset();
        }
    }
    std::cout << "learning rate " << std::setw(5) << nn::number_text(rate) << "   plain " << std::setw(8)
              << accuracy_text(point.plain) << "   batch norm " << std::setw(8) << accuracy_text(point.normalized)
              << '\n';
    return point;
}

void print_tables(const BatchNormStudy& study) {
    std::cout << "\nValidation accuracy per epoch, " << study.settings.training_images << " training images\n"
              << "epoch       plain  batch norm\n"
              << std::string(28, '-') << '\n';
    for (std::size_t e = 0; e < study.plain.epochs.size(); ++e)
        std::cout << std::setw(5) << e + 1 << std::setw(12) << nn::percent(*study.plain.epochs[e].validation_accuracy)
                  << std::setw(12) << nn::percent(*study.normalized.epochs[e].validation_accuracy) << '\n';
    std::cout << " test" << std::setw(12) << nn::percent(study.plain_test) << std::setw(12)
              << nn::percent(study.normalized_test) << '\n'
              << "largest |bias| of the hidden dense layers: plain " << nn::number_text(study.plain_bias)
              << ", batch norm " << nn::number_text(study.normalized_bias) << " (all start at 0)\n";
    if (study.sweep.empty()) return;
    std::cout << "\nValidation accuracy after " << study.settings.sweep_epochs << " epochs of plain SGD\n"
              << "learning rate       plain  batch norm\n"
              << std::string(36, '-') << '\n';
    for (const SweepPoint& p : study.sweep)
        std::cout << std::setw(13) << nn::number_text(p.learning_rate) << std::setw(12) << accuracy_text(p.plain)
                  << std::setw(12) << accuracy_text(p.normalized) << '\n';
}

nn::Json optional_json(const std::optional<double>& value) { return value ? nn::Json(*value) : nn::Json(nullptr); }

}  // namespace

BatchNormStudy batch_norm_study(const nn::Splits& data, const nn::Options& options, const BatchNormSettings& settings) {
    BatchNormStudy study;
    study.settings = settings;
    study.learning_rate = options.learning_rate;
    const nn::Dataset train = data.train.head(settings.training_images);
    for (const bool batch_norm : {false, true}) {
        nn::set_seed(options.seed, nullptr);
        nn::Sequential net = deep_network(batch_norm);
        std::cout << "\nTraining " << net.describe() << '\n';
        nn::History history =
            train_deep(net, train, data.validation, options, options.learning_rate, settings.epochs, &std::cout);
        (batch_norm ? study.normalized_test : study.plain_test) = nn::evaluate_in_eval_mode(net, data.test);
        (batch_norm ? study.normalized_bias : study.plain_bias) = hidden_bias_max(net);
        (batch_norm ? study.normalized : study.plain) = std::move(history);
    }
    if (settings.sweep_epochs > 0) {
        std::cout << "\nLearning-rate sweep: " << settings.sweep_epochs << " epochs of plain SGD on "
                  << settings.training_images << " images each, without and with batch norm\n";
        for (const double rate : settings.sweep_rates)
            study.sweep.push_back(sweep_point(data, train, options, rate, settings.sweep_epochs));
    }
    print_tables(study);
    return study;
}

nn::Json BatchNormStudy::to_json() const {
    nn::Json sweep_json = nn::Json::array();
    for (const SweepPoint& p : sweep)
        sweep_json.push_back({{"learning_rate", p.learning_rate},
                              {"plain_validation_accuracy", optional_json(p.plain)},
                              {"batch_norm_validation_accuracy", optional_json(p.normalized)}});
    return {
        {"network", deep_sizes},
        {"training_images", settings.training_images},
        {"learning_rate", learning_rate},
        {"plain", {{"history", plain.to_json()}, {"test_accuracy", plain_test}, {"hidden_bias_max", plain_bias}}},
        {"batch_norm",
         {{"history", normalized.to_json()}, {"test_accuracy", normalized_test}, {"hidden_bias_max", normalized_bias}}},
        {"sweep_epochs", settings.sweep_epochs},
        {"sweep", sweep_json}};
}

std::vector<nn::Claim> batch_norm_claims(const BatchNormStudy& study) {
    const double plain_first = *study.plain.epochs.front().validation_accuracy;
    const double normalized_first = *study.normalized.epochs.front().validation_accuracy;
    std::vector<nn::Claim> claims = {{"batch norm trains the deep network faster: validation after epoch 1 " +
                                          nn::percent(normalized_first) + " > " + nn::percent(plain_first),
                                      normalized_first > plain_first}};
    if (study.sweep.empty()) return claims;
    const SweepPoint& largest = study.sweep.back();
    const double plain_largest = largest.plain.value_or(0.0);
    claims.push_back({"at the largest learning rate, " + nn::number_text(largest.learning_rate) +
                          ", batch norm still trains: " + accuracy_text(largest.normalized) + " vs " +
                          accuracy_text(largest.plain) + " without",
                      largest.normalized && *largest.normalized > plain_largest});
    return claims;
}

void write_batch_norm_charts(const nn::Options& options, const BatchNormStudy& study) {
    const auto validation = [](const std::string& name, const nn::History& h) {
        nn::Series s{name, {}, {}};
        for (const auto& e : h.epochs) s.x.push_back(e.epoch), s.y.push_back(*e.validation_accuracy);
        return s;
    };
    nn::ChartOptions deep;
    deep.title =
        "784-256-256-256-256-10 on " + std::to_string(study.settings.training_images) + " images: validation accuracy";
    deep.y_label = "accuracy";
    nn::write_line_chart(nn::output_path(options, "batch_norm_deep.svg"),
                         {validation("plain", study.plain), validation("batch norm", study.normalized)}, deep);
    if (!study.sweep.empty()) {
        nn::Series plain{"plain", {}, {}}, normalized{"batch norm", {}, {}};
        plain.markers = normalized.markers = true;
        for (const SweepPoint& p : study.sweep) {
            plain.x.push_back(p.learning_rate), plain.y.push_back(p.plain.value_or(arma::datum::nan));
            normalized.x.push_back(p.learning_rate), normalized.y.push_back(p.normalized.value_or(arma::datum::nan));
        }
        nn::ChartOptions chart;
        chart.title = "Validation accuracy after " + std::to_string(study.settings.sweep_epochs) +
                      " epochs by learning rate (diverged: no point)";
        chart.x_label = "learning rate";
        chart.y_label = "accuracy";
        chart.y_min = 0.0;
        chart.y_max = 1.0;
        chart.x_log = true;
        nn::write_line_chart(nn::output_path(options, "batch_norm_learning_rates.svg"), {plain, normalized}, chart);
    }
    std::cout << "wrote batch_norm_deep.svg" << (study.sweep.empty() ? "" : " and batch_norm_learning_rates.svg")
              << " to " << options.out_dir << '\n';
}

}  // namespace ch05
