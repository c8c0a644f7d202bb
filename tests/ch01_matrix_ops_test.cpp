// Chapter 1 tests: matrix operations. Run one task with
//   build/release/bin/tests_course "[ch01.5]"     (or ./course check 1)
//
// Expected values come from hand calculation or from plain loops written
// here, independent of the code under test.

#include <stdexcept>

#include "nn/matrix_ops.hpp"
#include "test_support.hpp"

namespace {

// Squared distances by a plain triple loop: the slow, obviously right way.
arma::mat squared_distances_by_loops(const arma::mat& points, const arma::mat& centres) {
    arma::mat d(centres.n_cols, points.n_cols);
    for (arma::uword k = 0; k < centres.n_cols; ++k)
        for (arma::uword j = 0; j < points.n_cols; ++j) {
            double sum = 0.0;
            for (arma::uword i = 0; i < points.n_rows; ++i) {
                const double diff = points(i, j) - centres(i, k);
                sum += diff * diff;
            }
            d(k, j) = sum;
        }
    return d;
}

}  // namespace

// ---------------------------------------------------------------- ch01.1

TEST_CASE("one_hot puts a single 1 in each column, at the label's row", "[ch01][ch01.1]") {
    const arma::uvec labels = {2, 0, 1, 2};
    const arma::mat expected = {{0, 1, 0, 0},  //
                                {0, 0, 1, 0},
                                {1, 0, 0, 1}};
    CHECK_THAT(nn::one_hot(labels, 3), EqualsMatrix(expected, 0.0));
}

TEST_CASE("one_hot has K rows even when some classes are absent", "[ch01][ch01.1]") {
    const arma::mat y = nn::one_hot(arma::uvec{1, 1}, 10);
    REQUIRE(y.n_rows == 10);
    REQUIRE(y.n_cols == 2);
    CHECK(arma::accu(y) == 2.0);
    CHECK(y(1, 0) == 1.0);
    CHECK(y(1, 1) == 1.0);
}

TEST_CASE("one_hot rejects a label that is not below the number of classes", "[ch01][ch01.1]") {
    CHECK_THROWS_AS(nn::one_hot(arma::uvec{0, 3}, 3), std::invalid_argument);
}

// ---------------------------------------------------------------- ch01.2

TEST_CASE("add_bias adds the bias to every column", "[ch01][ch01.2]") {
    const arma::mat z = {{1, 2, 3},  //
                         {4, 5, 6}};
    const arma::vec bias = {10, -1};
    const arma::mat expected = {{11, 12, 13},  //
                                {3, 4, 5}};
    CHECK_THAT(nn::add_bias(z, bias), EqualsMatrix(expected, 0.0));
}

TEST_CASE("add_bias leaves its input unchanged and rejects a bias of the wrong length", "[ch01][ch01.2]") {
    const arma::mat z(3, 4, arma::fill::ones);
    const arma::mat result = nn::add_bias(z, arma::vec{1, 2, 3});
    CHECK_THAT(z, EqualsMatrix(arma::mat(3, 4, arma::fill::ones), 0.0));
    CHECK_THAT(result.col(3), EqualsMatrix(arma::vec{2, 3, 4}, 0.0));
    CHECK_THROWS_AS(nn::add_bias(z, arma::vec{1, 2}), std::logic_error);
}

// ---------------------------------------------------------------- ch01.3

TEST_CASE("argmax_columns returns the row of each column's largest value", "[ch01][ch01.3]") {
    const arma::mat scores = {{0.1, 5.0, -1.0, 0.0},  //
                              {0.7, 4.0, -3.0, 2.0},
                              {0.2, 1.0, -2.0, 1.0}};
    CHECK_THAT(nn::argmax_columns(scores), EqualsLabels(arma::uvec{1, 0, 0, 1}));
}

TEST_CASE("argmax_columns breaks ties towards the smallest index", "[ch01][ch01.3]") {
    const arma::mat scores = {{1.0, 0.0},  //
                              {1.0, 3.0},
                              {0.0, 3.0}};
    CHECK_THAT(nn::argmax_columns(scores), EqualsLabels(arma::uvec{0, 1}));
}

TEST_CASE("argmax_columns gives one prediction per column, as a column vector", "[ch01][ch01.3]") {
    NN_TEST_SEED(13);
    const arma::uvec predicted = nn::argmax_columns(arma::mat(10, 7, arma::fill::randu));
    CHECK(predicted.n_rows == 7);
    CHECK(predicted.n_cols == 1);
}

