// Chapter 3 tests: the dense layer, ReLU, sigmoid, initialisation, a
// two-layer network's backward pass by hand, tanh and leaky ReLU. Run one task with
//   build/release/bin/tests_course "[ch03.2]"     (or ./course check 3)
//
// Gradients are checked against the tests' own central differences of
// f(X) = sum(R % layer(X)) for a fixed random R, whose gradient is exactly
// what backward(R) must return; those of ch03.9 against central differences
// of the tests' own loss.

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layers.hpp"
#include "nn/network.hpp"
#include "nn/softmax.hpp"
#include "nn/two_layer.hpp"
#include "test_support.hpp"

namespace {

// sum(R % f(x)): a scalar whose gradient with respect to f's output is R.
double weighted_sum(const arma::mat& weights, const arma::mat& output) { return arma::accu(weights % output); }

// The tests' own loss of the two-layer network of ch03.9, from Armadillo
// alone (no course function): relu as a clamp, the mean cross-entropy by
// log-sum-exp, one column at a time.
double two_layer_loss(const arma::mat& w1, const arma::vec& b1, const arma::mat& w2, const arma::vec& b2,
                      const arma::mat& x, const arma::uvec& labels) {
    arma::mat z1 = w1 * x;
    z1.each_col() += b1;
    arma::mat z2 = w2 * arma::clamp(z1, 0.0, arma::datum::inf);
    z2.each_col() += b2;
    double total = 0.0;
    for (arma::uword j = 0; j < x.n_cols; ++j) {
        const double m = z2.col(j).max();
        total += m + std::log(arma::accu(arma::exp(z2.col(j) - m))) - z2(labels[j], j);
    }
    return total / static_cast<double>(x.n_cols);
}

// The gradients of ch03.9 element by element in long double, from the scalar
// chain rule with explicit sums: a reference independent of matrix algebra.
// Legend: D inputs, H hidden units, K classes, B samples.
nn::TwoLayerGradients two_layer_by_loops(const arma::mat& w1, const arma::vec& b1, const arma::mat& w2,
                                         const arma::vec& b2, const arma::mat& x, const arma::uvec& labels) {
    using real = long double;
    const arma::uword D = x.n_rows, H = w1.n_rows, K = w2.n_rows, B = x.n_cols;
    std::vector<real> z1(H * B), a1(H * B), dz2(K * B), dz1(H * B, 0.0L);
    real loss = 0.0L;
    for (arma::uword j = 0; j < B; ++j) {
        for (arma::uword h = 0; h < H; ++h) {
            real sum = b1[h];
            for (arma::uword d = 0; d < D; ++d) sum += static_cast<real>(w1(h, d)) * x(d, j);
            z1[h + H * j] = sum;
            a1[h + H * j] = sum > 0 ? sum : 0.0L;
        }
        std::vector<real> z2(K);
        real m = -HUGE_VALL;
        for (arma::uword k = 0; k < K; ++k) {
            z2[k] = b2[k];
            for (arma::uword h = 0; h < H; ++h) z2[k] += static_cast<real>(w2(k, h)) * a1[h + H * j];
            m = std::max(m, z2[k]);
        }
        real total = 0.0L;
        for (arma::uword k = 0; k < K; ++k) total += std::exp(z2[k] - m);
        loss += m + std::log(total) - z2[labels[j]];
        // dL/dz2 = (p - y) / B, then back through W2 and the mask [z1 > 0].
        for (arma::uword k = 0; k < K; ++k)
            dz2[k + K * j] = (std::exp(z2[k] - m) / total - (k == labels[j] ? 1.0L : 0.0L)) / B;
        for (arma::uword h = 0; h < H; ++h)
            for (arma::uword k = 0; k < K; ++k)
                if (z1[h + H * j] > 0) dz1[h + H * j] += static_cast<real>(w2(k, h)) * dz2[k + K * j];
    }
    nn::TwoLayerGradients g{static_cast<double>(loss / B), arma::mat(H, D), arma::vec(H), arma::mat(K, H),
                            arma::vec(K)};
    for (arma::uword h = 0; h < H; ++h) {
        real bias = 0.0L;
        for (arma::uword j = 0; j < B; ++j) bias += dz1[h + H * j];
        g.hidden_bias_gradient[h] = static_cast<double>(bias);
        for (arma::uword d = 0; d < D; ++d) {
            real sum = 0.0L;
            for (arma::uword j = 0; j < B; ++j) sum += dz1[h + H * j] * x(d, j);
            g.hidden_weights_gradient(h, d) = static_cast<double>(sum);
        }
    }
    for (arma::uword k = 0; k < K; ++k) {
        real bias = 0.0L;
        for (arma::uword j = 0; j < B; ++j) bias += dz2[k + K * j];
        g.output_bias_gradient[k] = static_cast<double>(bias);
        for (arma::uword h = 0; h < H; ++h) {
            real sum = 0.0L;
            for (arma::uword j = 0; j < B; ++j) sum += dz2[k + K * j] * a1[h + H * j];
            g.output_weights_gradient(k, h) = static_cast<double>(sum);
        }
    }
    return g;
}

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
        const auto f_w = [&](const arma::mat& v) {
            layer.weights = v;
            return weighted_sum(r, layer.forward(x));
        };
        const auto f_b = [&](const arma::mat& v) {
            layer.bias = v;
            return weighted_sum(r, layer.forward(x));
        };
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
    const arma::mat numeric =
        nn_test::central_differences([&](const arma::mat& v) { return weighted_sum(r, nn::relu(v)); }, z);
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
    CHECK(w.max() > 0.999 * a);  // the whole interval is used
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

// ---------------------------------------------------------------- ch03.9

TEST_CASE("two_layer_loss_and_gradients on the book's worked example", "[ch03][ch03.9]") {
    // The network of the chapter's worked graph: 2 inputs, 2 hidden units, 2 classes, one sample of class 0.
    const arma::mat w1 = {{1.0, -1.0},  //
                          {0.5, 1.0}};
    const arma::mat w2 = {{1.0, -1.0},  //
                          {-2.0, 1.0}};
    const arma::vec b1 = {0.0, -1.0}, b2 = {0.5, -0.5};
    const arma::mat x = arma::mat(arma::vec{1.0, 2.0});  // one column
    const arma::uvec labels(1, arma::fill::zeros);
    // By hand: Z1 = (-1, 1.5), so hidden unit 1 is off and A1 = (0, 1.5); Z2 = (-1, 1);
    // P = (1 - s, s) with s = e^2 / (1 + e^2) = 0.8808, and L = -log(1 - s) = log(1 + e^2) = 2.1269.
    // dL/dZ2 = P - Y = (-s, s): dW2 = dZ2 A1^T = [0 -1.5s; 0 1.5s], db2 = (-s, s).
    // dL/dA1 = W2^T dZ2 = (-3s, 2s); the mask [Z1 > 0] = (0, 1) gives dZ1 = (0, 2s):
    // dW1 = dZ1 x^T = [0 0; 2s 4s], db1 = (0, 2s).
    const double s = std::exp(2.0) / (1.0 + std::exp(2.0));
    const nn::TwoLayerGradients g = nn::two_layer_loss_and_gradients(w1, b1, w2, b2, x, labels);
    CHECK(g.loss == Approx(std::log(1.0 + std::exp(2.0))).epsilon(1e-12));
    CHECK_THAT(g.output_weights_gradient, EqualsMatrix(arma::mat{{0.0, -1.5 * s}, {0.0, 1.5 * s}}, 1e-12));
    CHECK_THAT(g.output_bias_gradient, EqualsMatrix(arma::mat(arma::vec{-s, s}), 1e-12));
    CHECK_THAT(g.hidden_weights_gradient, EqualsMatrix(arma::mat{{0.0, 0.0}, {2.0 * s, 4.0 * s}}, 1e-12));
    CHECK_THAT(g.hidden_bias_gradient, EqualsMatrix(arma::mat(arma::vec{0.0, 2.0 * s}), 1e-12));
}

TEST_CASE("two_layer_loss_and_gradients matches central differences of the loss for W1, b1, W2 and b2",
          "[ch03][ch03.9]") {
    for (const std::uint64_t seed : {1, 2, 3}) {
        NN_TEST_SEED(90 + seed);
        // No two sizes equal, so that a product with a factor not transposed cannot fit by accident.
        const arma::uword inputs = 5, hidden = 4, classes = 3, batch = 6 + seed;
        const arma::mat w1 = arma::randn(hidden, inputs), w2 = arma::randn(classes, hidden);
        const arma::vec b1 = 0.5 * arma::randn(hidden), b2 = arma::randn(classes);
        const arma::mat x = arma::randn(inputs, batch);
        const arma::uvec labels = arma::randi<arma::uvec>(batch, arma::distr_param(0, int(classes) - 1));
        arma::mat z1 = w1 * x;
        z1.each_col() += b1;
        // Some hidden units on and some off, and none so near 0 that a step of h crosses relu's kink.
        REQUIRE(arma::any(arma::vectorise(z1) < 0.0));
        REQUIRE(arma::any(arma::vectorise(z1) > 0.0));
        REQUIRE(arma::abs(z1).min() > 1e-3);

        const nn::TwoLayerGradients g = nn::two_layer_loss_and_gradients(w1, b1, w2, b2, x, labels);
        CHECK(g.loss == Approx(two_layer_loss(w1, b1, w2, b2, x, labels)).epsilon(1e-12));
        const auto f_w1 = [&](const arma::mat& v) { return two_layer_loss(v, b1, w2, b2, x, labels); };
        const auto f_b1 = [&](const arma::mat& v) { return two_layer_loss(w1, arma::vectorise(v), w2, b2, x, labels); };
        const auto f_w2 = [&](const arma::mat& v) { return two_layer_loss(w1, b1, v, b2, x, labels); };
        const auto f_b2 = [&](const arma::mat& v) { return two_layer_loss(w1, b1, w2, arma::vectorise(v), x, labels); };
        // The loss is smooth away from the kinks: the central differences are good to ~1e-10,
        // so 1e-7 relative (and 1e-9 absolute, for the entries the mask sets to 0) is honest.
        CHECK_THAT(g.hidden_weights_gradient, EqualsMatrix(nn_test::central_differences(f_w1, w1), 1e-9, 1e-7));
        CHECK_THAT(g.hidden_bias_gradient, EqualsMatrix(nn_test::central_differences(f_b1, b1), 1e-9, 1e-7));
        CHECK_THAT(g.output_weights_gradient, EqualsMatrix(nn_test::central_differences(f_w2, w2), 1e-9, 1e-7));
        CHECK_THAT(g.output_bias_gradient, EqualsMatrix(nn_test::central_differences(f_b2, b2), 1e-9, 1e-7));
    }
}

TEST_CASE("two_layer_loss_and_gradients gives the loss and gradients of Dense, ReLU, Dense", "[ch03][ch03.9]") {
    NN_TEST_SEED(94);
    INFO("this test also runs your Dense and ReLU (ch03.1 to ch03.4): if their tests fail, fix them first");
    const arma::uword inputs = 7, hidden = 5, classes = 4, batch = 9;
    nn::Dense hidden_layer(inputs, hidden), output_layer(hidden, classes);
    nn::ReLU activation;
    hidden_layer.weights = arma::randn(hidden, inputs);
    hidden_layer.bias = 0.5 * arma::randn(hidden, 1);
    output_layer.weights = arma::randn(classes, hidden);
    output_layer.bias = arma::randn(classes, 1);
    const arma::mat x = arma::randn(inputs, batch);
    const arma::uvec labels = arma::randi<arma::uvec>(batch, arma::distr_param(0, int(classes) - 1));

    // The layers, wired by hand as the chapter's program does.
    const arma::mat logits = output_layer.forward(activation.forward(hidden_layer.forward(x)));
    const double loss = nn::cross_entropy(logits, labels);
    hidden_layer.backward(
        activation.backward(output_layer.backward(nn::cross_entropy_gradient(nn::softmax(logits), labels))));

    const nn::TwoLayerGradients g =
        nn::two_layer_loss_and_gradients(hidden_layer.weights, arma::vectorise(hidden_layer.bias), output_layer.weights,
                                         arma::vectorise(output_layer.bias), x, labels);
    // The same operations, perhaps summed in another order: equal to rounding.
    CHECK(g.loss == Approx(loss).epsilon(1e-12));
    CHECK_THAT(g.hidden_weights_gradient, EqualsMatrix(hidden_layer.weights_gradient, 1e-12));
    CHECK_THAT(g.hidden_bias_gradient, EqualsMatrix(hidden_layer.bias_gradient, 1e-12));
    CHECK_THAT(g.output_weights_gradient, EqualsMatrix(output_layer.weights_gradient, 1e-12));
    CHECK_THAT(g.output_bias_gradient, EqualsMatrix(output_layer.bias_gradient, 1e-12));
}

TEST_CASE("two_layer_loss_and_gradients matches a long double loop, with pre-activations of exactly 0",
          "[ch03][ch03.9]") {
    // Dyadic values, so every pre-activation is exact in any summation order:
    // Z1 has two entries of exactly 0, where the mask must block the gradient (z > 0).
    const arma::mat x = {{1.0, 0.0, 2.0, -1.0},  //
                         {0.5, 1.0, -1.0, 2.0},
                         {-1.0, 2.0, 0.5, 1.0}};
    const arma::mat w1 = {{1.0, -1.0, 0.5},  //
                          {0.5, 0.5, -1.0},
                          {-1.0, 2.0, 1.0},
                          {2.0, 0.0, -0.5}};
    const arma::vec b1 = {0.25, 0.0, -0.5, 1.0};
    const arma::mat w2 = {{1.0, -0.5, 0.25, 2.0},  //
                          {-1.0, 1.0, 0.5, -0.5},
                          {0.5, 0.0, -1.0, 1.0}};
    const arma::vec b2 = {0.1, -0.2, 0.3};
    const arma::uvec labels = {2, 0, 1, 2};
    const nn::TwoLayerGradients expected = two_layer_by_loops(w1, b1, w2, b2, x, labels);
    const nn::TwoLayerGradients g = nn::two_layer_loss_and_gradients(w1, b1, w2, b2, x, labels);
    CHECK(g.loss == Approx(expected.loss).epsilon(1e-12));
    CHECK_THAT(g.hidden_weights_gradient, EqualsMatrix(expected.hidden_weights_gradient, 1e-12));
    CHECK_THAT(g.hidden_bias_gradient, EqualsMatrix(expected.hidden_bias_gradient, 1e-12));
    CHECK_THAT(g.output_weights_gradient, EqualsMatrix(expected.output_weights_gradient, 1e-12));
    CHECK_THAT(g.output_bias_gradient, EqualsMatrix(expected.output_bias_gradient, 1e-12));
}

TEST_CASE("two_layer_loss_and_gradients refuses shapes that do not fit together", "[ch03][ch03.9]") {
    // D = 3 inputs, H = 4 hidden units, K = 2 classes, B = 5 samples.
    const arma::mat w1(4, 3, arma::fill::ones), w2(2, 4, arma::fill::ones), x(3, 5, arma::fill::ones);
    const arma::vec b1(4, arma::fill::zeros), b2(2, arma::fill::zeros);
    const arma::uvec labels(5, arma::fill::zeros);
    const auto f = nn::two_layer_loss_and_gradients;
    CHECK_THROWS_AS(f(arma::mat(4, 2, arma::fill::ones), b1, w2, b2, x, labels),
                    std::invalid_argument);                                                             // W1 not H x D
    CHECK_THROWS_AS(f(w1, arma::vec(3, arma::fill::zeros), w2, b2, x, labels), std::invalid_argument);  // b1 not H
    CHECK_THROWS_AS(f(w1, b1, arma::mat(2, 3, arma::fill::ones), b2, x, labels),
                    std::invalid_argument);                                                             // W2 not K x H
    CHECK_THROWS_AS(f(w1, b1, w2, arma::vec(3, arma::fill::zeros), x, labels), std::invalid_argument);  // b2 not K
    CHECK_THROWS_AS(f(w1, b1, w2, b2, x, arma::uvec(4, arma::fill::zeros)),
                    std::invalid_argument);  // 4 labels, 5 images
    CHECK_THROWS_AS(f(w1, b1, w2, b2, x, arma::uvec(5, arma::fill::value(2))),
                    std::invalid_argument);                                                    // class 2 of K = 2
    CHECK_THROWS_AS(f(w1, b1, w2, b2, arma::mat(3, 0), arma::uvec()), std::invalid_argument);  // empty batch
}

// ---------------------------------------------------------------- ch03.10

TEST_CASE("tanh_activation of known values", "[ch03][ch03.10]") {
    // tanh(ln x) = (x - 1/x) / (x + 1/x): 3/5 for x = 2, 4/5 for x = 3.
    const arma::mat z = {{0.0, std::log(2.0), -std::log(2.0), std::log(3.0)}};
    CHECK_THAT(nn::tanh_activation(z), EqualsMatrix(arma::mat{{0.0, 0.6, -0.6, 0.8}}, 1e-15));
}

TEST_CASE("tanh_activation matches std::tanh, keeps the shape and is odd", "[ch03][ch03.10]") {
    NN_TEST_SEED(310);
    arma::mat z = 3.0 * arma::randn(7, 9);
    z(0, 0) = 1e-10;  // near 0, where 1 - exp(-2|z|) would cancel
    arma::mat expected(arma::size(z));
    for (arma::uword i = 0; i < z.n_elem; ++i) expected[i] = std::tanh(z[i]);
    // Any careful formula agrees with std::tanh to a few units in the last place of values below 1.
    CHECK_THAT(nn::tanh_activation(z), EqualsMatrix(expected, 1e-15, 1e-14));
    CHECK_THAT(nn::tanh_activation(-z), EqualsMatrix(-nn::tanh_activation(z), 1e-15));
}

TEST_CASE("tanh_activation is finite and exactly +-1 for inputs of +-800 and +-1e4", "[ch03][ch03.10]") {
    // (exp(z) - exp(-z)) / (exp(z) + exp(-z)) is inf / inf = NaN once exp(|z|) overflows.
    const arma::mat t = nn::tanh_activation(arma::mat{{1e4, -1e4, 800, -800, 40, -40}});
    INFO(nn_test::finiteness(t) << "; tanh_activation gave " << t);
    REQUIRE(t.is_finite());
    CHECK_THAT(t, EqualsMatrix(arma::mat{{1, -1, 1, -1, 1, -1}}, 0.0));
}

TEST_CASE("make_mlp builds tanh layers with Xavier initialisation", "[ch03][ch03.10]") {
    INFO("this test also runs your xavier_uniform (ch03.8): if its tests fail, fix them first");
    nn::set_seed(11, nullptr);
    nn::Sequential net = nn::make_mlp({6, 5, 4}, "tanh");
    CHECK(net.describe() == "dense(6->5) tanh dense(5->4)");
    // The contract's draws, in order: a (2u - 1) with a = sqrt(6 / (I + O)), first 5 x 6, then 4 x 5.
    nn::set_seed(11, nullptr);
    const arma::mat first = std::sqrt(6.0 / 11.0) * (2.0 * arma::randu(5, 6) - 1.0);
    const arma::mat second = std::sqrt(6.0 / 9.0) * (2.0 * arma::randu(4, 5) - 1.0);
    const std::vector<nn::Parameter> p = net.parameters();
    REQUIRE(p.size() == 4);
    CHECK_THAT(*p[0].value, EqualsMatrix(first, 1e-15));
    CHECK_THAT(*p[2].value, EqualsMatrix(second, 1e-15));
    // The activation layer is tanh: it maps ln 3 to 4/5.
    CHECK_THAT(net.layer(1).forward(nn_test::scalar(std::log(3.0))), EqualsMatrix(nn_test::scalar(0.8), 1e-15));
}

// ---------------------------------------------------------------- ch03.11

TEST_CASE("tanh_activation_backward is G (1 - a^2)", "[ch03][ch03.11]") {
    // Saturated units (a = +-1) pass nothing.
    const arma::mat a = {{0.0, 0.6, -0.8, 1.0, -1.0}};
    const arma::mat g = {{2.0, 1.0, 3.0, 5.0, 7.0}};
    CHECK_THAT(nn::tanh_activation_backward(a, g), EqualsMatrix(arma::mat{{2.0, 0.64, 1.08, 0.0, 0.0}}, 1e-15));
}

TEST_CASE("tanh_activation_backward matches central differences of tanh", "[ch03][ch03.11]") {
    NN_TEST_SEED(311);
    const arma::mat z = 1.5 * arma::randn(5, 4), r = arma::randn(5, 4);
    const arma::mat a = arma::tanh(z);  // the tests' own tanh
    const arma::mat numeric =
        nn_test::central_differences([&](const arma::mat& v) { return weighted_sum(r, arma::tanh(v)); }, z);
    // Smooth: the central differences are good to ~1e-10.
    CHECK_THAT(nn::tanh_activation_backward(a, r), EqualsMatrix(numeric, 1e-9));
}

TEST_CASE("the tanh layer's backward matches central differences of its forward", "[ch03][ch03.11]") {
    INFO("this test also runs your tanh_activation (ch03.10): if its tests fail, fix them first");
    NN_TEST_SEED(312);
    const std::unique_ptr<nn::Layer> layer = nn::make_activation("tanh");
    CHECK(layer->kind() == "tanh");
    const arma::mat z = arma::randn(4, 6), r = arma::randn(4, 6);
    layer->forward(z);
    const arma::mat gradient = layer->backward(r);
    const arma::mat numeric =
        nn_test::central_differences([&](const arma::mat& v) { return weighted_sum(r, arma::tanh(v)); }, z);
    CHECK_THAT(gradient, EqualsMatrix(numeric, 1e-9));
}

// ---------------------------------------------------------------- ch03.12

TEST_CASE("leaky_relu keeps positives and multiplies the rest by the slope", "[ch03][ch03.12]") {
    const arma::mat z = {{-2, 0, 3},  //
                         {1e-300, -1e-300, 1e4}};
    const arma::mat expected = {{-0.5, 0, 3},  //
                                {1e-300, -0.25e-300, 1e4}};
    CHECK_THAT(nn::leaky_relu(z, 0.25), EqualsMatrix(expected, 0.0, 1e-15));
}

TEST_CASE("leaky_relu's slope is 0.01 unless given, and 0 gives relu", "[ch03][ch03.12]") {
    const arma::mat z = {{-3.0, 5.0, -1e4, 1e4}};
    CHECK_THAT(nn::leaky_relu(z), EqualsMatrix(arma::mat{{-0.03, 5.0, -100.0, 1e4}}, 1e-15, 1e-15));
    CHECK_THAT(nn::leaky_relu(z, 0.0), EqualsMatrix(arma::mat{{0.0, 5.0, 0.0, 1e4}}, 0.0));
}

TEST_CASE("leaky_relu keeps the shape and is exact for random inputs", "[ch03][ch03.12]") {
    NN_TEST_SEED(313);
    const arma::mat z = 100.0 * arma::randn(6, 7);
    arma::mat expected = z;
    for (arma::uword i = 0; i < z.n_elem; ++i)
        if (z[i] <= 0.0) expected[i] = 0.2 * z[i];
    CHECK_THAT(nn::leaky_relu(z, 0.2), EqualsMatrix(expected, 0.0, 1e-15));
}

TEST_CASE("make_mlp builds leaky ReLU layers with He initialisation and the leaky gain", "[ch03][ch03.12]") {
    INFO("this test also runs your he_normal (ch03.7): if its tests fail, fix them first");
    nn::set_seed(12, nullptr);
    nn::Sequential net = nn::make_mlp({6, 5, 4}, "leaky_relu");
    CHECK(net.describe() == "dense(6->5) leaky_relu dense(5->4)");
    // The contract's draws, in order: randn(O, I) times sqrt(2 / ((1 + s^2) I)) with s = 0.01.
    nn::set_seed(12, nullptr);
    const arma::mat first = arma::randn(5, 6) * std::sqrt(2.0 / (1.0001 * 6.0));
    const arma::mat second = arma::randn(4, 5) * std::sqrt(2.0 / (1.0001 * 5.0));
    const std::vector<nn::Parameter> p = net.parameters();
    REQUIRE(p.size() == 4);
    // Scaled in another order: a few units in the last place.
    CHECK_THAT(*p[0].value, EqualsMatrix(first, 0.0, 1e-14));
    CHECK_THAT(*p[2].value, EqualsMatrix(second, 0.0, 1e-14));
    // The activation layer is leaky with slope 0.01.
    CHECK_THAT(net.layer(1).forward(arma::mat{{-2.0, 3.0}}), EqualsMatrix(arma::mat{{-0.02, 3.0}}, 1e-15));
}

// ---------------------------------------------------------------- ch03.13

TEST_CASE("leaky_relu_backward passes G where z > 0 and slope * G elsewhere, at 0 too", "[ch03][ch03.13]") {
    const arma::mat z = {{-2, 0, 3},  //
                         {1, -1, 0.5}};
    const arma::mat g = {{10, 20, 30},  //
                         {40, 50, 60}};
    const arma::mat expected = {{2.5, 5, 30},  //
                                {40, 12.5, 60}};
    CHECK_THAT(nn::leaky_relu_backward(z, g, 0.25), EqualsMatrix(expected, 0.0));
    // With slope 0 it is relu_backward.
    CHECK_THAT(nn::leaky_relu_backward(z, g, 0.0), EqualsMatrix(arma::mat{{0, 0, 30}, {40, 0, 60}}, 0.0));
}

TEST_CASE("leaky_relu_backward matches central differences away from the kink", "[ch03][ch03.13]") {
    NN_TEST_SEED(314);
    arma::mat z = arma::randn(6, 5);
    z.elem(arma::find(arma::abs(z) < 0.01)).fill(0.5);  // keep clear of 0, where leaky relu bends
    const arma::mat r = arma::randn(6, 5);
    const double slope = 0.1;
    // The tests' own leaky relu: max(z, s z) for 0 <= s < 1.
    const auto f = [&](const arma::mat& v) { return weighted_sum(r, arma::max(v, slope * v)); };
    // Piecewise linear: the central differences are exact up to rounding (~1e-10).
    CHECK_THAT(nn::leaky_relu_backward(z, r, slope), EqualsMatrix(nn_test::central_differences(f, z), 1e-9));
}

TEST_CASE("the leaky ReLU layer's backward matches central differences of its forward", "[ch03][ch03.13]") {
    INFO("this test also runs your leaky_relu (ch03.12): if its tests fail, fix them first");
    NN_TEST_SEED(315);
    const std::unique_ptr<nn::Layer> layer = nn::make_activation("leaky_relu");
    CHECK(layer->kind() == "leaky_relu");
    arma::mat z = arma::randn(4, 6);
    z.elem(arma::find(arma::abs(z) < 0.01)).fill(-0.5);
    const arma::mat r = arma::randn(4, 6);
    layer->forward(z);
    const arma::mat gradient = layer->backward(r);
    const auto f = [&](const arma::mat& v) { return weighted_sum(r, arma::max(v, 0.01 * v)); };
    CHECK_THAT(gradient, EqualsMatrix(nn_test::central_differences(f, z), 1e-9));
}

// ---------------------------------------------------------------- provided

TEST_CASE("make_activation and make_dense name every activation they know when refusing one", "[ch03][provided]") {
    for (const auto& make : {std::function<void()>([] { nn::make_activation("swish"); }),
                             std::function<void()>([] { nn::make_dense(3, 2, "swish"); })}) {
        try {
            make();
            FAIL("no exception for the activation 'swish'");
        } catch (const std::invalid_argument& e) {
            const std::string message = e.what();
            INFO(message);
            for (const char* name : {"relu", "sigmoid", "tanh", "leaky_relu"})
                CHECK(message.find(name) != std::string::npos);
        }
    }
}
