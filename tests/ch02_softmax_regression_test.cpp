// Chapter 2 tests: softmax, cross-entropy, its gradient, SGD. Run one task with
//   build/release/bin/tests_course "[ch02.3]"     (or ./course check 2)
//
// Expected values come from hand calculation or from plain loops written
// here, independent of the code under test.

#include <cmath>
#include <stdexcept>

#include "nn/softmax.hpp"
#include "nn/softmax_regression.hpp"
#include "test_support.hpp"

namespace {

// Mean cross-entropy by the textbook formula, one column at a time, in long
// double: the independent reference for the loss and its gradients.
double loss_by_loops(const arma::mat& logits, const arma::uvec& labels) {
    long double total = 0;
    for (arma::uword j = 0; j < logits.n_cols; ++j) {
        const long double m = logits.col(j).max();
        long double sum = 0;
        for (arma::uword k = 0; k < logits.n_rows; ++k) sum += std::exp(static_cast<long double>(logits(k, j)) - m);
        total += m + std::log(sum) - logits(labels[j], j);
    }
    return static_cast<double>(total / logits.n_cols);
}

}  // namespace

// ---------------------------------------------------------------- ch02.1

TEST_CASE("softmax of a hand-made column", "[ch02][ch02.1]") {
    // softmax(0, ln 2, ln 5) = (1, 2, 5) / 8
    const arma::mat logits = arma::vec{0.0, std::log(2.0), std::log(5.0)};
    CHECK_THAT(nn::softmax(logits), EqualsMatrix(arma::vec{1.0 / 8, 2.0 / 8, 5.0 / 8}, 1e-15));
}

TEST_CASE("softmax works column by column and every column sums to one", "[ch02][ch02.1]") {
    NN_TEST_SEED(21);
    const arma::mat logits = 3.0 * arma::randn(10, 40);
    const arma::mat p = nn::softmax(logits);
    arma::mat expected = arma::exp(logits);  // safe here: |logits| stay below ~20
    expected.each_row() /= arma::sum(expected, 0);
    CHECK_THAT(p, EqualsMatrix(expected, 1e-14));
    CHECK_THAT(arma::mat(arma::sum(p, 0)), EqualsMatrix(arma::ones<arma::rowvec>(40), 1e-14));
}

TEST_CASE("softmax rows sum to one even for logits of 1e4", "[ch02][ch02.1]") {
    const arma::mat logits = {{1e4, -1e4, 1e4},  //
                              {-1e4, 1e4, 1e4},
                              {0.0, 0.0, 1e4}};
    const arma::mat p = nn::softmax(logits);
    INFO(nn_test::finiteness(p));
    REQUIRE(p.is_finite());
    const arma::mat expected = {{1, 0, 1.0 / 3},  //
                                {0, 1, 1.0 / 3},
                                {0, 0, 1.0 / 3}};
    CHECK_THAT(p, EqualsMatrix(expected, 1e-15));
}

TEST_CASE("softmax shifts each column by its own maximum, not the batch's", "[ch02][ch02.1]") {
    // The same logits (0, ln 2, ln 5) three times, the columns 1000 and 2000
    // lower: each column is (1, 2, 5) / 8. One shift for the whole batch
    // leaves exp(-1000) = 0 in the lower columns, and 0 / 0.
    const arma::vec column = {0.0, std::log(2.0), std::log(5.0)};
    const arma::mat logits = arma::join_rows(column, column - 1000.0, column - 2000.0);
    const arma::vec probabilities = {1.0 / 8, 2.0 / 8, 5.0 / 8};
    // The shift rounds each logit to the spacing of doubles near 2000
    // (2.3e-13), which moves the probabilities by less than that.
    CHECK_THAT(nn::softmax(logits), EqualsMatrix(arma::repmat(probabilities, 1, 3), 1e-12));
}

TEST_CASE("softmax is unchanged by adding a constant to a column", "[ch02][ch02.1]") {
    NN_TEST_SEED(22);
    const arma::mat logits = arma::randn(5, 8);
    // Adding 700 rounds each logit to the spacing of doubles near 700 (1.1e-13),
    // which moves the probabilities by about that much.
    CHECK_THAT(nn::softmax(logits + 700.0), EqualsMatrix(nn::softmax(logits), 1e-12));
}

// ---------------------------------------------------------------- ch02.2

TEST_CASE("cross_entropy of equal logits is log K", "[ch02][ch02.2]") {
    CHECK(nn::cross_entropy(arma::mat(10, 4, arma::fill::zeros), arma::uvec{0, 3, 9, 2}) ==
          Approx(std::log(10.0)).epsilon(1e-14));
}

