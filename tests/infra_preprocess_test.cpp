// Preparing photos and drawings of digits the way MNIST was made.

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "memory_probe.hpp"
#include "nn/core.hpp"
#include "nn/image.hpp"
#include "nn/preprocess.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) { return nn_test::temp_path("preprocess", name); }

// Centre of mass (row, column) of a 28 x 28 row-major image.
std::pair<double, double> centre_of_mass(const arma::vec& pixels) {
    double m = 0, r = 0, c = 0;
    for (arma::uword i = 0; i < 784; ++i) m += pixels[i], r += (i / 28) * pixels[i], c += (i % 28) * pixels[i];
    return {r / m, c / m};
}

// A w x h light page with a dark, thick vertical stroke drawn off-centre.
nn::GrayImage page_with_stroke(int w, int h) {
    nn::GrayImage image{w, h, std::vector<float>(static_cast<std::size_t>(w) * h, 0.9f)};
    for (int y = h / 5; y < 4 * h / 5; ++y)
        for (int x = w / 6; x < w / 6 + w / 10; ++x) image.pixels[static_cast<std::size_t>(y) * w + x] = 0.1f;
    return image;
}

void put_u32(std::string& out, std::uint32_t value, bool big_endian) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>(value >> (big_endian ? 24 - 8 * i : 8 * i));
}

void put_png_chunk(std::string& out, const char* type, const std::string& data) {
    put_u32(out, static_cast<std::uint32_t>(data.size()), true);
    const std::string body = type + data;
    out += body;
    put_u32(out,
            static_cast<std::uint32_t>(
                crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))),
            true);
}

// An 8-bit gray PNG of width x height pixels, black with a white square in
// the middle, compressed row by row (a huge image is a small file).
std::string square_png(std::uint32_t width, std::uint32_t height) {
    std::string ihdr;
    put_u32(ihdr, width, true);
    put_u32(ihdr, height, true);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8 bits, gray, deflate, no filter, no interlace
    z_stream z{};
    deflateInit(&z, 9);
    std::string idat, row(width + 1, '\0'), buffer(1 << 16, '\0');
    for (std::uint32_t y = 0; y < height; ++y) {
        for (std::uint32_t x = 0; x < width; ++x)
            row[x + 1] = (y > height / 3 && y < 2 * height / 3 && x > width / 3 && x < 2 * width / 3) ? '\xff' : '\0';
        z.next_in = reinterpret_cast<Bytef*>(row.data());
        z.avail_in = static_cast<uInt>(row.size());
        const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buffer.data());
            z.avail_out = static_cast<uInt>(buffer.size());
            deflate(&z, flush);
            idat.append(buffer.data(), buffer.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    std::string png = "\x89PNG\r\n\x1a\n";
    put_png_chunk(png, "IHDR", ihdr);
    put_png_chunk(png, "IDAT", idat);
    put_png_chunk(png, "IEND", "");
    return png;
}

// A 24-bit BMP of a 4x3 gray image; top-down (negative height) or bottom-up.
std::string bmp_4x3(const std::vector<std::uint8_t>& gray, bool top_down) {
    std::string bmp = "BM";
    put_u32(bmp, 54 + 36, false);
    put_u32(bmp, 0, false);
    put_u32(bmp, 54, false);
    put_u32(bmp, 40, false);                                             // BITMAPINFOHEADER
    put_u32(bmp, 4, false);                                              // width
    put_u32(bmp, static_cast<std::uint32_t>(top_down ? -3 : 3), false);  // height
    bmp += std::string("\x01\x00\x18\x00", 4);                           // 1 plane, 24 bits
    for (const std::uint32_t field : {0u, 36u, 2835u, 2835u, 0u, 0u}) put_u32(bmp, field, false);
    for (int row = 0; row < 3; ++row) {
        const int y = top_down ? row : 2 - row;
        for (int x = 0; x < 4; ++x) bmp += std::string(3, static_cast<char>(gray[static_cast<std::size_t>(y) * 4 + x]));
    }
    return bmp;
}

nn::GrayImage decode(const std::string& bytes, const std::string& name) {
    return nn::decode_gray_image(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), name);
}

}  // namespace

TEST_CASE("a dark stroke on a light page becomes white ink, 20 pixels tall, centred", "[infra][preprocess]") {
    const arma::vec x = nn::mnist_preprocess(page_with_stroke(300, 200), "page");
    REQUIRE(x.n_elem == 784);
    CHECK(x.max() == Approx(1.0).epsilon(1e-12));
    CHECK(x.min() >= 0.0);
    const auto [r, c] = centre_of_mass(x);
    CHECK(r == Approx(14.0).margin(0.6));
    CHECK(c == Approx(14.0).margin(0.6));
    // The stroke is 120 pixels tall and 30 wide: scaled to 20 x 5.
    const arma::mat frame = arma::reshape(x, 28, 28).t();
    const arma::uvec ink_rows = arma::find(arma::max(frame, 1) > 0.5);
    const arma::uvec ink_cols = arma::find(arma::max(frame, 0).t() > 0.5);
    CHECK(ink_rows.n_elem == 20);
    CHECK(ink_cols.n_elem == 5);
}

TEST_CASE("an MNIST digit comes through preprocessing nearly unchanged", "[infra][preprocess]") {
    // MNIST digits are already white on black, 20 pixels at most and centred by mass.
    const arma::vec digit = nn_test::mnist_subset().test.images.col(0);
    const std::string path = temp_path("digit.png");
    nn::write_png(path, nn::gray_image(digit));
    const arma::vec x = nn::mnist_preprocess(nn::read_gray_image(path), path);
    // PNG keeps 8 bits; cropping and rescaling shift edges by a pixel at most.
    CHECK(arma::norm(x - digit) / arma::norm(digit) < 0.35);
    CHECK(arma::dot(x, digit) / (arma::norm(x) * arma::norm(digit)) > 0.9);
}

