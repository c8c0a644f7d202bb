// Benchmarks of the course's infrastructure, printed as a table: how long
// loading the data takes, and how much memory it needs. Timing lives here,
// not in the unit tests.
//
//   build/release/bin/bench [--data-dir DIR] [--repeat N]

#include <sys/resource.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <vector>

#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/timer.hpp"

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

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    int repeat = 5;
    CLI::App app{"Benchmarks: data loading"};
    nn::add_data_options(app, options);
    app.add_option("--repeat", repeat, "Repetitions; the median is reported")->check(CLI::Range(1, 100));
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] {
        const std::string dir = nn::resolve_data_dir(options.data_dir);
        std::vector<double> seconds;
        std::size_t images = 0, bytes = 0;
        for (int i = 0; i < repeat; ++i) {
            nn::Timer timer;
            const nn::Splits data = nn::load_splits(options.dataset, dir);
            seconds.push_back(timer.seconds());
            images = data.train.size() + data.validation.size() + data.test.size();
            bytes = (data.train.images.n_elem + data.validation.images.n_elem + data.test.images.n_elem) * 8;
        }
        const double t = median(seconds);
        std::cout << std::fixed << std::setprecision(3) << "benchmark                       value\n"
                  << "load " << options.dataset << " (" << images << " images)   " << t << " s (median of "
                  << repeat << ")\n"
                  << "images per second               " << std::setprecision(0) << images / t << '\n'
                  << "dataset as doubles              " << std::setprecision(1) << bytes / 1048576.0 << " MB\n"
                  << "peak RSS                        " << peak_rss_mb() << " MB\n";
        return 0;
    });
}
