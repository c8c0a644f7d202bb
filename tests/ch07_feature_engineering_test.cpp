// Chapter 7 tests: deskewing, intensity, symmetry, standardisation, and the
// three pieces of augmentation (remap, affine_grid, elastic_displacement).
// Run one task with
//   build/release/bin/tests_course "[ch07.1]"     (or ./course check 7)
//
// The expected values are worked out by hand in the comments, or by plain
// loops over the contract's formulas.

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "nn/features.hpp"
#include "test_support.hpp"

namespace {

// Pixel (r, c) of a 28 x 28 image stored row-major.
double& pixel(arma::vec& image, arma::uword r, arma::uword c) { return image(r * 28 + c); }

// The shear moment mu_rc / mu_rr of an image, by plain loops.
double skew_by_loops(const arma::vec& image) {
    double mass = 0, sr = 0, sc = 0;
    for (arma::uword r = 0; r < 28; ++r)
        for (arma::uword c = 0; c < 28; ++c)
            mass += image(r * 28 + c), sr += r * image(r * 28 + c), sc += c * image(r * 28 + c);
    const double rb = sr / mass, cb = sc / mass;
    double rr = 0, rc = 0;
    for (arma::uword r = 0; r < 28; ++r)
        for (arma::uword c = 0; c < 28; ++c)
            rr += (r - rb) * (r - rb) * image(r * 28 + c), rc += (r - rb) * (c - cb) * image(r * 28 + c);
    return rc / rr;
}

// A bar of ink 2 pixels wide from row 4 to row 23 whose column moves by
// `slant` per row, centred on column 14 at row 13.5.
arma::vec slanted_bar(double slant) {
    arma::vec image(784, arma::fill::zeros);
    for (arma::uword r = 4; r < 24; ++r) {
        const double centre = 14.0 + slant * (r - 13.5);
        for (arma::uword c = 0; c < 28; ++c) pixel(image, r, c) = std::max(0.0, 1.0 - std::abs(c - centre) / 1.5);
    }
    return image;
}

}  // namespace

// ---------------------------------------------------------------- ch07.1

TEST_CASE("deskewing an upright bar leaves it (nearly) unchanged", "[ch07][ch07.1]") {
    const arma::vec bar = slanted_bar(0.0);
    // An upright bar has no shear to remove: the result is the bar itself.
    CHECK_THAT(arma::mat(nn::deskew(bar)), EqualsMatrix(bar, 1e-12));
}

TEST_CASE("deskewing a sheared bar makes it upright", "[ch07][ch07.1]") {
    const arma::vec bar = slanted_bar(0.5);
    REQUIRE(skew_by_loops(bar) == Approx(0.5).margin(0.02));
    const arma::vec straight = nn::deskew(bar);
    CHECK(std::abs(skew_by_loops(straight)) < 0.02);
    // Linear interpolation moves ink but keeps almost all of it.
    CHECK(arma::accu(straight) == Approx(arma::accu(bar)).epsilon(0.02));
    // The upright result is close to the bar drawn upright.
    CHECK(arma::abs(straight - slanted_bar(0.0)).max() < 0.35);
}

TEST_CASE("deskewing removes most of the slant of real digits", "[ch07][ch07.1]") {
    const nn::Dataset digits = nn_test::mnist_subset().train.head(50);
    double before = 0, after = 0;
    for (arma::uword j = 0; j < digits.size(); ++j) {
        before += std::abs(skew_by_loops(digits.images.col(j)));
        after += std::abs(skew_by_loops(nn::deskew(digits.images.col(j))));
    }
    INFO("mean |skew| before " << before / 50 << ", after " << after / 50);
    CHECK(after < 0.2 * before);
}

TEST_CASE("deskewing an empty image returns it unchanged", "[ch07][ch07.1]") {
    const arma::vec blank(784, arma::fill::zeros);
    CHECK_THAT(arma::mat(nn::deskew(blank)), EqualsMatrix(blank, 0.0));
    arma::vec one_row(784, arma::fill::zeros);
    one_row.subvec(10 * 28 + 3, 10 * 28 + 20).fill(1.0);  // all ink in row 10: no shear defined
    CHECK_THAT(arma::mat(nn::deskew(one_row)), EqualsMatrix(one_row, 0.0));
}

// ---------------------------------------------------------------- ch07.2

TEST_CASE("intensity is the mean pixel", "[ch07][ch07.2]") {
    arma::vec image(784, arma::fill::zeros);
    image.head(196).fill(1.0);
    CHECK(nn::intensity(image) == Approx(0.25).epsilon(1e-15));
    CHECK(nn::intensity(arma::vec(784, arma::fill::zeros)) == 0.0);
}

