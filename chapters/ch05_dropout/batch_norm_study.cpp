// Chapter 5, second part: batch normalisation (see batch_norm_study.hpp).

#include "batch_norm_study.hpp"

#include <algorithm>
#include <functional>
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
                       const nn::Options& options, double learning_rate, int epochs, std::ostream* out,
                       const std::function<bool(const nn::EpochReport&)>& after_epoch = {}) {
    nn::TrainSettings settings;
    settings.epochs = epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = learning_rate;
    settings.train_sample = train.size();
    settings.switch_modes = true;  // evaluate with the running averages
    settings.out = out;
    return nn::train_and_validate(
        net, train, validation, settings,
        [&](const std::vector<nn::Parameter>& p) { nn::sgd_update(p, learning_rate); }, {}, after_epoch);
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

// Trains one deep network; a divergence ends it early instead of the program.
DeepRun deep_run(bool batch_norm, const nn::Splits& data, const nn::Dataset& train, const nn::Options& options,
                 int epochs) {
    nn::set_seed(options.seed, nullptr);  // the same weights and batch order for both networks
    nn::Sequential net = deep_network(batch_norm);
    std::cout << "\nTraining " << net.describe() << '\n';
    DeepRun run;
    try {
        // The epochs are kept as they finish, so that a divergence keeps those before it.
        train_deep(net, train, data.validation, options, options.learning_rate, epochs, &std::cout,
                   [&](const nn::EpochReport& e) {
                       run.history.epochs.push_back(e);
                       return true;
                   });
    } catch (const nn::TrainingDiverged& e) {
        std::cout << e.what() << '\n';
        run.diverged = true;
        return run;
    }
    run.test = nn::evaluate_in_eval_mode(net, data.test);
    run.hidden_bias = hidden_bias_max(net);
    return run;
}

void print_tables(const BatchNormStudy& study) {
    std::cout << "\nValidation accuracy per epoch, " << study.settings.training_images << " training images\n"
              << "epoch       plain  batch norm\n"
              << std::string(28, '-') << '\n';
    for (int e = 1; e <= study.settings.epochs; ++e)
        std::cout << std::setw(5) << e << std::setw(12) << accuracy_text(study.plain.validation(e)) << std::setw(12)
                  << accuracy_text(study.normalized.validation(e)) << '\n';
    const auto test = [](const DeepRun& r) { return r.diverged ? "diverged" : nn::percent(r.test); };
    const auto bias = [](const DeepRun& r) { return r.diverged ? "diverged" : nn::number_text(r.hidden_bias); };
    std::cout << " test" << std::setw(12) << test(study.plain) << std::setw(12) << test(study.normalized) << '\n'
              << "largest |bias| of the hidden dense layers: plain " << bias(study.plain) << ", batch norm "
              << bias(study.normalized) << " (all start at 0)\n";
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
    study.plain = deep_run(false, data, train, options, settings.epochs);
    study.normalized = deep_run(true, data, train, options, settings.epochs);
    if (settings.sweep_epochs > 0) {
        std::cout << "\nLearning-rate sweep: " << settings.sweep_epochs << " epochs of plain SGD on "
                  << settings.training_images << " images each, without and with batch norm\n";
        for (const double rate : settings.sweep_rates)
            study.sweep.push_back(sweep_point(data, train, options, rate, settings.sweep_epochs));
    }
    print_tables(study);
    return study;
}

std::optional<double> DeepRun::validation(std::size_t epoch) const {
    if (epoch < 1 || epoch > history.epochs.size()) return std::nullopt;
    return history.epochs[epoch - 1].validation_accuracy;
}

nn::Json DeepRun::to_json() const {
    return {{"history", history.to_json()},
            {"diverged", diverged},
            {"test_accuracy", diverged ? nn::Json(nullptr) : nn::Json(test)},
            {"hidden_bias_max", diverged ? nn::Json(nullptr) : nn::Json(hidden_bias)}};
}

nn::Json BatchNormStudy::to_json() const {
    nn::Json sweep_json = nn::Json::array();
    for (const SweepPoint& p : sweep)
        sweep_json.push_back({{"learning_rate", p.learning_rate},
                              {"plain_validation_accuracy", optional_json(p.plain)},
                              {"batch_norm_validation_accuracy", optional_json(p.normalized)}});
    return {{"network", deep_sizes},
            {"training_images", settings.training_images},
            {"learning_rate", learning_rate},
            {"plain", plain.to_json()},
            {"batch_norm", normalized.to_json()},
            {"sweep_epochs", settings.sweep_epochs},
            {"sweep", sweep_json}};
}

std::vector<nn::Claim> batch_norm_claims(const BatchNormStudy& study) {
    const std::optional<double> plain_first = study.plain.validation(1),
                                normalized_first = study.normalized.validation(1);
    std::vector<nn::Claim> claims = {{"batch norm trains the deep network faster: validation after epoch 1 " +
                                          accuracy_text(normalized_first) + " > " + accuracy_text(plain_first),
                                      normalized_first && *normalized_first > plain_first.value_or(0.0)}};
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
                         {validation("plain", study.plain.history), validation("batch norm", study.normalized.history)},
                         deep);
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
