// Preparing photos and drawings of digits the way MNIST was made.

#include <unistd.h>

#include <filesystem>
#include <fstream>

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
    CHECK_THROWS_WITH(nn::mnist_preprocess(blank, "blank.png"), ContainsSubstring("blank.png") &&
                                                                    ContainsSubstring("no ink"));
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
