// Fuzz target: image decoding (nn::decode_gray_image: PNG, JPEG, BMP, GIF,
// PGM/PPM through stb_image) with the size limit `predict` uses, then the
// MNIST-style preprocessing (nn::mnist_preprocess) of what was decoded.
//
// Promises checked beyond "no crash, no huge allocation": a decoded image is
// at most nn::max_working_side per side, one value per pixel, all in [0, 1];
// a preprocessed image is 784 values in [0, 1].

#include <stdexcept>

#include "fuzz_support.hpp"
#include "nn/core.hpp"
#include "nn/preprocess.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nn::GrayImage image;
    try {
        image = nn::decode_gray_image(data, size, "input");
    } catch (const nn::InputError&) {
        return 0;
    }
    // Larger images are reduced while they are decoded.
    fuzz::fuzz_require(image.width >= 1 && image.height >= 1 && image.width <= nn::max_working_side &&
                           image.height <= nn::max_working_side,
                       "decoded size " + std::to_string(image.width) + "x" + std::to_string(image.height));
    fuzz::fuzz_require(image.pixels.size() == static_cast<std::size_t>(image.width) * image.height,
                       "pixel count does not match the size");
    for (const float v : image.pixels) fuzz::fuzz_require(v >= 0.0f && v <= 1.0f, "a pixel outside [0, 1]");

    arma::vec pixels;
    try {
        pixels = nn::mnist_preprocess(image, "input");
    } catch (const nn::InputError&) {
        return 0;  // blank
    }
    fuzz::fuzz_require(pixels.n_elem == 784, "preprocessing gave " + std::to_string(pixels.n_elem) + " pixels");
    fuzz::fuzz_require(pixels.is_finite() && pixels.min() >= 0.0 && pixels.max() <= 1.0,
                       "a preprocessed pixel outside [0, 1]");
    return 0;
}
