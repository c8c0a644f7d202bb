// Course code every build shares: the feature pipelines built from the
// chapter 7 functions.

#include <stdexcept>

#include "nn/features.hpp"

namespace nn {

std::string features_name(Features features) {
    switch (features) {
        case Features::raw:
            return "raw";
        case Features::deskewed:
            return "deskew";
        case Features::deskewed_with_stats:
            return "deskew+stats";
    }
    return "raw";
}

Features parse_features(const std::string& name) {
    for (const Features f : {Features::raw, Features::deskewed, Features::deskewed_with_stats})
        if (features_name(f) == name) return f;
    throw std::invalid_argument("unknown features '" + name + "': expected raw, deskew or deskew+stats");
}

arma::uword extra_feature_rows(Features features) { return features == Features::deskewed_with_stats ? 3 : 0; }

void make_features_in_place(arma::mat& images, Features features, arma::uword rows, arma::uword cols) {
    if (features == Features::raw) return;
    const arma::uword pixels = rows * cols, extra = extra_feature_rows(features);
    if (images.n_rows != pixels + extra)
        throw std::invalid_argument("make_features_in_place: expected " + std::to_string(pixels + extra) +
                                    " rows, got " + std::to_string(images.n_rows));
    for (arma::uword j = 0; j < images.n_cols; ++j) {
        const arma::vec straight = deskew(images.col(j).head(pixels), rows, cols);
        images.col(j).head(pixels) = straight;
        if (extra) {
            images(pixels, j) = intensity(straight);
            images(pixels + 1, j) = symmetry(straight, Axis::left_right, rows, cols);
            images(pixels + 2, j) = symmetry(straight, Axis::top_bottom, rows, cols);
        }
    }
}

void standardize_in_place(const Standardizer& standardizer, arma::mat& data, arma::uword chunk) {
    for (arma::uword first = 0; first < data.n_cols; first += chunk) {
        const arma::uword last = std::min<arma::uword>(first + chunk, data.n_cols) - 1;
        data.cols(first, last) = standardizer.apply(data.cols(first, last));
    }
}

arma::mat make_features(const arma::mat& images, Features features, arma::uword rows, arma::uword cols) {
    if (features == Features::raw) return images;
    arma::mat out(images.n_rows + extra_feature_rows(features), images.n_cols);
    out.head_rows(images.n_rows) = images;
    make_features_in_place(out, features, rows, cols);
    return out;
}

}  // namespace nn
