/// \file
/// \brief 8-bit images in memory and as PNG files: one digit, a grid of
/// digits, colour pictures such as a confusion matrix.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

/// \brief An 8-bit image, row-major, 1 (gray) or 3 (RGB) channels.
/// \ingroup infrastructure
struct Image {
    int width = 0;                    ///< pixels across
    int height = 0;                   ///< pixels down
    int channels = 1;                 ///< 1 = gray, 3 = RGB
    std::vector<std::uint8_t> bytes;  ///< width*height*channels values
    /// \brief A blank image filled with \p value.
    Image(int width, int height, int channels, std::uint8_t value = 0);
    Image() = default;
};

/// \brief Renders one image of pixels in [0, 1] (clamped) as gray, white ink on
/// black like MNIST, each pixel drawn as a \p scale x \p scale square.
/// \param pixels rows*cols values, row-major.
/// \param rows pixel rows; \param cols pixel columns; \param scale pixel size.
Image gray_image(const arma::vec& pixels, std::size_t rows = 28, std::size_t cols = 28, int scale = 1);

/// \brief Lays out many images in a grid with a gap between them.
/// \param images (rows*cols) x n, one image per column.
/// \param rows pixel rows of one image; \param cols pixel columns of one image.
/// \param grid_cols images per grid row; \param scale pixel size; \param gap pixels between.
/// \param normalise stretch each image to the full range first (for weights).
Image image_grid(const arma::mat& images, std::size_t rows, std::size_t cols, int grid_cols, int scale = 1, int gap = 2,
                 bool normalise = false);

/// \brief Draws \p text with a 3x5-pixel font (digits, `>`, `-`, `?`; other
/// characters as blanks), each font pixel a \p scale square of \p value
/// (every channel), its top-left corner at (x, y); clipped to the image.
void draw_text(Image& image, int x, int y, const std::string& text, int scale, std::uint8_t value);

/// \brief A colour heat map of a non-negative matrix: one \p cell x \p cell
/// square per entry, white (0) to dark blue (the largest entry), the colour
/// following the square root of the value so small counts stay visible; for
/// confusion matrices.
Image heat_map(const arma::mat& values, int cell);

/// \brief Writes \p image as a PNG file. \throws nn::InputError if it fails.
void write_png(const std::string& path, const Image& image);

/// \brief The bytes of a PNG file of \p image, in memory (e.g. a request body).
/// \throws std::invalid_argument for an empty image.
std::string encode_png(const Image& image);

}  // namespace nn
