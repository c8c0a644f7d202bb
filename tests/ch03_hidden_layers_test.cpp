// Chapter 3 tests: the dense layer, ReLU, sigmoid, initialisation. Run one task with
//   build/release/bin/tests_course "[ch03.2]"     (or ./course check 3)
//
// Gradients are checked against the tests' own central differences of
// f(X) = sum(R % layer(X)) for a fixed random R, whose gradient is exactly
// what backward(R) must return.

#include <cfenv>
#include <cmath>

#include "nn/layers.hpp"
#include "test_support.hpp"

namespace {

// sum(R % f(x)): a scalar whose gradient with respect to f's output is R.
double weighted_sum(const arma::mat& weights, const arma::mat& output) { return arma::accu(weights % output); }

}  // namespace

// ---------------------------------------------------------------- ch03.1

TEST_CASE("Dense::forward computes W x + b for every column", "[ch03][ch03.1]") {
    nn::Dense layer(3, 2);
    layer.weights = {{1, 2, 3},  //
                     {0, -1, 1}};
    layer.bias = arma::mat(arma::vec{10.0, 20.0});
    const arma::mat x = {{1, 0},  //
                         {1, 1},
                         {1, 2}};
    // column 0: (1+2+3+10, -1+1+20) = (16, 20); column 1: (0+2+6+10, -1+2+20) = (18, 21)
    const arma::mat expected = {{16, 18},  //
                                {20, 21}};
    CHECK_THAT(layer.forward(x), EqualsMatrix(expected, 1e-12));
}

TEST_CASE("Dense::forward remembers its input for the backward pass", "[ch03][ch03.1]") {
    NN_TEST_SEED(31);
    nn::Dense layer(5, 4);
    layer.weights = arma::randn(4, 5);
    const arma::mat x = arma::randn(5, 7);
    const arma::mat y = layer.forward(x);
    CHECK(y.n_rows == 4);
    CHECK(y.n_cols == 7);
    CHECK_THAT(layer.input, EqualsMatrix(x, 0.0));
}

// ---------------------------------------------------------------- ch03.2

TEST_CASE("Dense::backward of a hand-made example", "[ch03][ch03.2]") {
    nn::Dense layer(2, 2);
    layer.weights = {{1, 2},  //
                     {3, 4}};
    layer.forward(arma::mat{{1, 2},  //
                            {3, 4}});
    const arma::mat g = {{1, 0},  //
                         {0, 1}};
    const arma::mat input_gradient = layer.backward(g);
    // dW = G X^T = X^T, db = row sums of G = (1, 1), dX = W^T G = W^T.
    CHECK_THAT(layer.weights_gradient, EqualsMatrix(arma::mat{{1, 3}, {2, 4}}, 1e-12));
    CHECK_THAT(layer.bias_gradient, EqualsMatrix(arma::mat(arma::vec{1.0, 1.0}), 1e-12));
    CHECK_THAT(input_gradient, EqualsMatrix(arma::mat{{1, 3}, {2, 4}}, 1e-12));
}

TEST_CASE("Dense::backward matches central differences for weights, bias and input", "[ch03][ch03.2]") {
    for (const std::uint64_t seed : {1, 2, 3}) {
        NN_TEST_SEED(seed);
        const arma::uword in = 3 + seed, out = 2 + 2 * seed, batch = 4 + seed;
        nn::Dense layer(in, out);
        layer.weights = arma::randn(out, in);
        layer.bias = arma::randn(out, 1);
        const arma::mat x = arma::randn(in, batch), r = arma::randn(out, batch);
        layer.forward(x);
        const arma::mat input_gradient = layer.backward(r);

        const arma::mat w = layer.weights, b = layer.bias;
        const auto f_w = [&](const arma::mat& v) { layer.weights = v; return weighted_sum(r, layer.forward(x)); };
        const auto f_b = [&](const arma::mat& v) { layer.bias = v; return weighted_sum(r, layer.forward(x)); };
        const auto f_x = [&](const arma::mat& v) { return weighted_sum(r, layer.forward(v)); };
        const arma::mat dw = layer.weights_gradient, db = layer.bias_gradient;
        // f is linear in each argument, so central differences are exact up to rounding (~1e-10).
        CHECK_THAT(dw, EqualsMatrix(nn_test::central_differences(f_w, w), 1e-8));
        layer.weights = w;
        CHECK_THAT(db, EqualsMatrix(nn_test::central_differences(f_b, b), 1e-8));
        layer.bias = b;
        CHECK_THAT(input_gradient, EqualsMatrix(nn_test::central_differences(f_x, x), 1e-8));
    }
}

