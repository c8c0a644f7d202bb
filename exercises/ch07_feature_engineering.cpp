// Chapter 7: feature engineering. Your implementations of the functions
// declared in common/contracts/nn/features.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 7
//
// Hints are on demand, three per task: ./course hint ch07.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// An image is a column of rows*cols pixels, row-major: pixel (r, c) is at
// index r*cols + c.

#include "nn/core.hpp"
#include "nn/features.hpp"

namespace nn {

arma::vec deskew([[maybe_unused]] const arma::vec& image, [[maybe_unused]] arma::uword rows,
                 [[maybe_unused]] arma::uword cols) {
    // BEGIN YOUR CODE (ch07.1 deskew)
    // Task ch07.1: straighten a slanted digit by its image moments.
    // Contract: nn::deskew in common/contracts/nn/features.hpp
    // Shapes: image rows*cols (row-major) -> the same.
    // Hints: ./course hint ch07.1
    throw nn::NotImplemented("ch07.1 deskew");
    // END YOUR CODE
}

double intensity([[maybe_unused]] const arma::vec& image) {
    // BEGIN YOUR CODE (ch07.2 intensity)
    // Task ch07.2: the intensity of an image.
    // Contract: nn::intensity in common/contracts/nn/features.hpp
    // Shapes: image D -> a number.
    // Hints: ./course hint ch07.2
    throw nn::NotImplemented("ch07.2 intensity");
    // END YOUR CODE
}

double symmetry([[maybe_unused]] const arma::vec& image, [[maybe_unused]] Axis axis, [[maybe_unused]] arma::uword rows,
                [[maybe_unused]] arma::uword cols) {
    // BEGIN YOUR CODE (ch07.3 symmetry)
    // Task ch07.3: the mirror symmetry of an image.
    // Contract: nn::symmetry in common/contracts/nn/features.hpp
    // Shapes: image rows*cols (row-major) -> a number in [0, 1].
    // Hints: ./course hint ch07.3
    throw nn::NotImplemented("ch07.3 symmetry");
    // END YOUR CODE
}

void Standardizer::fit([[maybe_unused]] const arma::mat& train) {
    // BEGIN YOUR CODE (ch07.4 Standardizer::fit)
    // Task ch07.4: fit the per-feature mean and scale.
    // Contract: nn::Standardizer::fit in common/contracts/nn/features.hpp
    // Shapes: train D x N -> mean D, scale D.
    // Hints: ./course hint ch07.4
    throw nn::NotImplemented("ch07.4 Standardizer::fit");
    // END YOUR CODE
}

arma::mat Standardizer::apply([[maybe_unused]] const arma::mat& data) const {
    // BEGIN YOUR CODE (ch07.5 Standardizer::apply)
    // Task ch07.5: standardise data with the fitted mean and scale.
    // Contract: nn::Standardizer::apply in common/contracts/nn/features.hpp
    // Shapes: data D x N -> D x N.
    // Hints: ./course hint ch07.5
    throw nn::NotImplemented("ch07.5 Standardizer::apply");
    // END YOUR CODE
}

arma::vec remap([[maybe_unused]] const arma::vec& image, [[maybe_unused]] const SourceGrid& grid,
                [[maybe_unused]] arma::uword rows, [[maybe_unused]] arma::uword cols) {
    // BEGIN YOUR CODE (ch07.6 remap)
    // Task ch07.6: warp an image by reading each pixel at its source position.
    // Contract: nn::remap in common/contracts/nn/features.hpp
    // Shapes: image rows*cols (row-major), grid rows x cols -> rows*cols.
    // Hints: ./course hint ch07.6
    throw nn::NotImplemented("ch07.6 remap");
    // END YOUR CODE
}

SourceGrid affine_grid([[maybe_unused]] arma::uword rows, [[maybe_unused]] arma::uword cols,
                       [[maybe_unused]] double angle, [[maybe_unused]] double scale, [[maybe_unused]] double shift_rows,
                       [[maybe_unused]] double shift_cols) {
    // BEGIN YOUR CODE (ch07.7 affine_grid)
    // Task ch07.7: the source grid of a rotation, scaling and shift about the centre.
    // Contract: nn::affine_grid in common/contracts/nn/features.hpp
    // Shapes: -> two rows x cols matrices.
    // Hints: ./course hint ch07.7
    throw nn::NotImplemented("ch07.7 affine_grid");
    // END YOUR CODE
}

arma::mat elastic_displacement([[maybe_unused]] const arma::mat& noise, [[maybe_unused]] double sigma,
                               [[maybe_unused]] double alpha) {
    // BEGIN YOUR CODE (ch07.8 elastic_displacement)
    // Task ch07.8: smooth random noise with a Gaussian, then scale it.
    // Contract: nn::elastic_displacement in common/contracts/nn/features.hpp
    // Shapes: noise rows x cols -> rows x cols.
    // Hints: ./course hint ch07.8
    throw nn::NotImplemented("ch07.8 elastic_displacement");
    // END YOUR CODE
}

}  // namespace nn
