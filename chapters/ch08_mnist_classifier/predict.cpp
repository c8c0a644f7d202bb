// `predict`: classify image files the way MNIST was made.

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>

#include "app.hpp"
#include "nn/ascii.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/model.hpp"
#include "nn/preprocess.hpp"

namespace app {
namespace {

namespace fs = std::filesystem;

bool is_image_name(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm", ".pnm"})
        if (ext == known) return true;
    return false;
}

// The image files in a folder, sorted. A folder that cannot be read, or
// holds no image file, is an error: silence would look like success.
std::vector<std::string> images_in(const std::string& folder) {
    std::error_code error, unreadable_entry;  // an entry such as a broken link is skipped, not an error
    std::vector<std::string> inside;
    fs::directory_iterator entry(folder, error);
    for (; !error && entry != fs::directory_iterator(); entry.increment(error))
        if (entry->is_regular_file(unreadable_entry) && is_image_name(entry->path()))
            inside.push_back(entry->path().string());
    if (error) throw nn::InputError(folder + ": cannot read the folder: " + error.message());
    if (inside.empty())
        throw nn::InputError(folder +
                             ": no image files (.png, .jpg, .jpeg, .bmp, .gif, .pgm, .ppm, .pnm) in this folder");
    std::sort(inside.begin(), inside.end());
    return inside;
}

void print_prediction(const std::string& file, const arma::vec& p, const nn::DatasetInfo& info) {
    const arma::uvec order = arma::sort_index(p, "descend");
    std::cout << file << ": " << info.class_names[order[0]] << "  (" << std::fixed << std::setprecision(1)
              << 100.0 * p[order[0]] << "%)\n";
    for (int k = 0; k < 3; ++k)
        std::cout << "    " << std::setw(12) << info.class_names[order[k]] << ' ' << std::setw(6) << 100.0 * p[order[k]]
                  << "% " << std::string(static_cast<std::size_t>(std::lround(40 * p[order[k]])), '#') << '\n';
    std::cout << std::defaultfloat;
}

}  // namespace

int predict(const PredictConfig& config) {
    nn::Classifier model = nn::load_model(config.model_path);
    const nn::DatasetInfo info = nn::dataset_info(model.dataset);
    nn::Json results = nn::Json::array();
    int failures = 0;
    // One bad file or folder does not stop the others: each is reported and counted.
    const auto attempt = [&](const std::string& path, const std::function<void()>& work) {
        try {
            work();
        } catch (const nn::InputError& e) {
            ++failures;
            if (config.json)
                results.push_back({{"file", path}, {"error", e.what()}});
            else
                std::cerr << "error: " << e.what() << '\n';
        }
    };
    const auto classify = [&](const std::string& file) {
        const arma::vec pixels = nn::mnist_preprocess(nn::read_gray_image(file), file);
        const arma::vec p = model.probabilities(pixels);
        if (config.json) {
            results.push_back({{"file", file},
                               {"class", p.index_max()},
                               {"label", info.class_names[p.index_max()]},
                               {"probabilities", arma::conv_to<std::vector<double>>::from(p)}});
        } else {
            print_prediction(file, p, info);
            if (config.show) std::cout << nn::ascii_image(pixels);
        }
    };
    for (const auto& path : config.paths) {
        std::error_code error;
        if (!fs::is_directory(path, error)) {
            attempt(path, [&] { classify(path); });
            continue;
        }
        std::vector<std::string> files;
        attempt(path, [&] { files = images_in(path); });
        for (const auto& file : files) attempt(file, [&] { classify(file); });
    }
    if (config.json) std::cout << results.dump(2) << '\n';
    return failures ? 2 : 0;
}

}  // namespace app