TEST_CASE("Dense::backward skips the input gradient when it is not needed", "[ch03][ch03.2]") {
    NN_TEST_SEED(32);
    nn::Dense layer(4, 3);
    layer.weights = arma::randn(3, 4);
    const arma::mat x = arma::randn(4, 5), g = arma::randn(3, 5);
    layer.forward(x);
    layer.input_gradient = false;
    CHECK(layer.backward(g).is_empty());
    // The parameter gradients are computed all the same.
    CHECK_THAT(layer.weights_gradient, EqualsMatrix(g * x.t(), 1e-12));
    CHECK_THAT(layer.bias_gradient, EqualsMatrix(arma::mat(arma::sum(g, 1)), 1e-12));
}

// ---------------------------------------------------------------- ch03.3

TEST_CASE("relu keeps positives and zeroes the rest", "[ch03][ch03.3]") {
    const arma::mat z = {{-2, 0, 3},  //
                         {1e-300, -1e-300, 1e4}};
    const arma::mat expected = {{0, 0, 3},  //
                                {1e-300, 0, 1e4}};
    CHECK_THAT(nn::relu(z), EqualsMatrix(expected, 0.0));
}

// ---------------------------------------------------------------- ch03.4

TEST_CASE("relu_backward passes the gradient only where the input was positive", "[ch03][ch03.4]") {
    const arma::mat z = {{-2, 0, 3},  //
                         {1, -1, 0.5}};
    const arma::mat g = {{10, 20, 30},  //
                         {40, 50, 60}};
    const arma::mat expected = {{0, 0, 30},  //
                                {40, 0, 60}};
    CHECK_THAT(nn::relu_backward(z, g), EqualsMatrix(expected, 0.0));
}

TEST_CASE("relu_backward matches central differences away from the kink", "[ch03][ch03.4]") {
    NN_TEST_SEED(34);
    arma::mat z = arma::randn(6, 5);
    z.elem(arma::find(arma::abs(z) < 0.01)).fill(0.5);  // keep clear of 0, where relu bends
    const arma::mat r = arma::randn(6, 5);
    const arma::mat numeric = nn_test::central_differences([&](const arma::mat& v) { return weighted_sum(r, nn::relu(v)); }, z);
    CHECK_THAT(nn::relu_backward(z, r), EqualsMatrix(numeric, 1e-9));
}

// ---------------------------------------------------------------- ch03.5

TEST_CASE("sigmoid of known values", "[ch03][ch03.5]") {
    const arma::mat z = {{0.0, std::log(3.0), -std::log(3.0)}};
    CHECK_THAT(nn::sigmoid(z), EqualsMatrix(arma::mat{{0.5, 0.75, 0.25}}, 1e-15));
}

TEST_CASE("sigmoid matches 1 / (1 + exp(-z)) and is symmetric", "[ch03][ch03.5]") {
    NN_TEST_SEED(35);
    const arma::mat z = 5.0 * arma::randn(8, 9);
    CHECK_THAT(nn::sigmoid(z), EqualsMatrix(1.0 / (1.0 + arma::exp(-z)), 0.0, 1e-14));
    CHECK_THAT(nn::sigmoid(-z), EqualsMatrix(1.0 - nn::sigmoid(z), 1e-15));
}

TEST_CASE("sigmoid is finite and saturates cleanly for inputs of +-1e4", "[ch03][ch03.5]") {
    const arma::mat s = nn::sigmoid(arma::mat{{1e4, -1e4, 800, -800}});
    INFO(nn_test::finiteness(s) << "; sigmoid gave " << s);
    REQUIRE(s.is_finite());
    CHECK_THAT(s, EqualsMatrix(arma::mat{{1, 0, 1, 0}}, 1e-300));
}

TEST_CASE("sigmoid never overflows, not even on the way to a result of 0", "[ch03][ch03.5]") {
    // 1 / (1 + exp(-z)) returns the right 0 for z = -1000, but only after
    // exp(1000) overflowed to infinity. The contract asks for no overflow at
    // all; the processor's overflow flag records one if it happened.
    const arma::mat z = {{-1000.0, -1e4, 1000.0, 1e4}};
    std::feclearexcept(FE_OVERFLOW);
    const arma::mat s = nn::sigmoid(z);
    const bool overflowed = std::fetestexcept(FE_OVERFLOW) != 0;
    INFO("exp overflowed to infinity while computing sigmoid of " << z << ": keep every exponent <= 0");
    CHECK_FALSE(overflowed);
    CHECK_THAT(s, EqualsMatrix(arma::mat{{0, 0, 1, 1}}, 1e-300));
}

// ---------------------------------------------------------------- ch03.6

TEST_CASE("sigmoid_backward is G s (1 - s)", "[ch03][ch03.6]") {
    const arma::mat s = {{0.5, 0.25, 1.0}};
    const arma::mat g = {{1.0, 2.0, 3.0}};
    CHECK_THAT(nn::sigmoid_backward(s, g), EqualsMatrix(arma::mat{{0.25, 0.375, 0.0}}, 1e-15));
}

