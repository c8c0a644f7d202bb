// Chapter 7 tests: deskewing, intensity, symmetry, standardisation. Run one task with
//   build/release/bin/tests_course "[ch07.1]"     (or ./course check 7)

#include <cmath>

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
