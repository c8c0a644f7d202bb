// Chapter 7, second part: data augmentation. One training digit under
// random distortions (tasks ch07.6 to ch07.8, through nn::augment), how far
// elastic fields move the pixels, and what distorting every batch costs.
#pragma once

#include "nn/cli.hpp"
#include "nn/dataset.hpp"
#include "nn/features.hpp"
#include "nn/metrics.hpp"

namespace ch07 {

// The distortions shown, here and in the book's figure of one digit under
// twelve draws: small shifts, rotations and scalings, and an elastic field of
// a strength and smoothness often used for MNIST.
inline nn::Augmentation shown_augmentation() {
    nn::Augmentation augmentation;
    augmentation.max_shift = 2;
    augmentation.max_degrees = 15;
    augmentation.max_scaling = 0.1;
    augmentation.elastic_alpha = 34;
    augmentation.elastic_sigma = 4;
    return augmentation;
}

// Prints the part's story, writes augment.png when options.out_dir is set,
// and returns its numbers for --json. Draws from the seeded generator: call
// it where its draws do not change the training runs' (they seed again).
nn::Json show_augmentation(const nn::Options& options, const nn::Splits& data);

}  // namespace ch07
