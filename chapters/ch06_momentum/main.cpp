// Chapter 6: optimisers and learning-rate schedules.
//
// Trains the same network from the same starting point with each of nine
// optimisers and compares how fast each gets to 97% validation accuracy.
// Then, on 5,000 training images, measures how weight decay (L2 in the loss
// under Adam and SGD, AdamW's decoupled decay) changes the train/validation gap.
//
//   ./course run 6 [--reference] [--epochs N] [--batch-size B] [--seed N] [--out DIR] [--json FILE]
//                  [--decay-epochs N] [--decay-sweep] [--part all|race|decay]

#include <iomanip>
#include <iostream>
#include <sstream>

#include "nn/chart.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/network.hpp"
#include "nn/optimizers.hpp"
#include "nn/report.hpp"
#include "nn/training.hpp"
#include "weight_decay.hpp"

namespace {

constexpr double target = 0.97;
constexpr std::size_t decay_images = 5000;  // few enough to overfit, as in chapter 5

// One contestant: an optimiser, its learning rate, and an optional schedule.
struct Contestant {
    std::string label;
    std::string optimizer;
    double learning_rate;
    std::function<double(double initial, int epoch)> schedule;  // empty: constant
};

struct Result {
    Contestant contestant;
    nn::History history;
    int epochs_to_target = 0;  // 0: not reached
    double seconds_to_target = 0.0;
};

Result race(const Contestant& c, const nn::Splits& data, const nn::Options& options) {
    nn::set_seed(options.seed, nullptr);  // same initial weights and batch order for everyone
    nn::Sequential net = nn::make_mlp({784, 128, 64, 10}, "relu");
    const auto optimizer = nn::make_optimizer(c.optimizer, c.learning_rate);
    std::cout << "\n" << c.label << " (learning rate " << nn::number_text(c.learning_rate) << ")\n";
    Result result{c, {}, 0, 0.0};
    double elapsed = 0.0;
    nn::TrainSettings settings;
    settings.epochs = options.epochs;
    settings.batch_size = options.batch_size;
    settings.learning_rate = c.learning_rate;
    settings.out = &std::cout;
    result.history = nn::train_and_validate(
        net, data.train, data.validation, settings, [&](const std::vector<nn::Parameter>& p) { optimizer->step(p); },
        [&](int epoch) {
            if (c.schedule) optimizer->learning_rate = c.schedule(c.learning_rate, epoch);
        },
        [&](const nn::EpochReport& e) {
            elapsed += e.seconds;
            if (!result.epochs_to_target && *e.validation_accuracy >= target)
                result.epochs_to_target = e.epoch, result.seconds_to_target = elapsed;
            return true;
        });
    return result;
}

void print_table(const std::vector<Result>& results) {
    std::cout << "\n"
              << std::left << std::setw(26) << "optimizer" << std::right << std::setw(8) << "rate" << std::setw(22)
              << "epochs to 97% val" << std::setw(12) << "final val" << '\n'
              << std::string(68, '-') << '\n';
    for (const auto& r : results) {
        std::ostringstream reached;
        if (r.epochs_to_target)
            reached << r.epochs_to_target << " (" << std::fixed << std::setprecision(1) << r.seconds_to_target << " s)";
        else
            reached << "not reached";
        std::cout << std::left << std::setw(26) << r.contestant.label << std::right << std::setw(8)
                  << nn::number_text(r.contestant.learning_rate) << std::setw(22) << reached.str() << std::setw(12)
                  << nn::percent(*r.history.epochs.back().validation_accuracy) << '\n';
    }
}

std::vector<Result> run_race(const nn::Splits& data, const nn::Options& options) {
    const std::vector<Contestant> field = {
        {"sgd", "sgd", 0.01, {}},
        {"momentum 0.9", "momentum", 0.01, {}},
        {"nesterov 0.9", "nesterov", 0.01, {}},
        {"adam", "adam", 0.001, {}},
        {"rmsprop 0.9", "rmsprop", 0.001, {}},
        {"adagrad", "adagrad", 0.01, {}},
        {"adamw, decay 0.01", "adamw", 0.001, {}},
        {"sgd, 1/(1+t/2) decay", "sgd", 0.2,
         [](double lr, int epoch) { return nn::inverse_time_decay(lr, 0.5, epoch); }},
        {"momentum, step decay", "momentum", 0.02,
         [](double lr, int epoch) { return nn::step_decay(lr, 0.5, 2, epoch); }},
    };
    std::vector<Result> results;
    for (const auto& c : field) results.push_back(race(c, data, options));
    print_table(results);

    if (!options.out_dir.empty()) {
        std::vector<nn::Series> curves;
        for (const auto& r : results) {
            nn::Series s{r.contestant.label, {}, {}};
            s.dashed = static_cast<bool>(r.contestant.schedule);  // nine curves, eight colours
            for (const auto& e : r.history.epochs) s.x.push_back(e.epoch), s.y.push_back(e.loss);
            curves.push_back(s);
        }
        nn::write_line_chart(nn::output_path(options, "optimizers_loss.svg"), curves,
                             {"Training loss by optimiser", "epoch", "mean cross-entropy", 0.0, {}, 720, 440});
        std::cout << "wrote optimizers_loss.svg to " << options.out_dir << '\n';
    }
    return results;
}

void add_race_json(nn::Json& json, const std::vector<Result>& results) {
    for (const auto& r : results)
        json[r.contestant.optimizer + (r.contestant.schedule ? "_scheduled" : "")] = {
            {"learning_rate", r.contestant.learning_rate},
            {"history", r.history.to_json()},
            {"final_validation_accuracy", *r.history.epochs.back().validation_accuracy},
            {"epochs_to_97", r.epochs_to_target},
            {"seconds_to_97", r.seconds_to_target}};
}

std::vector<nn::Claim> race_claims(const std::vector<Result>& results) {
    const double sgd = *results[0].history.epochs.back().validation_accuracy;
    const double momentum = *results[1].history.epochs.back().validation_accuracy;
    return {{"momentum beats plain SGD at the same learning rate: " + nn::percent(momentum) + " vs " +
                 nn::percent(sgd) + " validation (margin >= 1 point)",
             momentum >= sgd + 0.01}};
}

int run(const nn::Options& options, const std::string& part, int decay_epochs, bool sweep) {
    const bool race_part = part != "decay", decay_part = part != "race" && decay_epochs > 0;
    if (!race_part && !decay_part) throw nn::InputError("--part decay with --decay-epochs 0 leaves nothing to run");
    nn::print_banner(std::cout, "Chapter 6: optimisers and learning-rate schedules",
                     {{"dataset", options.dataset},
                      {"network", "784 -> 128 -> 64 -> 10 (ReLU)"},
                      {"epochs", std::to_string(options.epochs)},
                      {"batch size", std::to_string(options.batch_size)},
                      {"weight decay", decay_part ? std::to_string(decay_epochs) + " epochs on the first " +
                                                        std::to_string(decay_images) + " training images"
                                                  : "skipped"}});
    nn::set_seed(options.seed);
    const nn::Splits data = nn::load_splits(options.dataset, nn::resolve_data_dir(options.data_dir));
    nn::Json json = {{"chapter", 6}, {"seed", options.seed}, {"dataset", options.dataset}};
    std::vector<nn::Claim> claims;
    if (race_part) {
        const std::vector<Result> results = run_race(data, options);
        add_race_json(json, results);
        for (auto& c : race_claims(results)) claims.push_back(c);
    }
    if (decay_part) {
        const ch06::DecayStudy study = ch06::weight_decay_study(data, options, decay_images, decay_epochs, sweep);
        json["weight_decay"] = study.to_json();
        for (auto& c : ch06::decay_claims(study)) claims.push_back(c);
    }
    if (!options.json_path.empty()) nn::write_json(options.json_path, json);
    return nn::print_claims(std::cout, claims);
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    options.epochs = 5;
    options.batch_size = 32;
    CLI::App app{
        "Chapter 6: SGD, momentum, Nesterov, Adam, RMSProp, Adagrad, AdamW and learning-rate schedules, side by side; "
        "then weight decay, L2 in the loss against AdamW's decoupled decay"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options, false);  // each optimiser has its own learning rate
    int decay_epochs = 20;
    std::string part = "all";
    app.add_option("--decay-epochs", decay_epochs, "Epochs of each weight-decay run (0: skip that part)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    app.add_option("--part", part, "Which part to run: the optimiser race, the weight-decay study, or both")
        ->check(CLI::IsMember({"all", "race", "decay"}))
        ->capture_default_str();
    bool sweep = false;
    app.add_flag("--decay-sweep", sweep, "Run every lambda the weight-decay runs were chosen from (minutes)");
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(options, part, decay_epochs, sweep); });
}