// ---------------------------------------------------------------- ch07.3

TEST_CASE("a symmetric image has symmetry 1", "[ch07][ch07.3]") {
    arma::vec cross(784, arma::fill::zeros);
    for (arma::uword i = 4; i < 24; ++i)
        pixel(cross, i, 13) = pixel(cross, i, 14) = pixel(cross, 13, i) = pixel(cross, 14, i) = 1.0;
    CHECK(nn::symmetry(cross, nn::Axis::left_right) == Approx(1.0).epsilon(1e-15));
    CHECK(nn::symmetry(cross, nn::Axis::top_bottom) == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("symmetry of a half-filled image depends on the mirror", "[ch07][ch07.3]") {
    arma::vec left(784, arma::fill::zeros);
    for (arma::uword r = 0; r < 28; ++r)
        for (arma::uword c = 0; c < 14; ++c) pixel(left, r, c) = 1.0;
    // Mirrored left-right, every pixel differs by 1: symmetry 0. Top-bottom it is unchanged: 1.
    CHECK(nn::symmetry(left, nn::Axis::left_right) == Approx(0.0).margin(1e-15));
    CHECK(nn::symmetry(left, nn::Axis::top_bottom) == Approx(1.0).epsilon(1e-15));
    // Non-square images: 2 x 3, row-major [1 1 0; 0 0 0]. The left-right mirror
    // [0 1 1; 0 0 0] differs in 2 of 6 pixels, the top-bottom one [0 0 0; 1 1 0] in 4.
    CHECK(nn::symmetry(arma::vec{1, 1, 0, 0, 0, 0}, nn::Axis::left_right, 2, 3) ==
          Approx(1.0 - 2.0 / 6).epsilon(1e-15));
    CHECK(nn::symmetry(arma::vec{1, 1, 0, 0, 0, 0}, nn::Axis::top_bottom, 2, 3) ==
          Approx(1.0 - 4.0 / 6).epsilon(1e-15));
}

// ---------------------------------------------------------------- ch07.4

TEST_CASE("Standardizer::fit finds each feature's mean and population standard deviation", "[ch07][ch07.4]") {
    const arma::mat train = {{1.0, 3.0, 5.0, 7.0},  //
                             {2.0, 2.0, 2.0, 2.0},
                             {0.0, 0.0, 0.0, 4.0}};
    nn::Standardizer s;
    s.fit(train);
    // Row 0: mean 4, variance (9+1+1+9)/4 = 5. Row 1 is constant: scale 1.
    // Row 2: mean 1, variance (1+1+1+9)/4 = 3.
    CHECK_THAT(arma::mat(s.mean), EqualsMatrix(arma::vec{4.0, 2.0, 1.0}, 1e-15));
    CHECK_THAT(arma::mat(s.scale), EqualsMatrix(arma::vec{std::sqrt(5.0), 1.0, std::sqrt(3.0)}, 1e-15));
    CHECK_THROWS_AS(s.fit(arma::mat(3, 0)), std::invalid_argument);
}

// ---------------------------------------------------------------- ch07.5

TEST_CASE("Standardizer::apply uses the training statistics, also on other data", "[ch07][ch07.5]") {
    const arma::mat train = {{1.0, 3.0, 5.0, 7.0},  //
                             {2.0, 2.0, 2.0, 2.0}};
    nn::Standardizer s;
    s.fit(train);
    const arma::mat z = s.apply(train);
    CHECK_THAT(arma::mat(arma::mean(z, 1)), EqualsMatrix(arma::vec{0.0, 0.0}, 1e-15));
    CHECK_THAT(z.row(0), EqualsMatrix(arma::rowvec{-3.0, -1.0, 1.0, 3.0} / std::sqrt(5.0), 1e-15));
    INFO(nn_test::finiteness(z) << " (the constant row must become zeros, not NaN)");
    CHECK(z.is_finite());
    // Test data is shifted and scaled with the training statistics, not its own.
    const arma::mat test = arma::mat(arma::vec{4.0 + std::sqrt(5.0), 12.0});
    CHECK_THAT(s.apply(test), EqualsMatrix(arma::mat(arma::vec{1.0, 10.0}), 1e-14));
}

TEST_CASE("standardised MNIST pixels are finite although the corner pixels are always blank", "[ch07][ch07.5]") {
    const nn::Splits& data = nn_test::mnist_subset();
    nn::Standardizer s;
    s.fit(data.train.images);
    REQUIRE(s.scale(0) == 1.0);  // pixel (0, 0) is blank in every MNIST digit
    const arma::mat z = s.apply(data.test.images);
    INFO(nn_test::finiteness(z));
    CHECK(z.is_finite());
    CHECK_THROWS_AS(s.apply(arma::mat(10, 3)), std::invalid_argument);
}

// ---------------------------------------------------------------- ch07.6

namespace {

// A 2 x 2 image, row-major: [1 2; 4 8].
const arma::vec two_by_two = {1.0, 2.0, 4.0, 8.0};

// A rows x cols grid whose output pixels, in row-major order, read the given
// (row, column) source positions.
nn::SourceGrid grid_of(arma::uword rows, arma::uword cols, const std::vector<std::pair<double, double>>& sources) {
    nn::SourceGrid grid{arma::mat(rows, cols, arma::fill::zeros), arma::mat(rows, cols, arma::fill::zeros)};
    for (arma::uword i = 0; i < sources.size(); ++i) {
        grid.row(i / cols, i % cols) = sources[i].first;
        grid.col(i / cols, i % cols) = sources[i].second;
    }
    return grid;
}

// Output pixel (r, c) reads source (r - down, c - right): the content moves
// down and right by whole pixels.
nn::SourceGrid shift_grid(arma::uword rows, arma::uword cols, double down, double right) {
    nn::SourceGrid grid{arma::mat(rows, cols), arma::mat(rows, cols)};
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) grid.row(r, c) = r - down, grid.col(r, c) = c - right;
    return grid;
}

// A 28 x 28 image moved down and right by whole pixels, blank where nothing moves in, by loops.
arma::vec moved(const arma::vec& image, int down, int right) {
    arma::vec out(784, arma::fill::zeros);
    for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c)
            if (r - down >= 0 && r - down < 28 && c - right >= 0 && c - right < 28)
                out(r * 28 + c) = image((r - down) * 28 + c - right);
    return out;
}

}  // namespace

