// `search`: a random search of hyperparameters (Bergstra and Bengio, 2012).
// Each trial draws a learning rate, hidden widths, a dropout and AdamW's
// weight decay, trains as `train` does for a few epochs from the same seed,
// and is judged on the validation split. The test files are never read.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>

#include "app.hpp"
#include "fit.hpp"
#include "nn/chart.hpp"
#include "nn/core.hpp"
#include "nn/csv.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/model.hpp"
#include "nn/progress.hpp"
#include "nn/report.hpp"

namespace app {
namespace {

constexpr int default_trials = 20;
constexpr int max_trials = 1000;
constexpr double max_budget_seconds = 7 * 24 * 3600.0;  // a week
constexpr arma::uword max_width = 4096;
constexpr arma::uword max_layer_count = 4;

// One trial: what it drew and what it measured.
struct Trial {
    int number = 0;  // from 1, in the order drawn
    double learning_rate = 0.0, dropout = 0.0, weight_decay = 0.0;
    std::vector<arma::uword> hidden;
    double validation_accuracy = arma::datum::nan;  // of the kept epoch; NaN if the loss diverged
    int best_epoch = 0, epochs = 0;                 // epochs run (0 if it diverged)
    double seconds = 0.0;
    bool diverged() const { return std::isnan(validation_accuracy); }
};

// Draws from its own generator, seeded by --seed: trial k draws the same
// values whatever the budget or the trials before it measured. Uniform
// numbers come from the raw 64 bits (std::uniform_real_distribution's
// algorithm is each standard library's own), so they are the same everywhere.
class Sampler {
public:
    explicit Sampler(std::uint64_t seed) : engine_(seed) {}
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
    // floor of a log-uniform number in [lo, hi + 1): n has probability ln((n + 1) / n) / ln((hi + 1) / lo).
    arma::uword log_uniform_integer(arma::uword lo, arma::uword hi) {
        const double n = std::floor(log_uniform(static_cast<double>(lo), static_cast<double>(hi) + 1.0));
        return std::clamp(static_cast<arma::uword>(n), lo, hi);
    }
    arma::uword uniform_integer(arma::uword lo, arma::uword hi) {
        return std::min(hi, lo + static_cast<arma::uword>(unit() * static_cast<double>(hi - lo + 1)));
    }

private:
    double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1), 53 random bits
    std::mt19937_64 engine_;
};

// The shortest text that reads back as the same double ("0.00123", "1.5e-05").
std::string exact_text(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    return std::string(buffer, result.ptr);
}

// A drawn value rounded and kept in [lo, hi]: short to read, and exactly the
// number its text gives back to `train`. Values drawn on a log scale keep
// three significant digits (0.00123), those drawn uniformly three decimals (0.25).
double rounded(double value, double lo, double hi, bool log_scale) {
    std::ostringstream text;
    if (log_scale)
        text << std::setprecision(3) << value;
    else
        text << std::fixed << std::setprecision(3) << value;
    return std::clamp(std::stod(text.str()), lo, hi);
}

// The hidden widths of a trial: the first, then each half the one before.
std::vector<arma::uword> hidden_widths(arma::uword first, arma::uword layers) {
    std::vector<arma::uword> hidden = {first};
    while (hidden.size() < layers) hidden.push_back(std::max<arma::uword>(1, hidden.back() / 2));
    return hidden;
}

Trial draw_trial(Sampler& sampler, const SearchConfig& config, int number) {
    Trial t;
    t.number = number;
    const auto& lr = config.learning_rates;
    t.learning_rate = rounded(sampler.log_uniform(lr[0], lr[1]), lr[0], lr[1], true);
    const arma::uword layers = sampler.uniform_integer(config.layer_counts[0], config.layer_counts[1]);
    t.hidden = hidden_widths(sampler.log_uniform_integer(config.widths[0], config.widths[1]), layers);
    const auto& p = config.dropouts;
    t.dropout = rounded(sampler.uniform(p[0], p[1]), p[0], p[1], false);
    const auto& wd = config.weight_decays;
    t.weight_decay = rounded(sampler.log_uniform(wd[0], wd[1]), wd[0], wd[1], true);
    return t;
}

// The configuration `train` would run for this trial.
TrainConfig trial_config(const SearchConfig& config, const Trial& trial) {
    TrainConfig c = config.base;
    c.common.learning_rate = trial.learning_rate;
    c.hidden = trial.hidden;
    c.dropout = trial.dropout;
    c.optimizer = "adamw";
    c.weight_decay = trial.weight_decay;
    return c;
}

// Trains the trial's network on the prepared splits; a diverging loss is a
// result (NaN accuracy), not the end of the search.
void run_trial(Trial& trial, const SearchConfig& config, const nn::Splits& data, const nn::Standardizer& standardizer) {
    const TrainConfig c = trial_config(config, trial);
    nn::Timer timer;
    nn::Classifier model = describe_classifier(c);
    model.standardizer = standardizer;
    nn::set_seed(c.common.seed, nullptr);  // every trial from the same seed, as `train` with that --seed
    try {
        const FitResult fitted = fit(c, model, data, nullptr);
        trial.validation_accuracy = fitted.best_accuracy;
        trial.best_epoch = fitted.best_epoch;
        trial.epochs = static_cast<int>(fitted.history.epochs.size());
    } catch (const nn::TrainingDiverged&) {
        trial.validation_accuracy = arma::datum::nan;
    }
    trial.seconds = timer.seconds();
}

std::string hidden_text(const std::vector<arma::uword>& hidden, char separator) {
    std::string text;
    for (const auto h : hidden) text += (text.empty() ? "" : std::string(1, separator)) + std::to_string(h);
    return text;
}

// The command line of `train` that repeats a trial: every value the trial
// drew, and each option of the search that `train` shares.
std::string train_command(const SearchConfig& config, const Trial& trial) {
    const TrainConfig& b = config.base;
    std::string line = std::filesystem::path(config.program).filename().string() + " train";
    const auto add = [&](const std::string& option, const std::string& value) { line += " " + option + " " + value; };
    if (b.common.dataset != "mnist") add("--dataset", b.common.dataset);
    if (!b.common.data_dir.empty()) add("--data-dir", b.common.data_dir);
    if (b.validation_size != TrainConfig{}.validation_size) add("--validation-size", std::to_string(b.validation_size));
    add("--seed", std::to_string(b.common.seed));
    add("--epochs", std::to_string(b.common.epochs));
    add("--batch-size", std::to_string(b.common.batch_size));
    add("--features", b.features);
    add("--activation", b.activation);
    add("--hidden", hidden_text(trial.hidden, ','));
    add("--dropout", exact_text(trial.dropout));
    add("--optimizer", "adamw");
    add("--learning-rate", exact_text(trial.learning_rate));
    add("--weight-decay", exact_text(trial.weight_decay));
    return line;
}

// Best validation accuracy first; diverged trials last; ties in trial order.
std::vector<Trial> ranked(std::vector<Trial> trials) {
    std::stable_sort(trials.begin(), trials.end(), [](const Trial& a, const Trial& b) {
        if (a.diverged() || b.diverged()) return !a.diverged() && b.diverged();
        return a.validation_accuracy > b.validation_accuracy;
    });
    return trials;
}

std::string accuracy_text(const Trial& t) { return t.diverged() ? "diverged" : nn::percent(t.validation_accuracy); }

void print_trial(std::ostream& out, const Trial& t, const std::string& count) {
    std::ostringstream line;
    line << "trial " << std::setw(3) << t.number << count << "  lr " << std::setw(8) << exact_text(t.learning_rate)
         << "  hidden " << std::setw(9) << std::left << hidden_text(t.hidden, '-') << std::right << "  dropout "
         << std::setw(5) << exact_text(t.dropout) << "  decay " << std::setw(8) << exact_text(t.weight_decay)
         << "  val " << std::setw(8) << accuracy_text(t);
    if (!t.diverged()) line << " (epoch " << t.best_epoch << ")";
    line << "  " << std::fixed << std::setprecision(1) << t.seconds << " s\n";
    out << line.str() << std::flush;
}

void print_ranking(std::ostream& out, const std::vector<Trial>& order) {
    out << "\nTrials ranked by validation accuracy (best first)\n";
    std::ostringstream table;
    table << "rank  trial  learning rate  hidden      dropout  weight decay  validation  epoch  seconds\n";
    for (std::size_t r = 0; r < order.size(); ++r) {
        const Trial& t = order[r];
        table << std::setw(4) << r + 1 << std::setw(7) << t.number << std::setw(15) << exact_text(t.learning_rate)
              << "  " << std::setw(10) << std::left << hidden_text(t.hidden, '-') << std::right << std::setw(9)
              << exact_text(t.dropout) << std::setw(14) << exact_text(t.weight_decay) << std::setw(12)
              << accuracy_text(t) << std::setw(7) << (t.diverged() ? std::string("-") : std::to_string(t.best_epoch))
              << std::setw(9) << std::fixed << std::setprecision(1) << t.seconds << '\n';
    }
    out << table.str();
}

const std::vector<std::string> csv_columns = {"trial",      "learning_rate", "hidden_layers", "width_1",
                                              "width_2",    "dropout",       "weight_decay",  "validation_accuracy",
                                              "best_epoch", "epochs",        "seconds"};

std::vector<double> csv_row(const Trial& t) {
    return {static_cast<double>(t.number),
            t.learning_rate,
            static_cast<double>(t.hidden.size()),
            static_cast<double>(t.hidden[0]),
            t.hidden.size() > 1 ? static_cast<double>(t.hidden[1]) : 0.0,
            t.dropout,
            t.weight_decay,
            t.validation_accuracy,
            static_cast<double>(t.best_epoch),
            static_cast<double>(t.epochs),
            t.seconds};
}

// Validation accuracy against the learning rate, one colour per third of the
// range of first-layer widths (on a log scale), diverged trials left out.
void write_chart(const std::string& path, const SearchConfig& config, const std::vector<Trial>& trials) {
    const double lo = std::log(static_cast<double>(config.widths[0]));
    const double span = std::log(static_cast<double>(config.widths[1]) + 1.0) - lo;
    std::vector<nn::Series> bands(3);
    std::vector<arma::uword> smallest(3, max_width + 1), largest(3, 0);
    double best = 0.0, worst = 100.0;  // validation accuracies in %
    for (const Trial& t : trials) {
        const auto band = std::min<std::size_t>(2, static_cast<std::size_t>(3.0 * (std::log(t.hidden[0]) - lo) / span));
        bands[band].x.push_back(t.learning_rate);
        bands[band].y.push_back(100.0 * t.validation_accuracy);  // NaN: skipped by the chart
        smallest[band] = std::min(smallest[band], t.hidden[0]), largest[band] = std::max(largest[band], t.hidden[0]);
        if (!t.diverged()) best = std::max(best, bands[band].y.back()), worst = std::min(worst, bands[band].y.back());
    }
    std::vector<nn::Series> shown;
    const char* colours[3] = {"#56B4E9", "#E69F00", "#CC79A7"};
    for (std::size_t k = 0; k < 3; ++k) {
        if (bands[k].x.empty()) continue;
        bands[k].name = "first layer " + std::to_string(smallest[k]) + "-" + std::to_string(largest[k]) + " units";
        bands[k].colour = colours[k];
        bands[k].markers = true, bands[k].line = false, bands[k].width = 3;
        shown.push_back(bands[k]);
    }
    nn::ChartOptions options;
    options.title =
        "Random search: validation accuracy after at most " + std::to_string(config.base.common.epochs) + " epochs";
    options.x_label = "learning rate (log scale)";
    options.y_label = "validation accuracy (%)";
    options.x_log = true;
    options.x_min = config.learning_rates[0] / 1.25;  // the whole range searched, with room for the dots
    options.x_max = config.learning_rates[1] * 1.25;
    options.legend_left = true;
    if (best > worst) options.y_max = best + 0.3 * (best - worst);  // room for the legend above the best trial
    nn::write_line_chart(path, shown, options);
}

// A range read as MIN,MAX must not run backwards.
template <typename T>
void check_range(const std::string& option, const std::vector<T>& range) {
    if (range.size() != 2)  // CLI11 asks for two values; a default of another size is a bug
        throw std::logic_error(option + ": expected two values");
    if (range[0] > range[1])
        throw nn::InputError(option + " " + nn::number_text(static_cast<double>(range[0])) + "," +
                             nn::number_text(static_cast<double>(range[1])) +
                             ": the minimum is above the maximum (give MIN,MAX)");
}

void check_search(const SearchConfig& config) {
    check_range("--learning-rate-range", config.learning_rates);
    check_range("--width-range", config.widths);
    check_range("--layer-count-range", config.layer_counts);
    check_range("--dropout-range", config.dropouts);
    check_range("--weight-decay-range", config.weight_decays);
    // The widest network the ranges allow must be one `train` accepts.
    TrainConfig widest = config.base;
    widest.hidden = hidden_widths(config.widths[1], config.layer_counts[1]);
    describe_classifier(widest);
}

std::string range_text(double lo, double hi) { return "[" + nn::number_text(lo) + ", " + nn::number_text(hi) + "]"; }

void print_search_banner(const SearchConfig& config, int trials) {
    const TrainConfig& b = config.base;
    std::string count = std::to_string(trials);
    if (config.budget_seconds > 0)
        count = (config.trials ? "up to " + count + ", " : "") + "as many as start within " +
                nn::number_text(config.budget_seconds) + " s";
    nn::print_banner(
        std::cout, "Chapter 8: the MNIST classifier - search",
        {{"dataset", nn::dataset_info(b.common.dataset).title},
         {"trials", count},
         {"each trial", "up to " + std::to_string(b.common.epochs) + " epochs (patience " + std::to_string(b.patience) +
                            "), from seed " + std::to_string(b.common.seed)},
         {"learning rate", "log-uniform in " + range_text(config.learning_rates[0], config.learning_rates[1])},
         {"hidden layers",
          std::to_string(config.layer_counts[0]) + " to " + std::to_string(config.layer_counts[1]) +
              ", the first log-uniform in " +
              range_text(static_cast<double>(config.widths[0]), static_cast<double>(config.widths[1])) +
              " units, each next half as wide"},
         {"dropout", "uniform in " + range_text(config.dropouts[0], config.dropouts[1])},
         {"optimizer",
          "adamw, weight decay log-uniform in " + range_text(config.weight_decays[0], config.weight_decays[1])},
         {"fixed", "features " + b.features + ", activation " + b.activation + ", batch size " +
                       std::to_string(b.common.batch_size) + ", schedule " + b.schedule + ", augmentation " +
                       b.augmentation.describe()},
         {"judged on", "validation accuracy of the kept epoch; the test set is not loaded"}});
}

nn::Json trial_json(const Trial& t) {
    return {{"trial", t.number},
            {"learning_rate", t.learning_rate},
            {"hidden", t.hidden},
            {"dropout", t.dropout},
            {"weight_decay", t.weight_decay},
            {"validation_accuracy", t.diverged() ? nn::Json(nullptr) : nn::Json(t.validation_accuracy)},
            {"best_epoch", t.best_epoch},
            {"epochs", t.epochs},
            {"seconds", t.seconds}};
}

void write_search_json(const SearchConfig& config, const nn::Splits& data, const std::vector<Trial>& trials,
                       const std::vector<Trial>& order) {
    nn::Json all = nn::Json::array(), ranking = nn::Json::array();
    for (const Trial& t : trials) all.push_back(trial_json(t));
    for (const Trial& t : order) ranking.push_back(t.number);
    const nn::Options& o = config.base.common;
    nn::write_json(o.json_path, {{"chapter", 8},
                                 {"command", "search"},
                                 {"seed", o.seed},
                                 {"dataset", o.dataset},
                                 {"sizes", {{"train", data.train.size()}, {"validation", data.validation.size()}}},
                                 {"epochs_per_trial", o.epochs},
                                 {"trials", all},
                                 {"ranking", ranking},
                                 {"best_trial", order.front().number},
                                 {"train_command", train_command(config, order.front())}});
}

// How many trials to start at most: --trials, else 20, or with a budget alone as many as it allows.
int trial_limit(const SearchConfig& config) {
    if (config.trials) return *config.trials;
    return config.budget_seconds > 0 ? max_trials : default_trials;
}

// Draws and runs the trials, one line each, writing each CSV row as it ends.
std::vector<Trial> run_trials(const SearchConfig& config, const nn::Splits& data, const nn::Standardizer& standardizer,
                              const nn::Timer& clock) {
    const int limit = trial_limit(config);
    const std::string count = config.trials || config.budget_seconds == 0 ? "/" + std::to_string(limit) : "";
    std::optional<nn::CsvWriter> csv;
    if (!config.base.common.out_dir.empty())
        csv.emplace(nn::output_path(config.base.common, "search.csv"), csv_columns);
    Sampler sampler(config.base.common.seed);
    std::vector<Trial> trials;
    for (int number = 1; number <= limit; ++number) {
        // The first trial always runs; later ones start only within the budget.
        if (number > 1 && config.budget_seconds > 0 && clock.seconds() >= config.budget_seconds) {
            std::cout << "the budget of " << nn::number_text(config.budget_seconds) << " s is spent after "
                      << trials.size() << (trials.size() == 1 ? " trial (" : " trials (")
                      << nn::number_text(clock.seconds()) << " s)\n";
            break;
        }
        Trial trial = draw_trial(sampler, config, number);
        run_trial(trial, config, data, standardizer);
        print_trial(std::cout, trial, count);
        if (csv) csv->row(csv_row(trial));
        trials.push_back(trial);
    }
    return trials;
}

}  // namespace

