// Benchmarks, printed as a table (timing lives here, not in the unit tests):
//   load   - reading MNIST into memory
//   gemm   - the machine's roof: a 2000 x 2000 x 2000 product on one BLAS
//            thread, and what the products of one training epoch would take at that rate
//   train  - the standard workload: 784-128-64-10, ReLU, softmax cross-entropy,
//            double precision, plain SGD, one epoch over all 60,000 training
//            images, at batch 32 and 128: median epoch seconds and images per second
// and the peak resident memory of the process. `--json FILE` writes the same
// numbers, every repetition's seconds and the core choices as JSON (read by
// tools/speed_side_by_side).
//
//   build/release/bin/bench [--data-dir DIR] [--repeat N] [--batch 32,128] [--only load|gemm|train] [--json FILE]

#include <sys/resource.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <vector>

#include "nn/blas.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/network.hpp"
#include "nn/training.hpp"

namespace {

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;  // Linux reports kilobytes
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void row(const std::string& name, const std::string& value) {
    std::cout << std::left << std::setw(50) << name << value << '\n';
}

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

// How the steps used the cores, for the JSON file: the choice, why, and the
// seconds per step of each strategy that was timed.
nn::Json cores_json(const nn::TrainingThreads& cores) {
    nn::Json timed = nn::Json::object();
    for (const auto s :
         {nn::StepStrategy::one_blas_thread, nn::StepStrategy::all_blas_threads, nn::StepStrategy::split_batch})
        if (cores.step_seconds[static_cast<int>(s)] >= 0.0)
            timed[nn::to_string(s)] = cores.step_seconds[static_cast<int>(s)];
    return {{"strategy", nn::to_string(cores.strategy)},
            {"blas_threads", cores.blas_threads},
            {"reason", cores.reason},
            {"step_seconds", timed},
            {"description", cores.describe()}};
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    int repeat = 3;
    std::string only;
    std::vector<std::size_t> batch_sizes{32, 128};
    CLI::App app{"Benchmarks: data loading and the standard training workload"};
    nn::add_data_options(app, options);
    app.add_option("--repeat", repeat, "Repetitions of each measurement; the median is reported")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    app.add_option("--batch", batch_sizes, "Batch sizes of the training benchmark")
        ->delimiter(',')
        ->check(CLI::Range(std::size_t{1}, std::size_t{60000}))
        ->capture_default_str();
    app.add_option("--only", only, "Run one benchmark")->check(CLI::IsMember({"load", "gemm", "train"}));
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] {
        const bool all_benchmarks = only.empty();
        std::cout << "benchmark                                   value\n" << std::string(70, '-') << '\n';
        std::vector<double> seconds;
        nn::Json json{{"seed", options.seed}, {"repeat", repeat}, {"dataset", options.dataset}};
        if (only != "load") {
            const int threads = nn::blas_threads();
            row("BLAS threads",
                threads ? std::to_string(threads) + " (OpenBLAS)" : "not OpenBLAS: the library's own setting");
            json["blas_threads"] = threads;
        }

        const std::vector<arma::uword> sizes{784, 128, 64, 10};
        if (all_benchmarks || only == "gemm") {
            // The roof: one large product on one thread, where packing and
            // memory traffic are small next to the arithmetic. It runs before
            // the data is loaded, so its matrices do not add to the peak RSS.
            const nn::BlasThreads one(1);
            const arma::uword n = 2000;
            nn::set_seed(options.seed, nullptr);
            const arma::mat a(n, n, arma::fill::randn), b(n, n, arma::fill::randn);
            arma::mat c = a * b;  // warm up
            seconds.clear();
            for (int i = 0; i < repeat; ++i) {
                nn::Timer timer;
                c = a * b;
                seconds.push_back(timer.seconds());
            }
            const double rate = 2.0 * n * n * n / median(seconds);
            row("GEMM 2000 x 2000 x 2000, one thread", fixed(rate / 1e9, 1) + " GFLOP/s");
            // The products of one epoch of the standard workload: forward, the
            // weight gradients, and the input gradients of every layer but the first.
            double forward = 0.0, input_gradients = 0.0;
            for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
                forward += static_cast<double>(sizes[l]) * sizes[l + 1];
                if (l > 0) input_gradients += static_cast<double>(sizes[l]) * sizes[l + 1];
            }
            const double epoch_flops = 2.0 * (2.0 * forward + input_gradients) * 60000.0;
            row("products of one epoch, 784-128-64-10",
                fixed(epoch_flops / 1e9, 2) + " GFLOP, " + fixed(epoch_flops / rate, 3) + " s at that rate");
            json["gemm"] = {{"size", n},
                            {"seconds", seconds},
                            {"gflops_one_thread", rate / 1e9},
                            {"epoch_gflop", epoch_flops / 1e9},
                            {"epoch_seconds_at_that_rate", epoch_flops / rate}};
        }