TEST_CASE("a blank image is refused: there is no ink", "[infra][preprocess]") {
    const nn::GrayImage blank{50, 40, std::vector<float>(2000, 1.0f)};
    CHECK_THROWS_WITH(nn::mnist_preprocess(blank, "blank.png"),
                      ContainsSubstring("blank.png") && ContainsSubstring("no ink"));
}

TEST_CASE("unreadable, empty and huge image files give clear errors", "[infra][preprocess]") {
    std::ofstream(temp_path("text.png")) << "this is not a picture";
    CHECK_THROWS_WITH(nn::read_gray_image(temp_path("text.png")), ContainsSubstring("not a readable image"));
    std::ofstream(temp_path("empty.png")).close();
    CHECK_THROWS_WITH(nn::read_gray_image(temp_path("empty.png")), ContainsSubstring("empty file"));
    CHECK_THROWS_WITH(nn::read_gray_image(temp_path("missing.png")), ContainsSubstring("no such file"));
    // A PGM header claiming 100000 x 100000 pixels, with no pixels behind it.
    std::ofstream(temp_path("huge.pgm")) << "P5\n100000 100000\n255\n";
    CHECK_THROWS_WITH(nn::read_gray_image(temp_path("huge.pgm")), ContainsSubstring("too large"));
}

TEST_CASE("PNG, BMP and PGM files decode to the same grayscale", "[infra][preprocess]") {
    nn::Image image(4, 3, 1, 0);
    image.bytes[5] = 255;
    nn::write_png(temp_path("tiny.png"), image);
    std::ofstream pgm(temp_path("tiny.pgm"), std::ios::binary);
    pgm << "P5\n4 3\n255\n";
    pgm.write(reinterpret_cast<const char*>(image.bytes.data()), 12);
    pgm.close();
    const nn::GrayImage a = nn::read_gray_image(temp_path("tiny.png")), b = nn::read_gray_image(temp_path("tiny.pgm"));
    CHECK(a.width == 4);
    CHECK(a.height == 3);
    CHECK(a.pixels == b.pixels);
    CHECK(a.pixels[5] == 1.0f);
}

TEST_CASE("top-down and bottom-up BMPs decode to the same image", "[infra][preprocess]") {
    const std::vector<std::uint8_t> gray = {0, 255, 0, 0, 0, 0, 128, 0, 0, 0, 0, 64};
    const nn::GrayImage down = decode(bmp_4x3(gray, true), "top-down.bmp");
    const nn::GrayImage up = decode(bmp_4x3(gray, false), "bottom-up.bmp");
    CHECK(down.width == 4);
    CHECK(down.height == 3);
    CHECK(down.pixels == up.pixels);
    CHECK(down.pixels[1] == 1.0f);  // the top row comes first
    CHECK(down.pixels[11] == Approx(64 / 255.0));
}

TEST_CASE("an image of more than 16 megapixels is refused before it is decoded", "[infra][preprocess]") {
    const std::string png = square_png(8192, 8192);  // 64 megapixels in about 70 KB
    REQUIRE(png.size() < 200000);
    const auto run = nn_test::run_in_child([&] { nn::mnist_preprocess(decode(png, "huge.png"), "huge.png"); });
    REQUIRE(run.completed);
    CHECK_THAT(run.error,
               ContainsSubstring("huge.png") && ContainsSubstring("8192x8192") && ContainsSubstring("16 megapixels"));
    CHECK(run.peak_growth_mib < 64);
}

TEST_CASE("a large image is reduced while it is decoded, so preprocessing it takes little memory",
          "[infra][preprocess]") {
    const std::string png = square_png(4096, 4096);  // 16 megapixels: the most accepted
    const auto run = nn_test::run_in_child([&] {
        const nn::GrayImage image = decode(png, "large.png");
        if (image.width != 1024 || image.height != 1024) throw std::runtime_error("not reduced to 1024x1024");
        nn::mnist_preprocess(image, "large.png");
    });
    REQUIRE(run.completed);
    CHECK(run.error.empty());
    // 16 megapixels are 16 MB as bytes, 64 MB as floats, 128 MB as doubles. The
    // bound leaves room for stb's buffers and for ASan, which keeps freed blocks.
    CHECK(run.peak_growth_mib < 160);
    // The white square in the middle comes through as a white square.
    const arma::vec x = nn::mnist_preprocess(decode(square_png(3000, 3000), "square.png"), "square.png");
    CHECK(x[14 * 28 + 14] == Approx(1.0).margin(1e-6));
    CHECK(x[0] == 0.0);
}

TEST_CASE("a PNG chunk that declares more bytes than the file holds is refused before any is reserved",
          "[infra][preprocess]") {
    // A valid 40 x 40 PNG whose IDAT chunk's length field then says 1 GiB:
    // stb_image would reserve that much before reading the chunk.
    std::string png = square_png(40, 40);
    const std::size_t idat = png.find("IDAT") - 4;
    REQUIRE(decode(png, "fine.png").width == 40);
    png.replace(idat, 4, std::string("\x40\x00\x00\x00", 4));
    const auto run = nn_test::run_in_child([&] { decode(png, "idat.png"); });
    REQUIRE(run.completed);
    CHECK_THAT(run.error, ContainsSubstring("idat.png") && ContainsSubstring("corrupt PNG") &&
                              ContainsSubstring("IDAT chunk") && ContainsSubstring("declares 1073741824 bytes"));
    CHECK(run.peak_growth_mib < 64);
}
