// Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/): small
// valid inputs made with the project's own writers, from two real MNIST test
// digits of the test subset. The corpora in the repository were made with it:
//
//   cmake --build --preset release --target fuzz_make_seeds
//   build/release/bin/fuzz_make_seeds tests/data/mnist fuzz/corpus
//
// The same program, seed and libraries write the same bytes.

#include <stb_image_write.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "nn/idx.hpp"
#include "nn/image.hpp"
#include "nn/model.hpp"
#include "nn/random.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

void put_u16(std::string& s, unsigned v) { s += char(v & 0xff), s += char(v >> 8 & 0xff); }
void put_u32(std::string& s, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) s += char(v >> shift & 0xff);
}

// --- IDX files: labels and images as the course writes them, raw and gzip,
// and a float file (any element type is a valid IDX file).
void idx_seeds(const arma::mat& digits, const fs::path& dir) {
    Bytes pixels;
    for (arma::uword j = 0; j < digits.n_cols; ++j)
        for (arma::uword i = 0; i < digits.n_rows; ++i)
            pixels.push_back(static_cast<std::uint8_t>(digits(i, j) * 255 + 0.5));
    for (const char* ending : {"", ".gz"}) {
        nn::write_idx_u8((dir / "images-2x28x28.idx3").string() + ending, {2, 28, 28}, pixels);
        nn::write_idx_u8((dir / "labels-3.idx1").string() + ending, {3}, {7, 2, 1});
        nn::write_idx_u8((dir / "images-3x2x2.idx3").string() + ending, {3, 2, 2}, Bytes(12, 200));
    }
    std::string f32 = {0, 0, 0x0D, 2, 0, 0, 0, 2, 0, 0, 0, 1};  // 2 x 1 big-endian floats 1.0 and -2.5
    f32 += std::string("\x3f\x80\x00\x00\xc0\x20\x00\x00", 8);
    write_bytes(dir / "floats-2x1.idx2", f32);
}

// --- Model files saved by nn::save_model: small networks, each feature
// pipeline, with and without standardisation.
void save_tiny_model(const fs::path& path, const std::string& dataset, nn::Features features,
                     const std::string& activation, std::vector<arma::uword> sizes, bool standardise, double dropout) {
    nn::Classifier model;
    model.dataset = dataset;
    model.features = features;
    model.activation = activation;
    model.sizes = std::move(sizes);
    model.dropout = dropout;
    model.build_network();
    if (standardise) {
        model.standardizer.mean = arma::vec(model.sizes.front(), arma::fill::randu);
        model.standardizer.scale = arma::vec(model.sizes.front(), arma::fill::ones);
    }
    model.test_accuracy = standardise ? 0.5 : arma::datum::nan;
    nn::save_model(path.string(), model);
}

void model_seeds(const fs::path& dir) {
    save_tiny_model(dir / "raw-784-2-10.nnm", "mnist", nn::Features::raw, "relu", {784, 2, 10}, false, 0.0);
    save_tiny_model(dir / "deskewed-784-1-2-10.nnm", "mnist", nn::Features::deskewed, "sigmoid", {784, 1, 2, 10}, true,
                    0.1);
    save_tiny_model(dir / "stats-787-3-10.nnm", "fashion", nn::Features::deskewed_with_stats, "relu", {787, 3, 10},
                    true, 0.3);
    save_tiny_model(dir / "tanh-787-2-10.nnm", "mnist", nn::Features::deskewed_with_stats, "tanh", {787, 2, 10}, true,
                    0.2);
    save_tiny_model(dir / "leaky-784-2-1-10.nnm", "mnist", nn::Features::raw, "leaky_relu", {784, 2, 1, 10}, false,
                    0.0);
}

