// Chapter 7, second part: data augmentation (see augmentation.hpp).

#include "augmentation.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "nn/ascii.hpp"
#include "nn/features.hpp"
#include "nn/image.hpp"
#include "nn/progress.hpp"
#include "nn/random.hpp"
#include "nn/report.hpp"
#include "nn/timer.hpp"

namespace ch07 {
namespace {

// The root mean square length, in pixels, of the displacement vectors of
// `draws` elastic fields (two components of noise uniform in [-1, 1]) on a
// rows x cols image, every pixel counted.
double rms_displacement(double alpha, double sigma, int draws, arma::uword rows, arma::uword cols) {
    double sum = 0;
    for (int i = 0; i < draws; ++i) {
        const arma::mat down = nn::elastic_displacement(2 * arma::randu(rows, cols) - 1, sigma, alpha);
        const arma::mat across = nn::elastic_displacement(2 * arma::randu(rows, cols) - 1, sigma, alpha);
        sum += arma::accu(arma::square(down) + arma::square(across));
    }
    return std::sqrt(sum / (draws * static_cast<double>(rows * cols)));
}

// Twelve draws of the digit; the first few in the terminal, all of them in augment.png.
nn::Json show_draws(const nn::Options& options, const nn::Splits& data, const nn::Augmentation& augmentation) {
    const arma::uword index = 0, rows = data.info.image_rows, cols = data.info.image_cols;
    const arma::vec digit = data.train.images.col(index);
    arma::mat draws(digit.n_elem, 12);
    for (arma::uword j = 0; j < draws.n_cols; ++j) draws.col(j) = nn::augment(digit, augmentation, rows, cols);
    const std::string label = data.info.class_names[data.train.labels(index)];
    // Scaling by s changes the area of the ink by s^2; the elastic field stretches some strokes, squeezes others.
    const double ink = arma::mean(arma::sum(draws, 0)) / arma::accu(digit);
    std::cout << "\nAugmentation (tasks ch07.6 to ch07.8): training image #" << index << ", a " << label
              << ", and four of twelve random distortions\n(" << augmentation.describe()
              << "); the twelve have, on average, " << nn::percent(ink) << " of its ink:\n"
              << nn::ascii_gallery(arma::join_rows(digit, draws.head_cols(4)),
                                   {"as written", "draw 1", "draw 2", "draw 3", "draw 4"}, rows, cols);
    if (!options.out_dir.empty()) {
        nn::write_png(nn::output_path(options, "augment.png"),
                      nn::image_grid(arma::join_rows(digit, draws), rows, cols, 13, 3));
        std::cout << "wrote augment.png (the digit as written, then twelve draws) to " << options.out_dir << '\n';
    }
    return {{"image", index},
            {"label", label},
            {"settings", augmentation.describe()},
            {"draws", draws.n_cols},
            {"ink_kept", ink}};
}

}  // namespace

nn::Json show_augmentation(const nn::Options& options, const nn::Splits& data) {
    nn::set_seed(options.seed, nullptr);
    const nn::Augmentation augmentation = shown_augmentation();
    nn::Json json = show_draws(options, data, augmentation);
    const arma::uword rows = data.info.image_rows, cols = data.info.image_cols;

    // How far the elastic fields move pixels, at the strength shown, for four smoothnesses.
    const int fields = 200;
    std::ostringstream line;
    line << std::fixed << std::setprecision(2);
    nn::Json rms = nn::Json::object();
    for (const double sigma : {1.0, 2.0, 4.0, 8.0}) {
        const double value = rms_displacement(augmentation.elastic_alpha, sigma, fields, rows, cols);
        rms["sigma_" + nn::number_text(sigma)] = value;
        line << (sigma > 1 ? ", " : "") << "sigma " << nn::number_text(sigma) << ": " << value << " px";
    }
    std::cout << "elastic fields of " << rows << " x " << cols << " at alpha " << augmentation.elastic_alpha
              << ", RMS displacement over " << fields << " draws: " << line.str() << '\n';
    json["elastic_rms_displacement"] = {{"alpha", augmentation.elastic_alpha}, {"fields", fields}, {"pixels", rms}};

    // The cost of distorting every image of every batch, on the fly. CPU time
    // as well as wall time: on a busy machine the wall time also counts waiting.
    const arma::uword timed = std::min<arma::uword>(2000, data.train.size());
    nn::Timer timer;
    const std::clock_t cpu_start = std::clock();
    for (arma::uword j = 0; j < timed; ++j) nn::augment(data.train.images.col(j), augmentation, rows, cols);
    const double cpu_per_image = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / timed;
    const double wall_per_image = timer.seconds() / static_cast<double>(timed);
    const double epoch_images = static_cast<double>(data.train.size()), image_bytes = 8.0 * rows * cols;
    std::cout << std::fixed << std::setprecision(1) << "augment(): " << 1e6 * cpu_per_image
              << " us of CPU time per image (" << 1e6 * wall_per_image << " us of wall time, " << timed
              << " images timed), " << cpu_per_image * epoch_images << " s per epoch of " << data.train.size()
              << " images\non the fly, one batch of 32 at a time holds " << 32 * image_bytes / 1e6
              << " MB; twelve distorted copies of the training images would take "
              << 12 * epoch_images * image_bytes / 1e9 << " GB\n"
              << std::defaultfloat;
    json["cpu_seconds_per_image"] = cpu_per_image;
    json["wall_seconds_per_image"] = wall_per_image;
    json["images_timed"] = timed;
    return json;
}

}  // namespace ch07
