// Chapter 7 reference solutions: see common/contracts/nn/features.hpp.
// An image is a column of rows*cols pixels, row-major.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "nn/features.hpp"

namespace nn {
namespace {

// The image as a rows x cols matrix M, M(r, c) = pixel (r, c).
arma::mat as_matrix(const arma::vec& image, arma::uword rows, arma::uword cols) {
    if (image.n_elem != rows * cols)
        throw std::invalid_argument(std::to_string(image.n_elem) + " pixels do not make a " + std::to_string(rows) +
                                    "x" + std::to_string(cols) + " image");
    return arma::reshape(image, cols, rows).t();
}

}  // namespace

arma::vec deskew(const arma::vec& image, arma::uword rows, arma::uword cols) {
    // BEGIN SOLUTION (ch07.1 deskew)
    const arma::mat m = as_matrix(image, rows, cols);
    const double mass = arma::accu(m);
    if (mass <= 0.0) return image;
    const arma::vec r = arma::regspace(0.0, rows - 1.0), c = arma::regspace(0.0, cols - 1.0);
    const double r_bar = arma::dot(arma::sum(m, 1), r) / mass;
    const double c_bar = arma::dot(arma::sum(m, 0).t(), c) / mass;
    const double mu_rr = arma::dot(arma::sum(m, 1), arma::square(r - r_bar)) / mass;
    const double mu_rc = arma::accu(((r - r_bar) * (c - c_bar).t()) % m) / mass;
    if (mu_rr < 1e-12) return image;
    const double alpha = mu_rc / mu_rr;

    arma::mat out(rows, cols);
    arma::vec row_out;
    for (arma::uword i = 0; i < rows; ++i) {
        arma::interp1(c, m.row(i).t(), c + alpha * (static_cast<double>(i) - r_bar), row_out, "linear", 0.0);
        out.row(i) = row_out.t();
    }
    return arma::vectorise(out.t());
    // END SOLUTION
}

double intensity(const arma::vec& image) {
    // BEGIN SOLUTION (ch07.2 intensity)
    return arma::mean(image);
    // END SOLUTION
}

double symmetry(const arma::vec& image, Axis axis, arma::uword rows, arma::uword cols) {
    // BEGIN SOLUTION (ch07.3 symmetry)
    const arma::mat m = as_matrix(image, rows, cols);
    const arma::mat mirror = axis == Axis::left_right ? arma::mat(arma::fliplr(m)) : arma::mat(arma::flipud(m));
    return 1.0 - arma::mean(arma::vectorise(arma::abs(m - mirror)));
    // END SOLUTION
}

void Standardizer::fit(const arma::mat& train) {
    // BEGIN SOLUTION (ch07.4 Standardizer::fit)
    if (train.n_cols == 0) throw std::invalid_argument("Standardizer::fit: no training samples");
    mean = arma::mean(train, 1);
    scale = arma::stddev(train, 1, 1);
    scale.elem(arma::find(scale < 1e-8)).ones();  // constant features: shift only
    // END SOLUTION
}

arma::mat Standardizer::apply(const arma::mat& data) const {
    // BEGIN SOLUTION (ch07.5 Standardizer::apply)
    if (data.n_rows != mean.n_elem)
        throw std::invalid_argument("Standardizer::apply: fitted on " + std::to_string(mean.n_elem) +
                                    " features, given " + std::to_string(data.n_rows));
    arma::mat out = data;
    out.each_col() -= mean;
    out.each_col() /= scale;
    return out;
    // END SOLUTION
}

arma::vec remap(const arma::vec& image, const SourceGrid& grid, arma::uword rows, arma::uword cols) {
    // BEGIN SOLUTION (ch07.6 remap)
    const arma::mat m = as_matrix(image, rows, cols);
    if (grid.row.n_rows != rows || grid.row.n_cols != cols || grid.col.n_rows != rows || grid.col.n_cols != cols)
        throw std::invalid_argument("remap: the grid is not " + std::to_string(rows) + "x" + std::to_string(cols));
    // The pixel at (r, c), 0 outside the image.
    const auto pixel = [&](double r, double c) {
        if (r < 0 || c < 0 || r > rows - 1.0 || c > cols - 1.0) return 0.0;
        return m(static_cast<arma::uword>(r), static_cast<arma::uword>(c));
    };
    arma::mat out(rows, cols);
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) {
            const double source_row = grid.row(r, c), source_col = grid.col(r, c);
            // Beyond one pixel outside, all four neighbours are blank (this also catches NaN).
            if (!(source_row > -1.0 && source_row < rows && source_col > -1.0 && source_col < cols)) {
                out(r, c) = 0.0;
                continue;
            }
            const double r0 = std::floor(source_row), c0 = std::floor(source_col);
            const double a = source_row - r0, b = source_col - c0;
            out(r, c) = (1 - a) * (1 - b) * pixel(r0, c0) + (1 - a) * b * pixel(r0, c0 + 1) +
                        a * (1 - b) * pixel(r0 + 1, c0) + a * b * pixel(r0 + 1, c0 + 1);
        }
    return arma::vectorise(out.t());
    // END SOLUTION
}

SourceGrid affine_grid(arma::uword rows, arma::uword cols, double angle, double scale, double shift_rows,
                       double shift_cols) {
    // BEGIN SOLUTION (ch07.7 affine_grid)
    if (!(scale > 0)) throw std::invalid_argument("affine_grid: the scale must be positive");
    const double centre_row = (rows - 1.0) / 2, centre_col = (cols - 1.0) / 2;
    const double cosine = std::cos(angle), sine = std::sin(angle);
    // u and v of every output pixel: across (to the right) and up from the shifted centre.
    const arma::mat u = arma::repmat(arma::regspace<arma::rowvec>(0.0, cols - 1.0), rows, 1) - centre_col - shift_cols;
    const arma::mat v = centre_row + shift_rows - arma::repmat(arma::regspace<arma::vec>(0.0, rows - 1.0), 1, cols);
    return {centre_row - (-u * sine + v * cosine) / scale, centre_col + (u * cosine + v * sine) / scale};
    // END SOLUTION
}

arma::mat elastic_displacement(const arma::mat& noise, double sigma, double alpha) {
    // BEGIN SOLUTION (ch07.8 elastic_displacement)
    if (!(sigma > 0)) throw std::invalid_argument("elastic_displacement: sigma must be positive");
    const double radius = std::ceil(3 * sigma);
    arma::vec kernel = arma::exp(-arma::square(arma::regspace(-radius, radius)) / (2 * sigma * sigma));
    kernel /= arma::accu(kernel);
    const arma::vec half = kernel.tail(kernel.n_elem / 2 + 1);  // g_0, g_1, ..., g_K
    // Smoothing down the columns of an n-row field, with 0 outside it, is the
    // product with the n x n band matrix B(i, j) = g_|i-j|: the symmetric
    // Toeplitz matrix of (g_0, ..., g_K, 0, ...). The two small products are
    // much faster than arma::conv2 with the same kernel: for sigma 4 on 28 x 28,
    // 3 to 4 microseconds against 73 (CPU time).
    const auto band = [&](arma::uword n) {
        arma::vec first(n, arma::fill::zeros);
        const arma::uword taps = std::min<arma::uword>(n, half.n_elem);
        first.head(taps) = half.head(taps);
        return arma::mat(arma::toeplitz(first));
    };
    return alpha * band(noise.n_rows) * noise * band(noise.n_cols);
    // END SOLUTION
}

}  // namespace nn