TEST_CASE("cross_entropy is the mean of -log p of the true class", "[ch02][ch02.2]") {
    // Column 0: p = (1, 2, 5)/8, label 2 -> -log(5/8). Column 1: p = (1/2, 1/4, 1/4), label 1 -> log 4.
    const arma::mat logits = {{0.0, std::log(2.0)},  //
                              {std::log(2.0), 0.0},
                              {std::log(5.0), 0.0}};
    const double expected = 0.5 * (-std::log(5.0 / 8.0) + std::log(4.0));
    CHECK(nn::cross_entropy(logits, arma::uvec{2, 1}) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("cross_entropy is finite and exact for logits of +-1e4", "[ch02][ch02.2]") {
    // The true class is 2e4 below the other: -log softmax = 2e4 + log(1 + e^-2e4) = 2e4.
    const arma::mat logits = arma::vec{1e4, -1e4};
    const double loss = nn::cross_entropy(logits, arma::uvec{1});
    CAPTURE(loss);
    REQUIRE(std::isfinite(loss));
    CHECK(loss == Approx(2e4).epsilon(1e-15));
    // Predicting the true class with probability 1 costs nothing.
    CHECK(nn::cross_entropy(logits, arma::uvec{0}) == Approx(0.0).margin(1e-12));
}

TEST_CASE("cross_entropy stays finite where the true class's probability underflows to zero", "[ch02][ch02.2]") {
    // softmax gives exactly 0 for class 1 here, so log(softmax) would be -inf.
    const arma::mat logits = arma::vec{0.0, -800.0, -5.0};
    REQUIRE(nn::softmax(logits)(1, 0) == 0.0);
    const double loss = nn::cross_entropy(logits, arma::uvec{1});
    CAPTURE(loss);
    REQUIRE(std::isfinite(loss));
    CHECK(loss == Approx(800.0 + std::log1p(std::exp(-5.0))).epsilon(1e-14));
}

TEST_CASE("cross_entropy matches a column-by-column loop on random logits", "[ch02][ch02.2]") {
    NN_TEST_SEED(23);
    const arma::mat logits = 4.0 * arma::randn(10, 50);
    const arma::uvec labels = arma::randi<arma::uvec>(50, arma::distr_param(0, 9));
    CHECK(nn::cross_entropy(logits, labels) == Approx(loss_by_loops(logits, labels)).epsilon(1e-13));
}

TEST_CASE("cross_entropy rejects bad labels", "[ch02][ch02.2]") {
    const arma::mat logits(3, 2, arma::fill::zeros);
    CHECK_THROWS_AS(nn::cross_entropy(logits, arma::uvec{0}), std::invalid_argument);
    CHECK_THROWS_AS(nn::cross_entropy(logits, arma::uvec{0, 3}), std::invalid_argument);
}

// ---------------------------------------------------------------- ch02.3

TEST_CASE("cross_entropy_gradient is (P - Y) / B", "[ch02][ch02.3]") {
    const arma::mat p = {{0.2, 0.5},  //
                         {0.3, 0.25},
                         {0.5, 0.25}};
    const arma::mat expected = {{0.1, 0.25},  //
                                {-0.35, 0.125},
                                {0.25, -0.375}};
    CHECK_THAT(nn::cross_entropy_gradient(p, arma::uvec{1, 2}), EqualsMatrix(expected, 1e-15));
}

TEST_CASE("cross_entropy_gradient matches central differences of the loss", "[ch02][ch02.3]") {
    NN_TEST_SEED(24);
    const arma::mat logits = 2.0 * arma::randn(6, 5);
    const arma::uvec labels = {0, 5, 2, 2, 3};
    const arma::mat p = arma::exp(logits) / arma::repmat(arma::sum(arma::exp(logits), 0), 6, 1);
    const arma::mat numeric =
        nn_test::central_differences([&](const arma::mat& z) { return loss_by_loops(z, labels); }, logits);
    // Central differences with h = 1e-5 are accurate to ~1e-10 here.
    CHECK_THAT(nn::cross_entropy_gradient(p, labels), EqualsMatrix(numeric, 1e-9));
}

TEST_CASE("each column of cross_entropy_gradient sums to zero", "[ch02][ch02.3]") {
    NN_TEST_SEED(25);
    const arma::mat logits = arma::randn(10, 7);
    const arma::mat p = arma::exp(logits) / arma::repmat(arma::sum(arma::exp(logits), 0), 10, 1);
    const arma::mat g = nn::cross_entropy_gradient(p, arma::uvec{1, 2, 3, 4, 5, 6, 7});
    CHECK_THAT(arma::mat(arma::sum(g, 0)), EqualsMatrix(arma::zeros<arma::rowvec>(7), 1e-15));
    CHECK_THROWS_AS(nn::cross_entropy_gradient(p, arma::uvec{1}), std::invalid_argument);
}

// ---------------------------------------------------------------- ch02.4

TEST_CASE("sgd_step on a hand-computed example", "[ch02][ch02.4]") {
    // Zero model, x = (1, 2), label 0: P = (1/2, 1/2), loss = ln 2,
    // G = P - Y = (-1/2, 1/2), dW = G x^T = [[-1/2, -1], [1/2, 1]], db = G.
    // With learning rate 0.1: W = [[0.05, 0.1], [-0.05, -0.1]], b = (0.05, -0.05).
    nn::SoftmaxRegression model(2, 2);
    const double loss = nn::sgd_step(model, arma::vec{1.0, 2.0}, arma::uvec{0}, 0.1);
    CHECK(loss == Approx(std::log(2.0)).epsilon(1e-15));
    const arma::mat expected_w = {{0.05, 0.1},  //
                                  {-0.05, -0.1}};
    CHECK_THAT(model.weights, EqualsMatrix(expected_w, 1e-15));
    CHECK_THAT(model.bias, EqualsMatrix(arma::vec{0.05, -0.05}, 1e-15));
}

TEST_CASE("sgd_step moves the parameters against the numerical gradient", "[ch02][ch02.4]") {
    NN_TEST_SEED(26);
    nn::SoftmaxRegression model(4, 3);
    model.weights = arma::randn(3, 4);
    model.bias = arma::randn(3);
    const arma::mat x = arma::randn(4, 6);
    const arma::uvec y = {0, 1, 2, 2, 1, 0};
    const auto loss_w = [&](const arma::mat& w) {
        arma::mat z = w * x;
        z.each_col() += model.bias;
        return loss_by_loops(z, y);
    };
    const auto loss_b = [&](const arma::mat& b) {
        arma::mat z = model.weights * x;
        z.each_col() += arma::vec(b);
        return loss_by_loops(z, y);
    };
    const arma::mat grad_w = nn_test::central_differences(loss_w, model.weights);
    const arma::mat grad_b = nn_test::central_differences(loss_b, arma::mat(model.bias));
    const double expected_loss = loss_w(model.weights);

    const double rate = 0.3;
    const arma::mat w0 = model.weights, b0 = model.bias;
    const double loss = nn::sgd_step(model, x, y, rate);
    CHECK(loss == Approx(expected_loss).epsilon(1e-13));
    CHECK_THAT(model.weights, EqualsMatrix(w0 - rate * grad_w, 1e-9));
    CHECK_THAT(arma::mat(model.bias), EqualsMatrix(b0 - rate * grad_b, 1e-9));
}

TEST_CASE("repeated sgd_step on one batch drives its loss down", "[ch02][ch02.4]") {
    const nn::Dataset batch = nn_test::mnist_subset().train.head(64);
    nn::SoftmaxRegression model(784, 10);
    const double first = nn::sgd_step(model, batch.images, batch.labels, 0.5);
    double last = first;
    for (int i = 0; i < 50; ++i) last = nn::sgd_step(model, batch.images, batch.labels, 0.5);
    CHECK(first == Approx(std::log(10.0)).epsilon(1e-14));
    CHECK(last < 0.2 * first);
}

// ---------------------------------------------------------------- ch02.5

TEST_CASE("sgd_epoch returns the per-sample mean loss, weighting a short last batch by its size", "[ch02][ch02.5]") {
    NN_TEST_SEED(27);
    const nn::Dataset& train = nn_test::mnist_subset().train;  // 800 samples: batches of 300, 300, 200
    nn::SoftmaxRegression model(784, 10);
    model.weights = 0.01 * arma::randn(10, 784);
    model.bias = arma::randn(10);
    // A learning rate this small leaves the model as it is, so the epoch's
    // mean loss must equal the loss of the whole set.
    const double expected = loss_by_loops(model.logits(train.images), train.labels);
    CHECK(nn::sgd_epoch(model, train, 300, 1e-300) == Approx(expected).epsilon(1e-12));
}

TEST_CASE("one epoch of sgd_epoch learns to classify real digits", "[ch02][ch02.5]") {
    NN_TEST_SEED(28);
    const nn::Splits& data = nn_test::mnist_subset();
    nn::SoftmaxRegression model(784, 10);
    const double loss = nn::sgd_epoch(model, data.train, 16, 0.1);
    CHECK(loss < std::log(10.0));
    const arma::uvec predicted = arma::index_max(model.logits(data.validation.images), 0).t();
    const double accuracy = arma::mean(arma::conv_to<arma::vec>::from(predicted == data.validation.labels));
    INFO("validation accuracy after one epoch on 800 digits: " << accuracy);
    CHECK(accuracy > 0.7);  // chance is 0.1; the reference reaches ~0.83
}

TEST_CASE("sgd_epoch shuffles: the same seed repeats a run, another seed changes it", "[ch02][ch02.5]") {
    const nn::Dataset train = nn_test::mnist_subset().train.head(200);
    const auto run = [&](std::uint64_t seed) {
        nn::set_seed(seed, nullptr);
        nn::SoftmaxRegression model(784, 10);
        nn::sgd_epoch(model, train, 10, 0.1);
        return model.weights;
    };
    const arma::mat a = run(1), b = run(1), c = run(2);
    CHECK_THAT(b, EqualsMatrix(a, 0.0));
    CHECK(arma::abs(c - a).max() > 1e-6);
}
