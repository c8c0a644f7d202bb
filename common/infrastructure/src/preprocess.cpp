#include "nn/preprocess.hpp"

#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "nn/core.hpp"

namespace nn {
namespace {

constexpr std::uint64_t max_file_bytes = 64ull << 20;

// Mean brightness of the outermost rows and columns.
double border_mean(const GrayImage& image) {
    double sum = 0.0;
    std::size_t n = 0;
    const auto at = [&](int x, int y) { return image.pixels[static_cast<std::size_t>(y) * image.width + x]; };
    for (int x = 0; x < image.width; ++x) sum += at(x, 0) + at(x, image.height - 1), n += 2;
    for (int y = 0; y < image.height; ++y) sum += at(0, y) + at(image.width - 1, y), n += 2;
    return sum / static_cast<double>(n);
}

// Area-average resampling of a w x h ink map (row-major) to out_w x out_h.
arma::mat resize_area(const arma::mat& ink, int out_w, int out_h) {
    const double sx = static_cast<double>(ink.n_cols) / out_w, sy = static_cast<double>(ink.n_rows) / out_h;
    arma::mat out(out_h, out_w, arma::fill::zeros);
    for (int oy = 0; oy < out_h; ++oy) {
        for (int ox = 0; ox < out_w; ++ox) {
            // The source rectangle [x0, x1) x [y0, y1), weighting partly covered pixels.
            const double x0 = ox * sx, x1 = (ox + 1) * sx, y0 = oy * sy, y1 = (oy + 1) * sy;
            double sum = 0.0;
            for (int y = static_cast<int>(y0); y < std::min<double>(std::ceil(y1), ink.n_rows); ++y) {
                const double wy = std::min<double>(y + 1, y1) - std::max<double>(y, y0);
                for (int x = static_cast<int>(x0); x < std::min<double>(std::ceil(x1), ink.n_cols); ++x) {
                    const double wx = std::min<double>(x + 1, x1) - std::max<double>(x, x0);
                    sum += wx * wy * ink(y, x);
                }
            }
            out(oy, ox) = sum / (sx * sy);
        }
    }
    return out;
}

// The image's size from its header, checked before anything is decoded.
// stb reports a top-down BMP (stored first row first) with a negative height.
std::pair<int, int> checked_size(const unsigned char* data, int size, const std::string& name, int max_side) {
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(data, size, &w, &h, &channels))
        throw InputError(name + ": not a readable image (" + std::string(stbi_failure_reason()) +
                         "); PNG, JPEG, BMP, GIF and PGM/PPM are supported");
    if (h < 0 && h != std::numeric_limits<int>::min()) h = -h;
    if (w <= 0 || h <= 0) throw InputError(name + ": the image has no pixels");
    if (w > max_side || h > max_side || std::int64_t{w} * h > max_image_pixels)
        throw InputError(name + ": " + std::to_string(w) + "x" + std::to_string(h) +
                         " pixels is too large: at most 16 megapixels and " + std::to_string(max_side) +
                         " per side; resize it (a digit needs far fewer)");
    return {w, h};
}

// A PNG's chunks, each checked against the bytes that follow it: stb_image
// reserves a chunk's declared length before it reads the chunk, so a 51-byte
// file that declares a 1 GiB chunk would cost 1 GiB. Other formats pass.
void check_png_chunks(const unsigned char* data, std::size_t size, const std::string& name) {
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size < 8 || std::memcmp(data, signature, 8) != 0) return;
    std::size_t at = 8;
    while (at + 8 <= size) {
        const std::uint32_t length = (std::uint32_t{data[at]} << 24) | (std::uint32_t{data[at + 1]} << 16) |
                                     (std::uint32_t{data[at + 2]} << 8) | std::uint32_t{data[at + 3]};
        const std::string type(reinterpret_cast<const char*>(data + at + 4), 4);
        const std::size_t left = size - at - 8;  // after the length and the type
        if (length > left)
            throw InputError(name + ": a corrupt PNG: its " + type + " chunk at byte " + std::to_string(at) +
                             " declares " + std::to_string(length) + " bytes, but only " + std::to_string(left) +
                             " follow");
        if (type == "IEND") return;
        at += 12 + std::size_t{length};  // length, type, data, CRC
    }
}

// Gray bytes to values in [0, 1], each factor x factor block of pixels
// averaged into one (blocks at the right and bottom edges may be smaller).
GrayImage reduce(const unsigned char* bytes, int w, int h, int factor) {
    GrayImage image{(w + factor - 1) / factor, (h + factor - 1) / factor, {}};
    image.pixels.resize(static_cast<std::size_t>(image.width) * image.height);
    for (int oy = 0; oy < image.height; ++oy)
        for (int ox = 0; ox < image.width; ++ox) {
            const int y1 = std::min(h, (oy + 1) * factor), x1 = std::min(w, (ox + 1) * factor);
            unsigned sum = 0;
            for (int y = oy * factor; y < y1; ++y)
                for (int x = ox * factor; x < x1; ++x) sum += bytes[static_cast<std::size_t>(y) * w + x];
            const int count = (y1 - oy * factor) * (x1 - ox * factor);
            image.pixels[static_cast<std::size_t>(oy) * image.width + ox] = static_cast<float>(sum) / (255.0f * count);
        }
    return image;
}

}  // namespace