TEST_CASE("remap at whole-pixel positions copies pixels exactly, row-major", "[ch07][ch07.6]") {
    const arma::vec image = arma::regspace(1.0, 12.0);  // 3 x 4, pixel (r, c) = 4r + c + 1
    CHECK_THAT(arma::mat(nn::remap(image, shift_grid(3, 4, 0, 0), 3, 4)), EqualsMatrix(image, 0.0));
    // Output pixel (r, c) reads source (r, 3 - c): each row mirrored.
    nn::SourceGrid mirror = shift_grid(3, 4, 0, 0);
    mirror.col = 3.0 - mirror.col;
    const arma::vec expected = {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9};
    CHECK_THAT(arma::mat(nn::remap(image, mirror, 3, 4)), EqualsMatrix(expected, 0.0));
}

TEST_CASE("remap between pixels mixes the four neighbours bilinearly", "[ch07][ch07.6]") {
    // [1 2; 4 8]. Halfway along a row: (1 + 2) / 2; down a column: (1 + 4) / 2;
    // in the middle: (1 + 2 + 4 + 8) / 4. At (0.25, 0.75) the weights are
    // 0.75 * 0.25, 0.75 * 0.75, 0.25 * 0.25 and 0.25 * 0.75:
    // 0.1875 + 1.125 + 0.25 + 1.5 = 3.0625.
    const auto halves = grid_of(2, 2, {{0.0, 0.5}, {0.5, 0.0}, {0.5, 0.5}, {0.25, 0.75}});
    CHECK_THAT(arma::mat(nn::remap(two_by_two, halves, 2, 2)), EqualsMatrix(arma::vec{1.5, 2.5, 3.75, 3.0625}, 1e-14));
    // A quarter of the way from a pixel to the next weighs them 3 : 1:
    // 0.75 * 1 + 0.25 * 4 = 1.75, 0.75 * 1 + 0.25 * 2 = 1.25, 0.25 * 2 + 0.75 * 8 = 6.5, (4 + 8) / 2 = 6.
    const auto quarters = grid_of(2, 2, {{0.25, 0.0}, {0.0, 0.25}, {0.75, 1.0}, {1.0, 0.5}});
    CHECK_THAT(arma::mat(nn::remap(two_by_two, quarters, 2, 2)), EqualsMatrix(arma::vec{1.75, 1.25, 6.5, 6.0}, 1e-14));
}

