/// \file
/// \brief Drawing images as text, for a quick look in the terminal.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <string>
#include <vector>

namespace nn {

/// \brief Draws one image with a ramp of characters from blank (0) to `@` (1),
/// two characters per pixel so the digit keeps its shape.
/// \param pixels rows*cols values in [0, 1], row-major (one column of a dataset).
/// \param rows pixel rows; \param cols pixel columns.
/// \return rows lines of 2*cols characters, each ending in a newline.
std::string ascii_image(const arma::vec& pixels, std::size_t rows = 28, std::size_t cols = 28);

/// \brief Draws several images side by side, at half height (one character
/// per pixel across, one line per two pixel rows), each with a caption below.
/// \param images (rows*cols) x n, one image per column.
/// \param captions n captions (shortened to the image width), or empty.
/// \param rows pixel rows; \param cols pixel columns.
/// \param per_line images per line of output; more wrap onto further lines.
/// \return the text, ending in a newline.
std::string ascii_gallery(const arma::mat& images, const std::vector<std::string>& captions, std::size_t rows = 28,
                          std::size_t cols = 28, std::size_t per_line = 5);

}  // namespace nn