GrayImage decode_gray_image(const unsigned char* data, std::size_t size, const std::string& name, int max_side) {
    if (size == 0) throw InputError(name + ": empty file");
    if (size > max_file_bytes || size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw InputError(name + ": " + std::to_string(size) + " bytes is too large for an image of a digit");
    // The size from the header first, so a huge image is refused without decoding it.
    const auto [width, height] = checked_size(data, static_cast<int>(size), name, max_side);
    check_png_chunks(data, size, name);
    int w = 0, h = 0, channels = 0;
    unsigned char* decoded = stbi_load_from_memory(data, static_cast<int>(size), &w, &h, &channels, 1);
    if (!decoded) throw InputError(name + ": cannot decode the image (" + std::string(stbi_failure_reason()) + ")");
    if (w != width || h != height) {
        stbi_image_free(decoded);
        throw InputError(name + ": the image's header and its data disagree on its size");
    }
    const int factor = (std::max(w, h) + max_working_side - 1) / max_working_side;
    GrayImage image = reduce(decoded, w, h, factor);
    stbi_image_free(decoded);
    return image;
}

GrayImage read_gray_image(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) throw InputError(path + ": no such file");
    const auto size = std::filesystem::file_size(path, error);
    if (error) throw InputError(path + ": cannot read: " + error.message());
    if (size > max_file_bytes)
        throw InputError(path + ": " + std::to_string(size) + " bytes is too large for an image of a digit");
    std::vector<unsigned char> bytes(size);
    std::ifstream in(path, std::ios::binary);
    if (size && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw InputError(path + ": cannot read the file");
    return decode_gray_image(bytes.data(), bytes.size(), path);
}

arma::vec mnist_preprocess(const GrayImage& image, const std::string& name) {
    if (image.width <= 0 || image.height <= 0) throw InputError(name + ": the image has no pixels");
    // Ink as a height x width matrix, bright on dark.
    arma::mat ink(image.height, image.width);
    const bool invert = border_mean(image) > 0.5;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const double v = image.pixels[static_cast<std::size_t>(y) * image.width + x];
            ink(y, x) = invert ? 1.0 - v : v;
        }
    // Subtract the background level so a grey page does not count as ink.
    ink -= std::min(arma::median(arma::vectorise(ink)), ink.max());
    ink.clamp(0.0, 1.0);
    const double peak = ink.max();
    if (peak < 0.05) throw InputError(name + ": no ink found: the image is blank");
    ink /= peak;

    // Bounding box of the ink.
    const arma::uvec rows = arma::find(arma::max(ink, 1) >= 0.2), cols = arma::find(arma::max(ink, 0).t() >= 0.2);
    const arma::mat crop = ink.submat(rows.min(), cols.min(), rows.max(), cols.max());

    // Longer side to 20 pixels, keeping the aspect ratio.
    const double scale = 20.0 / std::max(crop.n_rows, crop.n_cols);
    const int out_w = std::max(1, static_cast<int>(std::lround(crop.n_cols * scale)));
    const int out_h = std::max(1, static_cast<int>(std::lround(crop.n_rows * scale)));
    const arma::mat small = arma::clamp(resize_area(crop, out_w, out_h), 0.0, 1.0);

    // Centre of mass to (14, 14), kept inside the 28 x 28 frame.
    const double mass = arma::accu(small);
    const double cy = arma::dot(arma::sum(small, 1), arma::regspace(0.0, out_h - 1.0)) / mass;
    const double cx = arma::dot(arma::sum(small, 0).t(), arma::regspace(0.0, out_w - 1.0)) / mass;
    const int top = std::clamp(static_cast<int>(std::lround(14.0 - cy)), 0, 28 - out_h);
    const int left = std::clamp(static_cast<int>(std::lround(14.0 - cx)), 0, 28 - out_w);
    arma::mat frame(28, 28, arma::fill::zeros);
    frame.submat(top, left, top + out_h - 1, left + out_w - 1) = small;
    return arma::vectorise(frame.t());  // row-major, like MNIST
}

GrayImage gray_from_pixels(const arma::vec& pixels, int width, int height) {
    GrayImage image{width, height, std::vector<float>(pixels.n_elem)};
    for (std::size_t i = 0; i < pixels.n_elem; ++i) image.pixels[i] = static_cast<float>(pixels[i]);
    return image;
}

}  // namespace nn