TEST_CASE("remap counts the pixels outside the image as 0, blank paper", "[ch07][ch07.6]") {
    // Half a pixel above the top row: 0.5 * 0 + 0.5 * 1. Half a pixel below the
    // bottom right: 0.5 * 8. A quarter past the right edge: 0.75 * 2. Half a
    // pixel up and left of the corner: a quarter of it.
    const auto outside = grid_of(2, 2, {{-0.5, 0.0}, {1.5, 1.0}, {0.0, 1.25}, {-0.5, -0.5}});
    CHECK_THAT(arma::mat(nn::remap(two_by_two, outside, 2, 2)), EqualsMatrix(arma::vec{0.5, 4.0, 1.5, 0.25}, 1e-14));
}

TEST_CASE("remap gives 0 one pixel or more outside the image, and for positions that are not numbers",
          "[ch07][ch07.6]") {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const arma::vec zeros(4, arma::fill::zeros);
    for (const auto& sources : std::vector<std::vector<std::pair<double, double>>>{
             {{-1.0, 0.0}, {2.0, 1.0}, {0.0, -1.0}, {1.0, 2.0}},         // exactly one pixel outside
             {{-7.0, 0.5}, {0.5, 40.0}, {1e300, -1e300}, {-3.5, 9.25}},  // far outside
             {{nan, 0.0}, {0.0, nan}, {inf, 0.0}, {0.5, -inf}}}) {       // not a position at all
        const arma::vec out = nn::remap(two_by_two, grid_of(2, 2, sources), 2, 2);
        INFO(nn_test::finiteness(out));
        CHECK_THAT(arma::mat(out), EqualsMatrix(zeros, 0.0));
    }
}

TEST_CASE("remap of a digit at a grid of whole-pixel shifts is the digit moved", "[ch07][ch07.6]") {
    const arma::vec digit = nn_test::mnist_subset().train.images.col(0);
    // Reading from 2 rows up and 3 columns right moves the ink 2 down and 3 left.
    CHECK_THAT(arma::mat(nn::remap(digit, shift_grid(28, 28, 2, -3))), EqualsMatrix(moved(digit, 2, -3), 0.0));
    CHECK_THAT(arma::mat(nn::remap(digit, shift_grid(28, 28, -4, 1))), EqualsMatrix(moved(digit, -4, 1), 0.0));
}

TEST_CASE("remap refuses an image or a grid of the wrong size", "[ch07][ch07.6]") {
    CHECK_THROWS_AS(nn::remap(arma::vec(5, arma::fill::zeros), shift_grid(2, 2, 0, 0), 2, 2), std::invalid_argument);
    CHECK_THROWS_AS(nn::remap(two_by_two, shift_grid(2, 3, 0, 0), 2, 2), std::invalid_argument);
    nn::SourceGrid uneven = shift_grid(2, 2, 0, 0);
    uneven.col = arma::mat(2, 3, arma::fill::zeros);
    CHECK_THROWS_AS(nn::remap(two_by_two, uneven, 2, 2), std::invalid_argument);
}

// ---------------------------------------------------------------- ch07.7

namespace {

// The grid's row and column matrices, each rows x cols, from formulas of (r, c).
template <typename Row, typename Col>
nn::SourceGrid grid_from(arma::uword rows, arma::uword cols, Row row, Col col) {
    nn::SourceGrid grid{arma::mat(rows, cols), arma::mat(rows, cols)};
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) grid.row(r, c) = row(r, c), grid.col(r, c) = col(r, c);
    return grid;
}

void check_grid(const nn::SourceGrid& actual, const nn::SourceGrid& expected, double tolerance) {
    {
        INFO("the source rows (grid.row)");
        CHECK_THAT(actual.row, EqualsMatrix(expected.row, tolerance));
    }
    INFO("the source columns (grid.col)");
    CHECK_THAT(actual.col, EqualsMatrix(expected.col, tolerance));
}

}  // namespace

TEST_CASE("affine_grid without rotation, scaling or shift is the identity grid", "[ch07][ch07.7]") {
    const auto same = [](double r, double) { return r; };
    const auto across = [](double, double c) { return c; };
    check_grid(nn::affine_grid(3, 5, 0.0, 1.0, 0.0, 0.0), grid_from(3, 5, same, across), 1e-12);
}

TEST_CASE("affine_grid's shift moves the content down and to the right", "[ch07][ch07.7]") {
    // Moved 2 down and 3 right, output pixel (r, c) shows what was at (r - 2, c - 3).
    check_grid(nn::affine_grid(4, 6, 0.0, 1.0, 2.0, 3.0),
               grid_from(
                   4, 6, [](double r, double) { return r - 2; }, [](double, double c) { return c - 3; }),
               1e-12);
    // On a digit, with remap: 2 rows down and 3 columns to the left.
    INFO("this test also runs your remap (ch07.6): if its tests fail, fix them first");
    const arma::vec digit = nn_test::mnist_subset().train.images.col(1);
    CHECK_THAT(arma::mat(nn::remap(digit, nn::affine_grid(28, 28, 0.0, 1.0, 2.0, -3.0))),
               EqualsMatrix(moved(digit, 2, -3), 1e-12));
}

