// `train`: features, standardisation, the network, early stopping, one test;
// and the parts of it that `search` shares (fit.hpp).

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "app.hpp"
#include "fit.hpp"
#include "nn/classifier.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/model.hpp"
#include "nn/optimizers.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"

namespace app {
namespace {

// The claim of the chapter: test accuracy of the default configuration.
double accuracy_bar(const std::string& dataset) { return dataset == "fashion" ? 0.90 : 0.99; }

// Training holds about five copies of the parameters (values, gradients, two
// Adam moments, the best checkpoint): a network whose copies would take
// gigabytes is refused before any data is loaded, and so is one with more
// layers than a model file holds.
constexpr std::uint64_t max_parameters = std::uint64_t{1} << 25;  // 256 MB per copy
constexpr std::size_t max_hidden_layers = 62;

void require_trainable(const std::vector<arma::uword>& sizes) {
    if (sizes.size() > max_hidden_layers + 2)
        throw nn::InputError("--hidden: " + std::to_string(sizes.size() - 2) + " hidden layers, at most " +
                             std::to_string(max_hidden_layers) + " fit in a model file");
    std::uint64_t parameters = 0;
    for (std::size_t i = 1; i < sizes.size(); ++i) parameters += std::uint64_t{sizes[i]} * (sizes[i - 1] + 1);
    if (parameters > max_parameters)
        throw nn::InputError("--hidden: the network " + join(sizes) + " has " + std::to_string(parameters) +
                             " parameters, more than the " + std::to_string(max_parameters) +
                             " (256 MB) that train accepts, as training keeps five copies of them: use fewer or "
                             "narrower hidden layers");
}

double scheduled_rate(const TrainConfig& config, int epoch) {
    if (config.schedule == "step") return nn::step_decay(config.common.learning_rate, 0.5, config.decay_every, epoch);
    if (config.schedule == "inverse")
        return nn::inverse_time_decay(config.common.learning_rate, 1.0 / config.decay_every, epoch);
    return config.common.learning_rate;
}

// The model file's folder, made now if missing: a path that cannot be
// written fails before the minutes of training, not after them.
void prepare_model_folder(const std::string& model_path) {
    const std::filesystem::path folder = std::filesystem::absolute(model_path).parent_path();
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error || ::access(folder.c_str(), W_OK) != 0)
        throw nn::InputError("cannot write the model file " + model_path + ": its folder " + folder.string() +
                             " cannot be created or written to (choose another with --model)");
}

// The optimiser as the banner names it, with AdamW's weight decay.
std::string optimizer_text(const TrainConfig& config) {
    if (config.optimizer != "adamw") return config.optimizer;
    return "adamw, weight decay " + nn::number_text(config.weight_decay.value_or(nn::AdamW().weight_decay));
}

}  // namespace

std::string join(const std::vector<arma::uword>& sizes) {
    std::string text;
    for (const auto s : sizes) text += (text.empty() ? "" : "-") + std::to_string(s);
    return text;
}

void check_options(const TrainConfig& config) {
    // AdamW's decay is applied apart from the gradient. The other optimisers
    // have no such step, and quietly ignoring the option would let a run
    // look regularised when it is not.
    if (config.weight_decay && config.optimizer != "adamw")
        throw nn::InputError("--weight-decay " + nn::number_text(*config.weight_decay) +
                             ": only --optimizer adamw has a decoupled weight decay, and --optimizer is " +
                             config.optimizer + ": choose --optimizer adamw, or leave out --weight-decay");
}

nn::Classifier describe_classifier(const TrainConfig& config) {
    nn::Classifier model;
    model.dataset = config.common.dataset;
    model.features = nn::parse_features(config.features);
    model.activation = config.activation;
    model.dropout = config.dropout;
    const nn::DatasetInfo info = nn::dataset_info(config.common.dataset);
    model.sizes = {info.image_size() + nn::extra_feature_rows(model.features)};
    model.sizes.insert(model.sizes.end(), config.hidden.begin(), config.hidden.end());
    model.sizes.push_back(info.num_classes());
    require_trainable(model.sizes);
    return model;
}

// Features and standardisation applied in place: no second copy of the data.
void prepare(nn::Splits& data, nn::Classifier& model) {
    nn::Timer timer;
    const std::vector<nn::Dataset*> splits = {&data.train, &data.validation, &data.test};
    for (nn::Dataset* split : splits)
        if (split->size() > 0) nn::make_features_in_place(split->images, model.features);
    model.standardizer.fit(data.train.images);  // the training split only
    // Pixels are already on a common scale, [0, 1]; dividing a rarely inked
    // border pixel by its tiny standard deviation would blow up its noise.
    // Only the extra features (intensity, symmetry) are standardised.
    model.standardizer.mean.head(784).zeros();
    model.standardizer.scale.head(784).ones();
    for (nn::Dataset* split : splits)
        if (split->size() > 0) nn::standardize_in_place(model.standardizer, split->images);
    std::cout << "features: " << nn::features_name(model.features) << ", " << data.train.images.n_rows
              << " inputs per image, extra features standardised with training statistics ("
              << nn::number_text(timer.seconds()) << " s)\n\n";
}

