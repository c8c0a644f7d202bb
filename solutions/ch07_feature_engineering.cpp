// Chapter 7 reference solutions: see common/contracts/nn/features.hpp.
// An image is a column of rows*cols pixels, row-major.

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

}  // namespace nn