TEST_CASE("affine_grid turns the content counter-clockwise: 90 degrees takes the top right to the top left",
          "[ch07][ch07.7]") {
    const double quarter = arma::datum::pi / 2;
    // 3 x 5, centre (1, 2): a point 1 right of and 1 above the centre, (0, 3),
    // goes 1 left of and 1 above it, (0, 1). In general output pixel (r, c)
    // shows source (1 + (c - 2), 2 - (r - 1)) = (c - 1, 3 - r).
    check_grid(nn::affine_grid(3, 5, quarter, 1.0, 0.0, 0.0),
               grid_from(
                   3, 5, [](double, double c) { return c - 1; }, [](double r, double) { return 3 - r; }),
               1e-12);
    // [1 2 3; 4 5 6; 7 8 9] turned a quarter counter-clockwise: the right
    // column becomes the top row, [3 6 9; 2 5 8; 1 4 7].
    INFO("this test also runs your remap (ch07.6): if its tests fail, fix them first");
    const arma::vec image = arma::regspace(1.0, 9.0);
    CHECK_THAT(arma::mat(nn::remap(image, nn::affine_grid(3, 3, quarter, 1.0, 0.0, 0.0), 3, 3)),
               EqualsMatrix(arma::vec{3, 6, 9, 2, 5, 8, 1, 4, 7}, 1e-12));
}

TEST_CASE("affine_grid at 30 degrees, by hand", "[ch07][ch07.7]") {
    // 5 x 5, centre (2, 2). Output corner (0, 4): u = 2 (right), v = 2 (up).
    // col = 2 + 2 cos 30 + 2 sin 30 = 3 + sqrt 3; row = 2 - (-2 sin 30 + 2 cos 30) = 3 - sqrt 3.
    // The opposite corner (4, 0) reads the point mirrored through the centre.
    const nn::SourceGrid grid = nn::affine_grid(5, 5, arma::datum::pi / 6, 1.0, 0.0, 0.0);
    const double root3 = std::sqrt(3.0);
    CHECK(grid.row(0, 4) == Approx(3 - root3).margin(1e-12));
    CHECK(grid.col(0, 4) == Approx(3 + root3).margin(1e-12));
    CHECK(grid.row(4, 0) == Approx(1 + root3).margin(1e-12));
    CHECK(grid.col(4, 0) == Approx(1 - root3).margin(1e-12));
    CHECK(grid.row(2, 2) == Approx(2.0).margin(1e-12));  // the centre stays
    CHECK(grid.col(2, 2) == Approx(2.0).margin(1e-12));
}

TEST_CASE("affine_grid scales about the centre: twice the size reads from halfway to the centre", "[ch07][ch07.7]") {
    // 5 x 7, centre (2, 3). Scale 2: output pixel (r, c) shows the source
    // halfway between it and the centre; scale 1/2, twice as far out.
    check_grid(
        nn::affine_grid(5, 7, 0.0, 2.0, 0.0, 0.0),
        grid_from(
            5, 7, [](double r, double) { return 2 + (r - 2) / 2; }, [](double, double c) { return 3 + (c - 3) / 2; }),
        1e-12);
    check_grid(
        nn::affine_grid(5, 7, 0.0, 0.5, 0.0, 0.0),
        grid_from(
            5, 7, [](double r, double) { return 2 + 2 * (r - 2); }, [](double, double c) { return 3 + 2 * (c - 3); }),
        1e-12);
}

TEST_CASE("affine_grid shifts after scaling: the shift is in pixels of the output", "[ch07][ch07.7]") {
    // Scale 2, then 1 down and 1 left: the centre's image lands on (3, 2), so
    // output pixel (r, c) reads source (2 + (r - 3) / 2, 3 + (c - 2) / 2).
    check_grid(
        nn::affine_grid(5, 7, 0.0, 2.0, 1.0, -1.0),
        grid_from(
            5, 7, [](double r, double) { return 2 + (r - 3) / 2; }, [](double, double c) { return 3 + (c - 2) / 2; }),
        1e-12);
}