        nn::Splits data;
        if (all_benchmarks || only == "load" || only == "train") {
            const std::string dir = nn::resolve_data_dir(options.data_dir);
            seconds.clear();
            for (int i = 0; i < repeat; ++i) {
                data = nn::Splits{};  // free the previous copy first
                nn::Timer timer;
                data = nn::load_splits(options.dataset, dir, 0);  // all 60,000 training images in one split
                seconds.push_back(timer.seconds());
            }
            const std::size_t images = data.train.size() + data.validation.size() + data.test.size();
            const double bytes =
                8.0 * (data.train.images.n_elem + data.validation.images.n_elem + data.test.images.n_elem);
            row("load " + options.dataset + " (" + std::to_string(images) + " images)",
                fixed(median(seconds), 3) + " s  (" + fixed(images / median(seconds), 0) + " images/s)");
            row("dataset held as doubles", fixed(bytes / 1048576.0, 1) + " MB");
            json["load"] = {{"images", images},
                            {"seconds", seconds},
                            {"median_seconds", median(seconds)},
                            {"held_as_doubles_mib", bytes / 1048576.0}};
        }

        if (all_benchmarks || only == "train") {
            const nn::Dataset& all = data.train;  // the standard workload: all 60,000 training images
            json["train"] = nn::Json::array();
            for (const std::size_t batch : batch_sizes) {
                nn::set_seed(options.seed, nullptr);
                nn::Sequential net = nn::make_mlp(sizes, "relu");
                const auto sgd = [](const std::vector<nn::Parameter>& p) { nn::sgd_update(p, 0.01); };
                // How the steps use the cores: measured here, once, as any training run does.
                const nn::TrainingThreads cores = nn::training_threads_for_epochs(net, all, batch);
                row("cores at batch " + std::to_string(batch), cores.describe());
                // Warm up caches and threads on at most 6,400 images (a copy: keep it small).
                nn::minibatch_epoch(net, all.head(std::min<std::size_t>(batch * 50, 6400)), batch, sgd);
                seconds.clear();
                for (int i = 0; i < repeat; ++i) {
                    nn::Timer timer;
                    nn::minibatch_epoch(net, all, batch, sgd);
                    seconds.push_back(timer.seconds());
                }
                row("epoch 784-128-64-10, batch " + std::to_string(batch) + ", 60000 images",
                    fixed(median(seconds), 3) + " s  (" + fixed(all.size() / median(seconds), 0) + " images/s, " +
                        nn::to_string(cores.strategy) + ")");
                json["train"].push_back({{"network", "784-128-64-10"},
                                         {"batch", batch},
                                         {"images", all.size()},
                                         {"epoch_seconds", seconds},
                                         {"median_epoch_seconds", median(seconds)},
                                         {"cores", cores_json(cores)}});
            }
        }
        row("peak RSS", fixed(peak_rss_mb(), 1) + " MB");
        json["peak_rss_mib"] = peak_rss_mb();
        if (!options.json_path.empty()) nn::write_json(options.json_path, json);
        return 0;
    });
}
