#include "nn/ascii.hpp"

#include <algorithm>
#include <stdexcept>

namespace nn {
namespace {

// Ten shades from blank to full ink.
const char ramp[] = " .:-=+*#%@";

char shade(double value) {
    const double v = std::clamp(value, 0.0, 1.0);
    return ramp[static_cast<int>(v * 9.0 + 0.5)];
}

void check_size(arma::uword n, std::size_t rows, std::size_t cols) {
    if (n != rows * cols)
        throw std::invalid_argument("ascii: " + std::to_string(n) + " pixels do not make a " + std::to_string(rows) +
                                    "x" + std::to_string(cols) + " image");
}

}  // namespace

std::string ascii_image(const arma::vec& pixels, std::size_t rows, std::size_t cols) {
    check_size(pixels.n_elem, rows, cols);
    std::string text;
    text.reserve(rows * (2 * cols + 1));
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < cols; ++c) text.append(2, shade(pixels[r * cols + c]));
        text += '\n';
    }
    return text;
}

std::string ascii_gallery(const arma::mat& images, const std::vector<std::string>& captions, std::size_t rows,
                          std::size_t cols, std::size_t per_line) {
    check_size(images.n_rows, rows, cols);
    if (!captions.empty() && captions.size() != images.n_cols)
        throw std::invalid_argument("ascii_gallery: " + std::to_string(captions.size()) + " captions for " +
                                    std::to_string(images.n_cols) + " images");
    per_line = std::max<std::size_t>(per_line, 1);
    std::string text;
    for (std::size_t first = 0; first < images.n_cols; first += per_line) {
        const std::size_t last = std::min<std::size_t>(first + per_line, images.n_cols);
        for (std::size_t r = 0; r < rows; r += 2) {  // one line per two pixel rows
            std::string line;
            for (std::size_t j = first; j < last; ++j) {
                for (std::size_t c = 0; c < cols; ++c) {
                    const double below = r + 1 < rows ? images((r + 1) * cols + c, j) : 0.0;
                    line += shade(std::max(images(r * cols + c, j), below));
                }
                line += "  ";
            }
            line.erase(line.find_last_not_of(' ') + 1);
            text += line + '\n';
        }
        if (!captions.empty()) {
            std::string line;
            for (std::size_t j = first; j < last; ++j) {
                std::string caption = captions[j].substr(0, cols);
                const std::size_t pad = (cols - caption.size()) / 2;
                line += std::string(pad, ' ') + caption + std::string(cols - caption.size() - pad + 2, ' ');
            }
            line.erase(line.find_last_not_of(' ') + 1);
            text += line + '\n';
        }
    }
    return text;
}

}  // namespace nn