TEST_CASE("affine_grid inverts the forward map for any rotation, scaling and shift", "[ch07][ch07.7]") {
    NN_TEST_SEED(7);
    const arma::uword rows = 6, cols = 9;
    const double centre_row = 2.5, centre_col = 4;
    for (int draw = 0; draw < 10; ++draw) {
        const double angle = arma::datum::pi * (2 * arma::randu() - 1), scale = 0.5 + arma::randu();
        const double down = 4 * arma::randu() - 2, right = 4 * arma::randu() - 2;
        const nn::SourceGrid grid = nn::affine_grid(rows, cols, angle, scale, down, right);
        // The forward map, in x (right) and y (up) about the centre: turn
        // counter-clockwise, scale, move. Each source must land on its pixel.
        arma::mat landed_row(rows, cols), landed_col(rows, cols);
        for (arma::uword r = 0; r < rows; ++r)
            for (arma::uword c = 0; c < cols; ++c) {
                const double x = grid.col(r, c) - centre_col, y = centre_row - grid.row(r, c);
                const double x_out = scale * (x * std::cos(angle) - y * std::sin(angle)) + right;
                const double y_out = scale * (x * std::sin(angle) + y * std::cos(angle)) - down;
                landed_row(r, c) = centre_row - y_out, landed_col(r, c) = centre_col + x_out;
            }
        INFO("angle " << angle << ", scale " << scale << ", shift " << down << " down, " << right << " right");
        check_grid({landed_row, landed_col},
                   grid_from(
                       rows, cols, [](double r, double) { return r; }, [](double, double c) { return c; }),
                   1e-12);
    }
}

