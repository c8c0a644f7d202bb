// Chapter 5 tests: inverted dropout and the network-wide mode switch. Run one task with
//   build/release/bin/tests_course "[ch05.1]"     (or ./course check 5)

#include <cmath>

#include "nn/dropout.hpp"
#include "nn/network.hpp"
#include "test_support.hpp"

// ---------------------------------------------------------------- ch05.1

TEST_CASE("dropout in evaluation mode is exactly the identity", "[ch05][ch05.1]") {
    NN_TEST_SEED(51);
    nn::Dropout dropout(0.5);
    dropout.set_training(false);
    const arma::mat x = arma::randn(20, 30);
    CHECK_THAT(dropout.forward(x), EqualsMatrix(x, 0.0));
    CHECK_THAT(dropout.backward(x), EqualsMatrix(x, 0.0));
}

TEST_CASE("dropout in evaluation mode draws no random numbers", "[ch05][ch05.1]") {
    // Masks and batch shuffling share the one seeded generator: a draw in
    // evaluation mode would change every later mask and batch order.
    NN_TEST_SEED(510);
    const arma::mat next = arma::randu(3, 4);  // the generator's next numbers after seeding
    nn::set_seed(510, nullptr);
    nn::Dropout dropout(0.5);
    dropout.set_training(false);
    dropout.forward(arma::mat(20, 30, arma::fill::ones));
    CHECK_THAT(arma::mat(arma::randu(3, 4)), EqualsMatrix(next, 0.0));
}

TEST_CASE("dropout in training keeps each unit with probability q and scales it by 1/q", "[ch05][ch05.1]") {
    NN_TEST_SEED(52);
    nn::Dropout dropout(0.25);  // q = 0.75
    const arma::mat x(200, 500, arma::fill::ones);
    const arma::mat y = dropout.forward(x);
    REQUIRE(arma::size(dropout.mask) == arma::size(x));
    // Every output is 0 or 1/q.
    const arma::uword zeros = arma::accu(y == 0.0);
    const arma::uword scaled = arma::accu(arma::abs(y - 1.0 / 0.75) < 1e-12);
    CHECK(zeros + scaled == y.n_elem);
    CHECK_THAT(y, EqualsMatrix(x % dropout.mask, 0.0));
    // 100,000 draws: the kept fraction's standard error is 0.0014, the bound 7 times that.
    CHECK(static_cast<double>(scaled) / y.n_elem == Approx(0.75).margin(0.01));
}

TEST_CASE("dropout preserves the expectation: the mean over many masks is the input", "[ch05][ch05.1]") {
    NN_TEST_SEED(53);
    nn::Dropout dropout(0.5);
    const arma::mat x = {{1.0, -2.0, 3.0},  //
                         {0.5, 4.0, -1.0}};
    arma::mat sum(arma::size(x), arma::fill::zeros);
    const int draws = 20000;
    for (int i = 0; i < draws; ++i) sum += dropout.forward(x);
    // Each entry of the mean has standard deviation |x| / sqrt(draws) = 0.007 |x|: 5% is 7 of them.
    CHECK_THAT(arma::mat(sum / draws), EqualsMatrix(x, 0.0, 0.05));
}

TEST_CASE("dropout draws a fresh mask each time unless told to reuse it", "[ch05][ch05.1]") {
    NN_TEST_SEED(54);
    nn::Dropout dropout(0.5);
    const arma::mat x(10, 10, arma::fill::ones);
    const arma::mat first = dropout.forward(x);
    const arma::mat second = dropout.forward(x);
    CHECK(arma::accu(first != second) > 0);
    dropout.reuse_mask = true;
    CHECK_THAT(dropout.forward(x), EqualsMatrix(second, 0.0));
    CHECK_THAT(dropout.forward(2.0 * x), EqualsMatrix(2.0 * second, 0.0));
}

