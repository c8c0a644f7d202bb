/// \file
/// \brief Turning a photo or drawing of a digit into an MNIST-like input, the
/// way MNIST itself was made: grayscale, white ink on black, cropped to the
/// ink, scaled to fit 20x20 keeping the aspect ratio, and centred by its
/// centre of mass in 28x28.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

/// \brief A grayscale image, row-major, values in [0, 1] (0 black, 1 white).
/// \ingroup infrastructure
struct GrayImage {
    int width = 0;              ///< pixels across
    int height = 0;             ///< pixels down
    std::vector<float> pixels;  ///< width*height values
};

/// The largest image accepted, in pixels per side (larger files are refused, not resized).
inline constexpr int max_image_side = 8192;
/// The largest image accepted, in pixels (16 megapixels; larger files are refused, not resized).
inline constexpr std::int64_t max_image_pixels = std::int64_t{1} << 24;
/// Decoded images are reduced to at most this many pixels per side.
inline constexpr int max_working_side = 1024;

/// \brief Decodes PNG, JPEG, BMP (bottom-up or top-down), GIF or PGM/PPM
/// bytes to grayscale.
///
/// The size is read from the header first, so an image wider or taller than
/// \p max_side, or of more than max_image_pixels, is refused before it is
/// decoded. An image larger than max_working_side on a side is reduced while
/// it is decoded, by averaging blocks of k x k pixels for the smallest whole k
/// that brings both sides within it: preprocessing makes a 20 x 20 digit of
/// it anyway, and the full-size image is never held as floats.
/// \param data the encoded bytes; \param size their count;
/// \param name how to refer to the image in errors (a file name);
/// \param max_side the largest width or height accepted.
/// \throws nn::InputError if the bytes are not an image, or it is empty or too large.
GrayImage decode_gray_image(const unsigned char* data, std::size_t size, const std::string& name,
                            int max_side = max_image_side);

/// \brief Reads and decodes an image file (at most 64 MB).
/// \throws nn::InputError naming the file if it is missing, unreadable, empty or huge.
GrayImage read_gray_image(const std::string& path);

/// \brief The MNIST preprocessing of one image.
///
/// 1. Ink is bright: if the image's border is mostly light, invert it.
///    Subtract the median level (the page), clamp at 0 and scale so the
///    strongest ink is 1; an image whose strongest ink is below 0.05 is blank.
/// 2. Crop to the bounding box of the pixels with at least 20% of the
///    strongest ink.
/// 3. Scale the crop so its longer side is 20 pixels (area averaging),
///    keeping the aspect ratio.
/// 4. Place it in a black 28x28 image so that its centre of mass sits at the
///    centre (14, 14), as far as the frame allows.
/// \param image the input; \param name for errors.
/// \return 784 pixels in [0, 1], row-major, white ink on black.
/// \throws nn::InputError if the image has no ink.
arma::vec mnist_preprocess(const GrayImage& image, const std::string& name);

/// \brief A 28x28 image (784 values in [0, 1], row-major) as an nn::GrayImage.
GrayImage gray_from_pixels(const arma::vec& pixels, int width = 28, int height = 28);

}  // namespace nn