// ---------------------------------------------------------------- ch01.4

TEST_CASE("accuracy is the fraction of matching labels", "[ch01][ch01.4]") {
    CHECK(nn::accuracy(arma::uvec{1, 2, 3, 4}, arma::uvec{1, 2, 0, 4}) == Approx(0.75).epsilon(1e-15));
    CHECK(nn::accuracy(arma::uvec{7}, arma::uvec{7}) == Approx(1.0).epsilon(1e-15));
    CHECK(nn::accuracy(arma::uvec{0, 0, 0}, arma::uvec{1, 1, 1}) == Approx(0.0).margin(1e-15));
}

TEST_CASE("accuracy rejects different sizes and empty input", "[ch01][ch01.4]") {
    CHECK_THROWS_AS(nn::accuracy(arma::uvec{1, 2}, arma::uvec{1}), std::invalid_argument);
    CHECK_THROWS_AS(nn::accuracy(arma::uvec(), arma::uvec()), std::invalid_argument);
}

// ---------------------------------------------------------------- ch01.5

TEST_CASE("class_means averages the columns of each class", "[ch01][ch01.5]") {
    const arma::mat images = {{1, 3, 10, 0},  //
                              {2, 4, 20, 6}};
    const arma::uvec labels = {0, 0, 1, 0};
    // class 0: (1,2), (3,4), (0,6) -> mean (4/3, 4); class 1: (10, 20); class 2 has no samples.
    const arma::mat expected = {{4.0 / 3.0, 10, 0},  //
                                {4.0, 20, 0}};
    CHECK_THAT(nn::class_means(images, labels, 3), EqualsMatrix(expected, 1e-12));
}

TEST_CASE("class_means matches a per-class loop on real MNIST digits", "[ch01][ch01.5]") {
    const nn::Dataset& train = nn_test::mnist_subset().train;
    arma::mat expected(train.images.n_rows, 10, arma::fill::zeros);
    arma::vec counts(10, arma::fill::zeros);
    for (arma::uword j = 0; j < train.size(); ++j) {
        expected.col(train.labels[j]) += train.images.col(j);
        counts[train.labels[j]] += 1;
    }
    for (arma::uword k = 0; k < 10; ++k) expected.col(k) /= counts[k];
    // Sums of up to ~100 values in [0, 1] in any order agree to ~1e-13.
    CHECK_THAT(nn::class_means(train.images, train.labels, 10), EqualsMatrix(expected, 1e-12));
}

TEST_CASE("class_means rejects labels and images of different counts", "[ch01][ch01.5]") {
    CHECK_THROWS_AS(nn::class_means(arma::mat(4, 3, arma::fill::ones), arma::uvec{0, 1}, 2), std::logic_error);
}

// ---------------------------------------------------------------- ch01.6

TEST_CASE("squared_distances of a hand-made example", "[ch01][ch01.6]") {
    const arma::mat points = {{0, 3},  //
                              {0, 4}};
    const arma::mat centres = {{0, 1},  //
                               {0, 1}};
    // (0,0)-(0,0) = 0, (3,4)-(0,0) = 25, (0,0)-(1,1) = 2, (3,4)-(1,1) = 4 + 9 = 13.
    const arma::mat expected = {{0, 25},  //
                                {2, 13}};
    CHECK_THAT(nn::squared_distances(points, centres), EqualsMatrix(expected, 1e-12));
}

TEST_CASE("squared_distances is K x N and matches a triple loop on random data", "[ch01][ch01.6]") {
    NN_TEST_SEED(11);
    const arma::mat points(784, 30, arma::fill::randu);
    const arma::mat centres(784, 10, arma::fill::randu);
    const arma::mat distances = nn::squared_distances(points, centres);
    // Values ~130 from sums of 784 terms: rounding differences stay below 1e-10.
    CHECK_THAT(distances, EqualsMatrix(squared_distances_by_loops(points, centres), 1e-10));
}

TEST_CASE("squared_distances of a point to itself is zero, never negative", "[ch01][ch01.6]") {
    NN_TEST_SEED(12);
    const arma::mat points(50, 20, arma::fill::randn);
    const arma::mat distances = nn::squared_distances(points * 1e3, points * 1e3);
    CHECK(distances.min() >= 0.0);
    // Cancellation of ~5e7-sized terms leaves rounding of ~1e-8 on the diagonal.
    CHECK(arma::abs(distances.diag()).max() < 1e-6);
}