int search(const SearchConfig& config) {
    nn::Timer clock;  // the budget counts from here, loading included
    const nn::Options& o = config.base.common;
    check_options(config.base);
    check_search(config);
    print_search_banner(config, trial_limit(config));
    nn::set_seed(o.seed);
    nn::Classifier pipeline = describe_classifier(config.base);  // features and standardisation for every trial
    // The training file only: no choice here may see the test set.
    nn::Splits data = nn::load_training_splits(o.dataset, nn::resolve_data_dir(o.data_dir), config.base.validation_size,
                                               nn::extra_feature_rows(pipeline.features));
    std::cout << "train " << data.train.size() << " images, validation " << data.validation.size()
              << "; the test set is not loaded\n";
    prepare(data, pipeline);

    const std::vector<Trial> trials = run_trials(config, data, pipeline.standardizer, clock);
    const std::vector<Trial> order = ranked(trials);
    print_ranking(std::cout, order);
    const Trial& best = order.front();
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(1) << clock.seconds();
    std::cout << "\nbest: trial " << best.number << ", validation " << accuracy_text(best) << " after " << seconds.str()
              << " s of search\n"
              << "repeat it with train, which also saves the model and looks at the test set, once:\n  "
              << train_command(config, best) << '\n';
    if (!o.out_dir.empty()) {
        write_chart(nn::output_path(o, "search.svg"), config, trials);
        std::cout << "wrote search.csv and search.svg to " << o.out_dir << '\n';
    }
    if (!o.json_path.empty()) write_search_json(config, data, trials, order);
    return 0;
}

