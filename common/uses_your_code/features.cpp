// Course code every build shares: the feature pipelines built from the
// chapter 7 functions.

#include <stdexcept>

#include "nn/features.hpp"
#include "nn/report.hpp"

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

std::string Augmentation::describe() const {
    if (!any()) return "none";
    std::string text;
    const auto item = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
    if (max_shift > 0) item("shift " + number_text(max_shift) + " px");
    if (max_degrees > 0) item("rotation " + number_text(max_degrees) + " deg");
    if (max_scaling > 0) item("scaling " + number_text(100 * max_scaling) + "%");
    if (elastic_alpha > 0) item("elastic alpha " + number_text(elastic_alpha) + " sigma " + number_text(elastic_sigma));
    if (mirror > 0) item("mirrored with probability " + number_text(mirror));
    return text;
}

arma::vec augment(const arma::vec& image, const Augmentation& augmentation, arma::uword rows, arma::uword cols) {
    // A draw uniform in [-limit, limit]; none at all for a limit of 0, so
    // that switching one distortion off leaves the others' draws unchanged.
    const auto draw = [](double limit) { return limit > 0 ? limit * (2 * arma::randu() - 1) : 0.0; };
    const double degrees = draw(augmentation.max_degrees), scaling = draw(augmentation.max_scaling);
    const double shift_rows = draw(augmentation.max_shift), shift_cols = draw(augmentation.max_shift);
    SourceGrid grid = affine_grid(rows, cols, degrees * arma::datum::pi / 180, 1 + scaling, shift_rows, shift_cols);
    if (augmentation.elastic_alpha > 0) {
        const arma::mat noise_rows = 2 * arma::randu(rows, cols) - 1, noise_cols = 2 * arma::randu(rows, cols) - 1;
        grid.row += elastic_displacement(noise_rows, augmentation.elastic_sigma, augmentation.elastic_alpha);
        grid.col += elastic_displacement(noise_cols, augmentation.elastic_sigma, augmentation.elastic_alpha);
    }
    if (augmentation.mirror > 0 && arma::randu() < augmentation.mirror) grid.col = (cols - 1.0) - grid.col;
    return remap(image, grid, rows, cols);
}

void augment_features_in_place(arma::mat& batch, const Augmentation& augmentation, Features features,
                               const Standardizer& standardizer, arma::uword rows, arma::uword cols) {
    const arma::uword pixels = rows * cols, extra = extra_feature_rows(features);
    if (batch.n_rows != pixels + extra)
        throw std::invalid_argument("augment_features_in_place: expected " + std::to_string(pixels + extra) +
                                    " rows, got " + std::to_string(batch.n_rows));
    const bool standardised = !standardizer.mean.is_empty();
    if (standardised && (standardizer.mean.n_elem != batch.n_rows || standardizer.scale.n_elem != batch.n_rows))
        throw std::invalid_argument("augment_features_in_place: the standardizer is not fitted to these features");
    arma::vec column;
    for (arma::uword j = 0; j < batch.n_cols; ++j) {
        column = batch.col(j);
        if (standardised) column = column % standardizer.scale + standardizer.mean;
        column.head(pixels) = augment(column.head(pixels), augmentation, rows, cols);
        if (extra) {
            const arma::vec distorted = column.head(pixels);
            column(pixels) = intensity(distorted);
            column(pixels + 1) = symmetry(distorted, Axis::left_right, rows, cols);
            column(pixels + 2) = symmetry(distorted, Axis::top_bottom, rows, cols);
        }
        if (standardised) column = (column - standardizer.mean) / standardizer.scale;
        batch.col(j) = column;
    }
}

}  // namespace nn
