#include "nn/image.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/core.hpp"

namespace nn {

Image::Image(int width, int height, int channels, std::uint8_t value)
    : width(width),
      height(height),
      channels(channels),
      bytes(static_cast<std::size_t>(width) * height * channels, value) {
    if (width < 0 || height < 0 || (channels != 1 && channels != 3))
        throw std::invalid_argument("Image: bad size or channel count");
}

namespace {

void check_pixels(arma::uword n, std::size_t rows, std::size_t cols) {
    if (n != rows * cols)
        throw std::invalid_argument("image: " + std::to_string(n) + " pixels do not make a " + std::to_string(rows) +
                                    "x" + std::to_string(cols) + " image");
}

// Draws one image's pixels (each scale x scale) into a gray canvas at (x0, y0).
void paint(Image& canvas, const double* pixels, std::size_t rows, std::size_t cols, int scale, int x0, int y0,
           double lo, double hi) {
    const double span = hi > lo ? hi - lo : 1.0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = std::clamp((pixels[r * cols + c] - lo) / span, 0.0, 1.0);
            const auto byte = static_cast<std::uint8_t>(v * 255.0 + 0.5);
            for (int dy = 0; dy < scale; ++dy)
                for (int dx = 0; dx < scale; ++dx) {
                    const std::size_t x = x0 + c * scale + dx, y = y0 + r * scale + dy;
                    canvas.bytes[y * canvas.width + x] = byte;
                }
        }
}

}  // namespace

Image gray_image(const arma::vec& pixels, std::size_t rows, std::size_t cols, int scale) {
    check_pixels(pixels.n_elem, rows, cols);
    scale = std::max(scale, 1);
    Image image(static_cast<int>(cols) * scale, static_cast<int>(rows) * scale, 1);
    paint(image, pixels.memptr(), rows, cols, scale, 0, 0, 0.0, 1.0);
    return image;
}

Image image_grid(const arma::mat& images, std::size_t rows, std::size_t cols, int grid_cols, int scale, int gap,
                 bool normalise) {
    check_pixels(images.n_rows, rows, cols);
    scale = std::max(scale, 1);
    gap = std::max(gap, 0);
    const int n = static_cast<int>(images.n_cols);
    grid_cols = std::max(1, std::min(grid_cols, std::max(n, 1)));
    const int grid_rows = (n + grid_cols - 1) / grid_cols;
    const int cell_w = static_cast<int>(cols) * scale, cell_h = static_cast<int>(rows) * scale;
    // The gaps are mid-gray so black-background digits stay apart.
    Image canvas(grid_cols * cell_w + (grid_cols + 1) * gap, grid_rows * cell_h + (grid_rows + 1) * gap, 1, 128);
    for (int j = 0; j < n; ++j) {
        const double* p = images.colptr(j);
        double lo = 0.0, hi = 1.0;
        if (normalise) {
            const auto [mn, mx] = std::minmax_element(p, p + images.n_rows);
            lo = *mn, hi = *mx;
        }
        paint(canvas, p, rows, cols, scale, gap + (j % grid_cols) * (cell_w + gap),
              gap + (j / grid_cols) * (cell_h + gap), lo, hi);
    }
    return canvas;
}

namespace {

// 3x5 glyphs, one row per 3 bits (most significant bit on the left).
std::uint16_t glyph(char c) {
    switch (c) {
        case '0':
            return 0b111'101'101'101'111;
        case '1':
            return 0b010'110'010'010'111;
        case '2':
            return 0b111'001'111'100'111;
        case '3':
            return 0b111'001'111'001'111;
        case '4':
            return 0b101'101'111'001'001;
        case '5':
            return 0b111'100'111'001'111;
        case '6':
            return 0b111'100'111'101'111;
        case '7':
            return 0b111'001'001'010'010;
        case '8':
            return 0b111'101'111'101'111;
        case '9':
            return 0b111'101'111'001'111;
        case '>':
            return 0b100'010'001'010'100;
        case '-':
            return 0b000'000'111'000'000;
        case '?':
            return 0b111'001'011'000'010;
        default:
            return 0;
    }
}

}  // namespace

void draw_text(Image& image, int x, int y, const std::string& text, int scale, std::uint8_t value) {
    for (std::size_t k = 0; k < text.size(); ++k) {
        const std::uint16_t bits = glyph(text[k]);
        for (int gy = 0; gy < 5; ++gy)
            for (int gx = 0; gx < 3; ++gx) {
                if (!(bits >> (14 - (gy * 3 + gx)) & 1)) continue;
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx) {
                        const int px = x + (static_cast<int>(k) * 4 + gx) * scale + dx, py = y + gy * scale + dy;
                        if (px < 0 || py < 0 || px >= image.width || py >= image.height) continue;
                        for (int c = 0; c < image.channels; ++c)
                            image.bytes[(static_cast<std::size_t>(py) * image.width + px) * image.channels + c] = value;
                    }
            }
    }
}

Image heat_map(const arma::mat& values, int cell) {
    cell = std::max(cell, 1);
    Image image(static_cast<int>(values.n_cols) * cell, static_cast<int>(values.n_rows) * cell, 3, 255);
    const double top = values.is_empty() ? 1.0 : std::max(values.max(), 1e-300);
    for (arma::uword r = 0; r < values.n_rows; ++r)
        for (arma::uword c = 0; c < values.n_cols; ++c) {
            // Square root stretches the small off-diagonal counts into view.
            const double t = std::sqrt(std::clamp(values(r, c) / top, 0.0, 1.0));
            const std::uint8_t rgb[3] = {static_cast<std::uint8_t>(255 - 247 * t),
                                         static_cast<std::uint8_t>(255 - 207 * t),
                                         static_cast<std::uint8_t>(255 - 148 * t)};
            for (int dy = 0; dy < cell; ++dy)
                for (int dx = 0; dx < cell; ++dx)
                    for (int ch = 0; ch < 3; ++ch)
                        image.bytes[((r * cell + dy) * image.width + c * cell + dx) * 3 + ch] = rgb[ch];
        }
    return image;
}

std::string encode_png(const Image& image) {
    if (image.width <= 0 || image.height <= 0) throw std::invalid_argument("encode_png: an empty image");
    std::string bytes;
    const auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, image.channels, image.bytes.data(),
                                image.width * image.channels))
        throw std::runtime_error("encode_png: stb could not encode the image");
    return bytes;
}

void write_png(const std::string& path, const Image& image) {
    if (image.width <= 0 || image.height <= 0) throw std::invalid_argument(path + ": cannot write an empty image");
    if (!stbi_write_png(path.c_str(), image.width, image.height, image.channels, image.bytes.data(),
                        image.width * image.channels))
        throw InputError(path + ": cannot write the PNG file");
}

}  // namespace nn