CLI::App* add_search_command(CLI::App& cli, SearchConfig& config) {
    TrainConfig& base = config.base;  // train's defaults, but for the epochs
    base.common.epochs = 3;
    auto* cmd = cli.add_subcommand(
        "search", "Random search of learning rate, width, dropout and weight decay, judged on validation only");
    nn::add_data_options(*cmd, base.common);
    nn::add_training_options(*cmd, base.common, false);
    cmd->add_option("--trials", config.trials, "Trials to run (default 20; with --budget alone, as many as it allows)")
        ->check(CLI::Range(1, max_trials));
    cmd->add_option("--budget", config.budget_seconds, "Seconds after which no trial starts (0: no limit)")
        ->check(nn::finite_range(0.0, max_budget_seconds))
        ->capture_default_str();
    cmd->add_option("--learning-rate-range", config.learning_rates, "Learning rates, log-uniform: MIN,MAX")
        ->expected(2)
        ->delimiter(',')
        ->check(nn::finite_range(1e-6, 10.0))
        ->capture_default_str();
    cmd->add_option("--width-range", config.widths, "Units of the first hidden layer, log-uniform: MIN,MAX")
        ->expected(2)
        ->delimiter(',')
        ->check(CLI::Range(arma::uword{1}, max_width))
        ->capture_default_str();
    cmd->add_option("--layer-count-range", config.layer_counts,
                    "Hidden layers, uniform: MIN,MAX (each next layer half as wide)")
        ->expected(2)
        ->delimiter(',')
        ->check(CLI::Range(arma::uword{1}, max_layer_count))
        ->capture_default_str();
    cmd->add_option("--dropout-range", config.dropouts, "Drop probabilities, uniform: MIN,MAX")
        ->expected(2)
        ->delimiter(',')
        ->check(nn::finite_range(0.0, 0.9))
        ->capture_default_str();
    cmd->add_option("--weight-decay-range", config.weight_decays, "AdamW's weight decay, log-uniform: MIN,MAX")
        ->expected(2)
        ->delimiter(',')
        ->check(nn::finite_range(1e-8, 1.0))
        ->capture_default_str();
    cmd->add_option("--activation", base.activation, "Hidden activation of every trial")
        ->check(CLI::IsMember({"relu", "sigmoid", "tanh", "leaky_relu"}))
        ->capture_default_str();
    cmd->add_option("--features", base.features, "Input features of every trial")
        ->check(CLI::IsMember({"raw", "deskew", "deskew+stats"}))
        ->capture_default_str();
    cmd->add_option("--validation-size", base.validation_size,
                    "Images held out for validation, from the end of the training file")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
        ->capture_default_str();
    return cmd;
}

}  // namespace app
