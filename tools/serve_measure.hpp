// What the HTTP server's load check (serve_load) and soak check (serve_soak)
// share: latency percentiles (as text and as JSON), milliseconds as text, and
// where the server program is.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <iomanip>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "nn/metrics.hpp"

namespace nn_tools {

/// The p-quantile (0 < p <= 1) of \p values by the nearest-rank method; 0 if there are none.
inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const auto i = static_cast<std::size_t>(std::ceil(p * values.size())) - 1;
    return values[std::min(i, values.size() - 1)];
}

/// Seconds as milliseconds with two decimals, e.g. "1.23 ms".
inline std::string ms(double seconds) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << 1000.0 * seconds << " ms";
    return out.str();
}

/// Latencies in seconds as JSON: `{"count": N, "p50": ..., "p99": ..., "max": ...}` for the given percents.
inline nn::Json latency_json(const std::vector<double>& seconds, std::initializer_list<int> percents) {
    nn::Json json{{"count", seconds.size()}};
    for (const int p : percents) json["p" + std::to_string(p)] = percentile(seconds, p / 100.0);
    json["max"] = percentile(seconds, 1.0);
    return json;
}

/// A program in the folder of the running one (the build's bin/), or its bare name.
inline std::string beside_this_program(const std::string& name) {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? name : (self.parent_path() / name).string();
}

}  // namespace nn_tools