// --- Images in every format `predict` and `serve` read.
void append_to_string(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

// A GIF whose LZW data is stored literally: 7-bit gray levels, 8-bit codes, a
// clear code every 100 pixels so the code width never grows.
std::string gif(const nn::Image& image) {
    std::string s = "GIF89a";
    put_u16(s, static_cast<unsigned>(image.width)), put_u16(s, static_cast<unsigned>(image.height));
    s += char(0xF6), s += char(0), s += char(0);  // global table of 128 colours
    for (int level = 0; level < 128; ++level) s += std::string(3, char(level * 2));
    s += ',', put_u16(s, 0), put_u16(s, 0);
    put_u16(s, static_cast<unsigned>(image.width)), put_u16(s, static_cast<unsigned>(image.height));
    s += char(0), s += char(7);  // no local table; LZW minimum code size 7
    std::string codes;
    for (std::size_t i = 0; i < image.bytes.size(); ++i) {
        if (i % 100 == 0) codes += char(128);  // clear
        codes += char(image.bytes[i] >> 1);
    }
    codes += char(129);  // end of information
    for (std::size_t at = 0; at < codes.size(); at += 255) {
        const std::string block = codes.substr(at, 255);
        s += char(block.size()), s += block;
    }
    s += char(0), s += ';';
    return s;
}

// A 24-bit BMP stored top-down (a negative height), as some programs write them.
std::string top_down_bmp(const nn::Image& image) {
    const std::uint32_t row = (static_cast<std::uint32_t>(image.width) * 3 + 3) / 4 * 4;
    const std::uint32_t data = row * static_cast<std::uint32_t>(image.height);
    std::string s = "BM";
    put_u32(s, 54 + data), put_u32(s, 0), put_u32(s, 54);
    put_u32(s, 40), put_u32(s, static_cast<std::uint32_t>(image.width)),
        put_u32(s, static_cast<std::uint32_t>(-image.height));
    put_u16(s, 1), put_u16(s, 24), put_u32(s, 0), put_u32(s, data), put_u32(s, 2835), put_u32(s, 2835), put_u32(s, 0),
        put_u32(s, 0);
    for (int y = 0; y < image.height; ++y) {
        std::string line;
        for (int x = 0; x < image.width; ++x)
            line += std::string(3, char(image.bytes[static_cast<std::size_t>(y) * image.width + x]));
        line.resize(row, 0);
        s += line;
    }
    return s;
}

std::string pnm(const nn::Image& image) {
    std::string s = (image.channels == 1 ? "P5\n" : "P6\n") + std::to_string(image.width) + " " +
                    std::to_string(image.height) + "\n255\n";
    return s + std::string(image.bytes.begin(), image.bytes.end());
}

nn::Image on_white_page(const nn::Image& digit, int scale) {
    // Dark ink on a light gray page, larger than 28x28, as a photo of a drawing.
    nn::Image page(digit.width * scale + 10, digit.height * scale + 6, 3, 220);
    for (int y = 0; y < digit.height * scale; ++y)
        for (int x = 0; x < digit.width * scale; ++x)
            for (int c = 0; c < 3; ++c)
                page.bytes[((static_cast<std::size_t>(y) + 3) * page.width + x + 5) * 3 + c] =
                    static_cast<std::uint8_t>(
                        220 - digit.bytes[static_cast<std::size_t>(y / scale) * digit.width + x / scale] * 200 / 255);
    return page;
}

void image_seeds(const arma::mat& digits, const fs::path& dir) {
    const nn::Image seven = nn::gray_image(digits.col(0)), two = nn::gray_image(digits.col(1));
    const nn::Image drawing = on_white_page(two, 2);
    write_bytes(dir / "seven.png", nn::encode_png(seven));
    write_bytes(dir / "two-on-paper.png", nn::encode_png(drawing));
    std::string jpeg, bmp;
    stbi_write_jpg_to_func(append_to_string, &jpeg, drawing.width, drawing.height, 3, drawing.bytes.data(), 85);
    stbi_write_bmp_to_func(append_to_string, &bmp, seven.width, seven.height, 1, seven.bytes.data());
    write_bytes(dir / "two-on-paper.jpg", jpeg);
    write_bytes(dir / "seven.bmp", bmp);
    write_bytes(dir / "seven-top-down.bmp", top_down_bmp(seven));
    write_bytes(dir / "seven.gif", gif(seven));
    write_bytes(dir / "seven.pgm", pnm(seven));
    write_bytes(dir / "two-on-paper.ppm", pnm(drawing));
}

// --- POST /predict: a Content-Type line, then the body.
std::string json_pixels(const arma::vec& pixels, bool bytes) {
    std::string list;
    for (arma::uword i = 0; i < pixels.n_elem; ++i) {
        const double v = bytes ? std::round(pixels[i] * 255) : std::round(pixels[i] * 1000) / 1000;
        std::ostringstream number;
        number << v;
        list += (i ? "," : "") + number.str();
    }
    return "{\"pixels\": [" + list + "]}";
}

void predict_body_seeds(const arma::mat& digits, const fs::path& images, const fs::path& dir) {
    write_bytes(dir / "json-seven", "application/json\n" + json_pixels(digits.col(0), false));
    write_bytes(dir / "json-two-in-bytes", "Application/JSON; charset=utf-8\n" + json_pixels(digits.col(1), true));
    write_bytes(dir / "json-three-pixels", "application/json\n{\"pixels\": [0, 0.5, 1]}");
    write_bytes(dir / "text-plain", "text/plain\nseven");
    const std::pair<const char*, const char*> typed[] = {{"seven.png", "image/png"},
                                                         {"two-on-paper.jpg", "image/jpeg"},
                                                         {"seven.bmp", "image/bmp"},
                                                         {"seven.gif", "image/gif"},
                                                         {"seven.pgm", "image/x-portable-graymap"},
                                                         {"two-on-paper.ppm", "application/octet-stream"}};
    for (const auto& [file, type] : typed) {
        std::ifstream in(images / file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        write_bytes(dir / ("image-" + std::string(file)), type + std::string("\n") + bytes);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " MNIST_TEST_SUBSET_DIR CORPUS_DIR\n";
        return 2;
    }
    try {
        nn::set_seed(42);
        const arma::mat digits =
            nn::read_idx_images((fs::path(argv[1]) / "t10k-images-idx3-ubyte.gz").string()).cols(0, 1);
        const fs::path corpus = argv[2];
        for (const char* target : {"idx", "model", "image", "predict_body"}) fs::create_directories(corpus / target);
        idx_seeds(digits, corpus / "idx");
        model_seeds(corpus / "model");
        image_seeds(digits, corpus / "image");
        predict_body_seeds(digits, corpus / "image", corpus / "predict_body");
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