TEST_CASE("dropout with probability 0 changes nothing, and 1 or more is refused", "[ch05][ch05.1]") {
    NN_TEST_SEED(55);
    nn::Dropout none(0.0);
    const arma::mat x = arma::randn(5, 5);
    CHECK_THAT(none.forward(x), EqualsMatrix(x, 0.0));
    CHECK_THROWS_AS(nn::Dropout(1.0), std::invalid_argument);
    CHECK_THROWS_AS(nn::Dropout(-0.1), std::invalid_argument);
}

// ---------------------------------------------------------------- ch05.2

TEST_CASE("dropout backward applies the same mask as the forward pass", "[ch05][ch05.2]") {
    NN_TEST_SEED(56);
    nn::Dropout dropout(0.3);
    dropout.forward(arma::randn(8, 6));
    const arma::mat mask = dropout.mask;
    const arma::mat g = arma::randn(8, 6);
    CHECK_THAT(dropout.backward(g), EqualsMatrix(g % mask, 0.0));
    dropout.set_training(false);
    CHECK_THAT(dropout.backward(g), EqualsMatrix(g, 0.0));
}

TEST_CASE("dropout backward matches central differences with a fixed mask", "[ch05][ch05.2]") {
    NN_TEST_SEED(57);
    nn::Dropout dropout(0.5);
    const arma::mat x = arma::randn(6, 4), r = arma::randn(6, 4);
    dropout.forward(x);
    dropout.reuse_mask = true;
    const arma::mat analytic = dropout.backward(r);
    const arma::mat numeric =
        nn_test::central_differences([&](const arma::mat& v) { return arma::accu(r % dropout.forward(v)); }, x);
    // Linear in x: central differences are exact up to rounding.
    CHECK_THAT(analytic, EqualsMatrix(numeric, 1e-9));
}

TEST_CASE("a network with dropout passes the gradient check with its masks fixed", "[ch05][ch05.2]") {
    NN_TEST_SEED(58);
    nn::Sequential net;
    auto& first = net.add(nn::make_dense(6, 8, "sigmoid"));
    first.bias = 0.1 * arma::randn(8, 1);
    net.add(nn::make_activation("sigmoid"));
    auto& dropout = net.add(std::make_unique<nn::Dropout>(0.4));
    net.add(nn::make_dense(8, 4, "sigmoid"));
    const arma::mat x = arma::randn(6, 5);
    net.forward(x);  // draws the mask
    dropout.reuse_mask = true;
    for (const auto& row : nn::gradient_check(net, x, arma::uvec{0, 1, 2, 3, 0})) {
        INFO(row.name << ": " << row.error.value);
        CHECK(row.error.value < 1e-7);
    }
}

// ---------------------------------------------------------------- ch05.3

TEST_CASE("set_training switches every layer of a network", "[ch05][ch05.3]") {
    nn::Sequential net = nn::make_mlp({4, 5, 5, 3}, "relu", 0.5);
    net.set_training(false);
    for (std::size_t i = 0; i < net.size(); ++i) CHECK_FALSE(net.layer(i).training());
    net.set_training(true);
    for (std::size_t i = 0; i < net.size(); ++i) CHECK(net.layer(i).training());
}

TEST_CASE("in evaluation mode a network with dropout is deterministic", "[ch05][ch05.3]") {
    NN_TEST_SEED(59);
    nn::Sequential net = nn::make_mlp({6, 10, 3}, "relu", 0.5);
    const arma::mat x = arma::randn(6, 4);
    net.set_training(false);
    const arma::mat a = net.forward(x), b = net.forward(x);
    CHECK_THAT(b, EqualsMatrix(a, 0.0));
    // ...and equal to the same layers without the dropout layer.
    auto& first = dynamic_cast<nn::Dense&>(net.layer(0));
    auto& last = dynamic_cast<nn::Dense&>(net.layer(3));
    arma::mat hidden = first.weights * x;
    hidden.each_col() += arma::vec(first.bias);
    arma::mat expected = last.weights * arma::clamp(hidden, 0.0, arma::datum::inf);
    expected.each_col() += arma::vec(last.bias);
    CHECK_THAT(a, EqualsMatrix(expected, 1e-12));
}