TEST_CASE("affine_grid refuses a scale that is not positive", "[ch07][ch07.7]") {
    CHECK_THROWS_AS(nn::affine_grid(28, 28, 0.0, 0.0, 0.0, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(nn::affine_grid(28, 28, 0.0, -1.0, 0.0, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(nn::affine_grid(28, 28, 0.0, std::numeric_limits<double>::quiet_NaN(), 0.0, 0.0),
                    std::invalid_argument);
}

// ---------------------------------------------------------------- ch07.8

namespace {

// The normalised Gaussian kernel g_k, k = -K..K with K = ceil(3 sigma), by a loop.
std::vector<double> gaussian_by_loop(double sigma) {
    const int radius = static_cast<int>(std::ceil(3 * sigma));
    std::vector<double> kernel;
    double total = 0;
    for (int k = -radius; k <= radius; ++k) {
        kernel.push_back(std::exp(-k * k / (2 * sigma * sigma)));
        total += kernel.back();
    }
    for (double& g : kernel) g /= total;
    return kernel;
}

// alpha sum_{i,j} g_i g_j N(r + i, c + j) with 0 outside the field: the
// contract's formula as a plain two-dimensional sum, not separated.
arma::mat smoothed_by_loops(const arma::mat& noise, double sigma, double alpha) {
    const std::vector<double> g = gaussian_by_loop(sigma);
    const long radius = static_cast<long>(g.size() / 2), rows = noise.n_rows, cols = noise.n_cols;
    arma::mat out(arma::size(noise), arma::fill::zeros);
    for (long r = 0; r < rows; ++r)
        for (long c = 0; c < cols; ++c)
            for (long i = -radius; i <= radius; ++i)
                for (long j = -radius; j <= radius; ++j)
                    if (r + i >= 0 && r + i < rows && c + j >= 0 && c + j < cols)
                        out(r, c) += alpha * g[i + radius] * g[j + radius] * noise(r + i, c + j);
    return out;
}

}  // namespace

TEST_CASE("elastic_displacement of a single spike is alpha times the normalised kernel, out to ceil(3 sigma)",
          "[ch07][ch07.8]") {
    // sigma 1.2: radius ceil(3.6) = 4. The spike at (10, 10) spreads to
    // alpha g_i g_j at (10 + i, 10 + j) for |i|, |j| <= 4, and no further.
    arma::mat spike(21, 21, arma::fill::zeros);
    spike(10, 10) = 1.0;
    const std::vector<double> g = gaussian_by_loop(1.2);
    REQUIRE(g.size() == 9);
    arma::mat expected(21, 21, arma::fill::zeros);
    for (int i = -4; i <= 4; ++i)
        for (int j = -4; j <= 4; ++j) expected(10 + i, 10 + j) = 3.0 * g[i + 4] * g[j + 4];
    const arma::mat field = nn::elastic_displacement(spike, 1.2, 3.0);
    CHECK_THAT(field, EqualsMatrix(expected, 1e-14));
    INFO("the kernel reaches 4 = ceil(3 * 1.2) pixels from its centre and no further");
    CHECK(field(10, 14) > 0.0);
    CHECK(field(10, 15) == 0.0);
    INFO("a normalised kernel keeps the spike's total: the field sums to alpha");
    CHECK(arma::accu(field) == Approx(3.0).epsilon(1e-12));
}

TEST_CASE("elastic_displacement keeps a constant field constant, times alpha, away from the border", "[ch07][ch07.8]") {
    // sigma 2: radius 6. Pixels at least 6 from every border see only the
    // field; the normalised kernel sums to 1 there.
    const arma::mat ones(30, 30, arma::fill::ones);
    const arma::mat field = nn::elastic_displacement(ones, 2.0, 5.0);
    CHECK_THAT(arma::mat(field.submat(6, 6, 23, 23)), EqualsMatrix(arma::mat(18, 18, arma::fill::value(5.0)), 1e-12));
    // At the border the zeros outside come in: on an edge only the kernel's
    // inner half and centre, g_0 + ... + g_6; in a corner that, squared.
    const std::vector<double> g = gaussian_by_loop(2.0);
    double half = 0;
    for (int k = 0; k <= 6; ++k) half += g[k + 6];
    CHECK(field(0, 15) == Approx(5.0 * half).margin(1e-12));
    CHECK(field(15, 29) == Approx(5.0 * half).margin(1e-12));
    CHECK(field(0, 0) == Approx(5.0 * half * half).margin(1e-12));
    CHECK(field(29, 29) == Approx(5.0 * half * half).margin(1e-12));
}

TEST_CASE("elastic_displacement equals the two-dimensional sum, also on fields smaller than the kernel",
          "[ch07][ch07.8]") {
    NN_TEST_SEED(8);
    // 9 x 13 with radius 5; 5 x 7 with radius 6, the kernel wider than the field.
    for (const auto& [rows, cols, sigma] :
         std::vector<std::tuple<arma::uword, arma::uword, double>>{{9, 13, 1.5}, {5, 7, 2.0}, {16, 11, 0.7}}) {
        const arma::mat noise = 2 * arma::randu(rows, cols) - 1;
        INFO(rows << " x " << cols << ", sigma " << sigma);
        CHECK_THAT(nn::elastic_displacement(noise, sigma, 2.5),
                   EqualsMatrix(smoothed_by_loops(noise, sigma, 2.5), 1e-12));
    }
}

TEST_CASE("elastic_displacement treats every direction alike: mirrored or transposed noise, the same field",
          "[ch07][ch07.8]") {
    NN_TEST_SEED(9);
    const arma::mat noise = 2 * arma::randu(12, 12) - 1;
    const arma::mat field = nn::elastic_displacement(noise, 1.5, 4.0);
    CHECK_THAT(nn::elastic_displacement(arma::mat(arma::fliplr(noise)), 1.5, 4.0),
               EqualsMatrix(arma::mat(arma::fliplr(field)), 1e-12));
    CHECK_THAT(nn::elastic_displacement(arma::mat(arma::flipud(noise)), 1.5, 4.0),
               EqualsMatrix(arma::mat(arma::flipud(field)), 1e-12));
    CHECK_THAT(nn::elastic_displacement(arma::mat(noise.t()), 1.5, 4.0), EqualsMatrix(arma::mat(field.t()), 1e-12));
}

TEST_CASE("elastic_displacement refuses a sigma that is not positive", "[ch07][ch07.8]") {
    const arma::mat noise(5, 5, arma::fill::ones);
    CHECK_THROWS_AS(nn::elastic_displacement(noise, 0.0, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(nn::elastic_displacement(noise, -2.0, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(nn::elastic_displacement(noise, std::numeric_limits<double>::quiet_NaN(), 1.0),
                    std::invalid_argument);
}

// ---------------------------------------------------------------- augmentation (provided)

namespace {

// Strong distortions of every kind, to test augment() and augment_features_in_place().
nn::Augmentation strong_augmentation() {
    nn::Augmentation a;
    a.max_shift = 3;
    a.max_degrees = 20;
    a.max_scaling = 0.2;
    a.elastic_alpha = 34;
    a.elastic_sigma = 4;
    return a;
}

}  // namespace

TEST_CASE("augment with no distortion returns the image unchanged", "[ch07][provided]") {
    INFO("augment runs your remap and affine_grid (ch07.6, ch07.7): if their tests fail, fix them first");
    const arma::mat digits = nn_test::mnist_subset().train.images.head_cols(5);
    REQUIRE_FALSE(nn::Augmentation{}.any());
    for (arma::uword j = 0; j < digits.n_cols; ++j)
        CHECK_THAT(arma::mat(nn::augment(digits.col(j), nn::Augmentation{})), EqualsMatrix(digits.col(j), 0.0));
}

TEST_CASE("augment keeps pixels in [0, 1] and draws the same distortions from the same seed", "[ch07][provided]") {
    INFO("augment runs your remap, affine_grid and elastic_displacement (ch07.6 to ch07.8): fix their tests first");
    const arma::mat digits = nn_test::mnist_subset().train.images.head_cols(20);
    const auto distort = [&](std::uint64_t seed) {
        nn::set_seed(seed, nullptr);
        arma::mat out(arma::size(digits));
        for (arma::uword j = 0; j < digits.n_cols; ++j) out.col(j) = nn::augment(digits.col(j), strong_augmentation());
        return out;
    };
    const arma::mat first = distort(11), again = distort(11), other = distort(12);
    INFO(nn_test::finiteness(first));
    CHECK(first.is_finite());
    CHECK(first.min() >= 0.0);  // bilinear weights are convex and the paper is blank:
    CHECK(first.max() <= 1.0);  // no pixel gets darker than the darkest it mixes
    CHECK_THAT(again, EqualsMatrix(first, 0.0));
    CHECK(arma::abs(other - first).max() > 0.1);
    CHECK(arma::abs(first - digits).max() > 0.1);
}

TEST_CASE("augment_features_in_place with no distortion gives the standardised columns back", "[ch07][provided]") {
    const arma::mat features =
        nn::make_features(nn_test::mnist_subset().train.images.head_cols(50), nn::Features::deskewed_with_stats);
    nn::Standardizer standardizer;
    standardizer.fit(features);
    const arma::mat standardised = standardizer.apply(features);
    arma::mat batch = standardised.head_cols(8);
    nn::augment_features_in_place(batch, nn::Augmentation{}, nn::Features::deskewed_with_stats, standardizer);
    // Back to pixels and standardised again: equal up to rounding.
    CHECK_THAT(batch, EqualsMatrix(standardised.head_cols(8), 1e-12));
}

TEST_CASE("augment_features_in_place distorts the pixels as augment() does and computes the extra features again",
          "[ch07][provided]") {
    const arma::mat features =
        nn::make_features(nn_test::mnist_subset().train.images.head_cols(50), nn::Features::deskewed_with_stats);
    nn::Standardizer standardizer;
    standardizer.fit(features);
    arma::mat batch = standardizer.apply(features.head_cols(6));
    nn::set_seed(21, nullptr);
    nn::augment_features_in_place(batch, strong_augmentation(), nn::Features::deskewed_with_stats, standardizer);
    // The same draws, one image after the other, by hand.
    nn::set_seed(21, nullptr);
    arma::mat expected(787, 6);
    for (arma::uword j = 0; j < 6; ++j) {
        const arma::vec distorted = nn::augment(features.col(j).head(784), strong_augmentation());
        expected.col(j).head(784) = distorted;
        expected(784, j) = nn::intensity(distorted);
        expected(785, j) = nn::symmetry(distorted, nn::Axis::left_right);
        expected(786, j) = nn::symmetry(distorted, nn::Axis::top_bottom);
    }
    // Rare pixels standardise to about 140: 1e-12 is rounding of 1e-14 relative.
    CHECK_THAT(batch, EqualsMatrix(standardizer.apply(expected), 1e-12));
    INFO("the intensity changes with the pixels: it is computed again, not carried over");
    CHECK(arma::abs(expected.row(784) - features.head_cols(6).row(784)).max() > 1e-4);

    // Unstandardised raw pixels: exactly augment() of each column.
    arma::mat raw = nn_test::mnist_subset().train.images.head_cols(3);
    const arma::mat original = raw;
    nn::set_seed(22, nullptr);
    nn::augment_features_in_place(raw, strong_augmentation(), nn::Features::raw, nn::Standardizer{});
    nn::set_seed(22, nullptr);
    for (arma::uword j = 0; j < 3; ++j)
        CHECK_THAT(arma::mat(raw.col(j)), EqualsMatrix(nn::augment(original.col(j), strong_augmentation()), 0.0));
}

TEST_CASE("augment_features_in_place refuses a batch that does not fit the features or the standardiser",
          "[ch07][provided]") {
    arma::mat pixels(784, 2, arma::fill::zeros), with_extra(787, 2, arma::fill::zeros);
    CHECK_THROWS_AS(nn::augment_features_in_place(pixels, strong_augmentation(), nn::Features::deskewed_with_stats,
                                                  nn::Standardizer{}),
                    std::invalid_argument);
    nn::Standardizer fitted;
    fitted.fit(arma::mat(784, 3, arma::fill::randu));
    CHECK_THROWS_AS(
        nn::augment_features_in_place(with_extra, strong_augmentation(), nn::Features::deskewed_with_stats, fitted),
        std::invalid_argument);
}
