// Chapter 7: feature engineering. Your implementations of the functions
// declared in common/include/nn/features.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 7
//
// An image is a column of rows*cols pixels, row-major: pixel (r, c) is at
// index r*cols + c. arma::reshape(image, cols, rows).t() gives it as a
// rows x cols matrix M with M(r, c) the pixel; arma::vectorise(M.t()) goes back.

#include "nn/core.hpp"
#include "nn/features.hpp"

namespace nn {

arma::vec deskew([[maybe_unused]] const arma::vec& image, [[maybe_unused]] arma::uword rows,
                 [[maybe_unused]] arma::uword cols) {
    // BEGIN YOUR CODE (ch07.1 deskew)
    // 1. M = the image as rows x cols; m = total ink. No ink: return image.
    // 2. Centroid: r_bar = sum_r r * (row sums of M) / m; c_bar likewise with column sums.
    // 3. mu_rr = sum (r - r_bar)^2 I / m;  mu_rc = sum (r - r_bar)(c - c_bar) I / m.
    //    mu_rr (nearly) 0: return image. alpha = mu_rc / mu_rr.
    // 4. Row r of the result samples row r of M at columns c + alpha (r - r_bar),
    //    c = 0..cols-1, linearly interpolated, 0 outside. Hint:
    //    arma::interp1(columns, M.row(r).t(), positions, out, "linear", 0.0).
    throw nn::NotImplemented("ch07.1 deskew");
    // END YOUR CODE
}

double intensity([[maybe_unused]] const arma::vec& image) {
    // BEGIN YOUR CODE (ch07.2 intensity)
    // The mean pixel value.
    throw nn::NotImplemented("ch07.2 intensity");
    // END YOUR CODE
}

double symmetry([[maybe_unused]] const arma::vec& image, [[maybe_unused]] Axis axis,
                [[maybe_unused]] arma::uword rows, [[maybe_unused]] arma::uword cols) {
    // BEGIN YOUR CODE (ch07.3 symmetry)
    // 1 - mean(|M - mirror(M)|) with mirror = arma::fliplr(M) for
    // Axis::left_right and arma::flipud(M) for Axis::top_bottom.
    throw nn::NotImplemented("ch07.3 symmetry");
    // END YOUR CODE
}

void Standardizer::fit([[maybe_unused]] const arma::mat& train) {
    // BEGIN YOUR CODE (ch07.4 Standardizer::fit)
    // Reject an empty train with std::invalid_argument.
    // mean = per-row mean (arma::mean(X, 1)); scale = per-row population
    // standard deviation (arma::stddev(X, 1, 1): the middle 1 divides by N);
    // then set scale to 1 wherever it is below 1e-8.
    throw nn::NotImplemented("ch07.4 Standardizer::fit");
    // END YOUR CODE
}

arma::mat Standardizer::apply([[maybe_unused]] const arma::mat& data) const {
    // BEGIN YOUR CODE (ch07.5 Standardizer::apply)
    // Reject data whose row count differs from mean's with std::invalid_argument.
    // (X - mean) / scale for every column: .each_col() -= and /=.
    throw nn::NotImplemented("ch07.5 Standardizer::apply");
    // END YOUR CODE
}

}  // namespace nn