FitResult fit(const TrainConfig& config, nn::Classifier& model, const nn::Splits& data, std::ostream* out) {
    const nn::Options& o = config.common;
    model.build_network();
    const auto optimizer = nn::make_optimizer(config.optimizer, o.learning_rate);
    if (auto* adamw = dynamic_cast<nn::AdamW*>(optimizer.get()); adamw && config.weight_decay)
        adamw->weight_decay = *config.weight_decay;
    const std::vector<nn::Parameter> parameters = model.network.parameters();
    nn::EarlyStopping stopper(config.patience);
    nn::TrainSettings settings;
    settings.epochs = o.epochs;
    settings.batch_size = o.batch_size;
    settings.learning_rate = o.learning_rate;
    settings.switch_modes = true;  // evaluate with dropout off
    settings.out = out;
    if (config.augmentation.any())
        settings.transform = [&](arma::mat& batch) {
            nn::augment_features_in_place(batch, config.augmentation, model.features, model.standardizer);
        };
    nn::Timer timer;
    FitResult result;
    result.history = nn::train_and_validate(
        model.network, data.train, data.validation, settings, [&](const auto& p) { optimizer->step(p); },
        [&](int epoch) { optimizer->learning_rate = scheduled_rate(config, epoch); },
        [&](const nn::EpochReport& e) { return stopper.update(*e.validation_accuracy, parameters); });
    result.seconds = timer.seconds();
    stopper.restore(parameters);
    result.best_epoch = stopper.best_epoch;
    result.best_accuracy = stopper.best_accuracy;
    return result;
}

int train(const TrainConfig& config) {
    const nn::Options& o = config.common;
    check_options(config);
    nn::Classifier model = describe_classifier(config);
    prepare_model_folder(config.model_path);
    const nn::DatasetInfo info = nn::dataset_info(o.dataset);

    nn::print_banner(std::cout, "Chapter 8: the MNIST classifier - train",
                     {{"dataset", info.title},
                      {"network", join(model.sizes) + " (" + config.activation + ")"},
                      {"dropout", nn::number_text(config.dropout)},
                      {"optimizer", optimizer_text(config)},
                      {"learning rate", nn::number_text(o.learning_rate) + ", schedule " + config.schedule},
                      {"epochs", "up to " + std::to_string(o.epochs) + ", patience " + std::to_string(config.patience)},
                      {"batch size", std::to_string(o.batch_size)},
                      {"augmentation", config.augmentation.describe()}});
    nn::set_seed(o.seed);
    nn::Splits data = nn::load_splits(o.dataset, nn::resolve_data_dir(o.data_dir), config.validation_size,
                                      nn::extra_feature_rows(model.features));
    prepare(data, model);
    const FitResult fitted = fit(config, model, data, &std::cout);
    const nn::History& history = fitted.history;
    const double seconds = fitted.seconds;
    std::cout << "kept the network of epoch " << fitted.best_epoch << " (validation "
              << nn::percent(fitted.best_accuracy) << "), trained for " << nn::number_text(seconds) << " s\n";

    model.test_accuracy = nn::evaluate_in_eval_mode(model.network, data.test);  // the only look at the test set
    nn::save_model(config.model_path, model);

    nn::ResultTable table("Result");
    table.add("validation accuracy (best epoch)", nn::percent(fitted.best_accuracy));
    table.add("test accuracy", nn::percent(model.test_accuracy));
    table.add("training time", nn::number_text(seconds) + " s");
    table.print(std::cout);
    std::cout << "model saved to " << config.model_path << "; next: evaluate --model " << config.model_path << '\n';
    if (!o.out_dir.empty()) {
        history.write_files(o.out_dir, "Classifier " + join(model.sizes));
        std::cout << "wrote history.csv, loss.svg and accuracy.svg to " << o.out_dir << '\n';
    }
    if (!o.json_path.empty())
        nn::write_json(
            o.json_path,
            {{"chapter", 8},
             {"seed", o.seed},
             {"dataset", o.dataset},
             {"sizes",
              {{"train", data.train.size()}, {"validation", data.validation.size()}, {"test", data.test.size()}}},
             {"inputs", data.train.images.n_rows},
             {"history", history.to_json()},
             {"best_epoch", fitted.best_epoch},
             {"validation_accuracy", fitted.best_accuracy},
             {"test_accuracy", model.test_accuracy},
             {"seconds", seconds}});
    return nn::print_verdict(std::cout, "test accuracy", model.test_accuracy, accuracy_bar(o.dataset));
}

}  // namespace app
