// Course code every build shares: the feature pipelines built from the
// chapter 7 functions.

#include <stdexcept>

#include "nn/features.hpp"

namespace nn {

std::string features_name(Features features) {
    switch (features) {
        case Features::raw: return "raw";
        case Features::deskewed: return "deskew";
        case Features::deskewed_with_stats: return "deskew+stats";
    }
    return "raw";
}

Features parse_features(const std::string& name) {
    for (const Features f : {Features::raw, Features::deskewed, Features::deskewed_with_stats})
        if (features_name(f) == name) return f;
    throw std::invalid_argument("unknown features '" + name + "': expected raw, deskew or deskew+stats");
}

arma::mat make_features(const arma::mat& images, Features features, arma::uword rows, arma::uword cols) {
    if (features == Features::raw) return images;
    const arma::uword extra = features == Features::deskewed_with_stats ? 3 : 0;
    arma::mat out(images.n_rows + extra, images.n_cols);
    for (arma::uword j = 0; j < images.n_cols; ++j) {
        const arma::vec straight = deskew(images.col(j), rows, cols);
        out.col(j).head(images.n_rows) = straight;
        if (extra) {
            out(images.n_rows, j) = intensity(straight);
            out(images.n_rows + 1, j) = symmetry(straight, Axis::left_right, rows, cols);
            out(images.n_rows + 2, j) = symmetry(straight, Axis::top_bottom, rows, cols);
        }
    }
    return out;
}

}  // namespace nn