TEST_CASE("sigmoid_backward matches central differences of the sigmoid", "[ch03][ch03.6]") {
    NN_TEST_SEED(36);
    const arma::mat z = 2.0 * arma::randn(5, 4), r = arma::randn(5, 4);
    const arma::mat s = 1.0 / (1.0 + arma::exp(-z));  // the tests' own sigmoid
    const arma::mat numeric = nn_test::central_differences(
        [&](const arma::mat& v) { return weighted_sum(r, 1.0 / (1.0 + arma::exp(-v))); }, z);
    CHECK_THAT(nn::sigmoid_backward(s, r), EqualsMatrix(numeric, 1e-9));
}

// ---------------------------------------------------------------- ch03.7

TEST_CASE("he_normal has shape O x I, mean 0 and variance 2 / I", "[ch03][ch03.7]") {
    NN_TEST_SEED(37);
    const arma::mat w = nn::he_normal(400, 300);  // 120,000 draws
    REQUIRE(w.n_rows == 300);
    REQUIRE(w.n_cols == 400);
    // With 120,000 draws the sample mean's standard error is 0.0002 and the
    // standard deviation's is 0.2%: these bounds are over 5 standard errors wide.
    CHECK(std::abs(arma::mean(arma::vectorise(w))) < 0.0015);
    CHECK(arma::stddev(arma::vectorise(w)) == Approx(std::sqrt(2.0 / 400)).epsilon(0.01));
    CHECK(arma::abs(w).max() > 3.0 * std::sqrt(2.0 / 400));  // normal tails, not uniform
}

TEST_CASE("he_normal draws from the seeded generator", "[ch03][ch03.7]") {
    nn::set_seed(5, nullptr);
    const arma::mat a = nn::he_normal(20, 10);
    const arma::mat b = nn::he_normal(20, 10);
    nn::set_seed(5, nullptr);
    CHECK_THAT(nn::he_normal(20, 10), EqualsMatrix(a, 0.0));
    CHECK(arma::abs(a - b).max() > 0.0);
}

TEST_CASE("he_normal is arma::randn(O, I) times sqrt(2 / I), drawn in Armadillo's order", "[ch03][ch03.7]") {
    // The contract fixes the draw, so that a seed gives the same weights as
    // the reference: O x I values from the seeded generator, in storage order.
    nn::set_seed(7, nullptr);
    const arma::mat expected = arma::randn(3, 5) * std::sqrt(2.0 / 5.0);
    nn::set_seed(7, nullptr);
    const arma::mat w = nn::he_normal(5, 3);
    // Scaling in another order rounds differently: a few units in the last place of values below 2.
    CHECK_THAT(w, EqualsMatrix(expected, 1e-15));
}

// ---------------------------------------------------------------- ch03.8

TEST_CASE("xavier_uniform is uniform on [-a, a] with a = sqrt(6 / (I + O))", "[ch03][ch03.8]") {
    NN_TEST_SEED(38);
    const arma::mat w = nn::xavier_uniform(500, 200);  // 100,000 draws
    REQUIRE(w.n_rows == 200);
    REQUIRE(w.n_cols == 500);
    const double a = std::sqrt(6.0 / 700.0);
    CHECK(w.max() <= a);
    CHECK(w.min() >= -a);
    CHECK(w.max() > 0.999 * a);   // the whole interval is used
    CHECK(w.min() < -0.999 * a);
    // Variance a^2/3 = 2/(I+O); the standard error of the sample's standard deviation is ~0.14%.
    CHECK(arma::stddev(arma::vectorise(w)) == Approx(std::sqrt(2.0 / 700.0)).epsilon(0.01));
    CHECK(std::abs(arma::mean(arma::vectorise(w))) < 0.003 * a);
}

TEST_CASE("xavier_uniform draws from the seeded generator", "[ch03][ch03.8]") {
    nn::set_seed(6, nullptr);
    const arma::mat a = nn::xavier_uniform(30, 10);
    nn::set_seed(6, nullptr);
    CHECK_THAT(nn::xavier_uniform(30, 10), EqualsMatrix(a, 0.0));
}

TEST_CASE("xavier_uniform maps arma::randu(O, I) to [-a, a], drawn in Armadillo's order", "[ch03][ch03.8]") {
    // As for he_normal, the contract fixes the draw: O x I values from the
    // seeded generator, in storage order, mapped by u -> a (2u - 1).
    nn::set_seed(8, nullptr);
    const double a = std::sqrt(6.0 / 8.0);
    const arma::mat expected = a * (2.0 * arma::randu(3, 5) - 1.0);
    nn::set_seed(8, nullptr);
    const arma::mat w = nn::xavier_uniform(5, 3);
    // Mapping in another order rounds differently: a few units in the last place of values below 1.
    CHECK_THAT(w, EqualsMatrix(expected, 1e-15));
}
