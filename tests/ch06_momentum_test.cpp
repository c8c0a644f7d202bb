// Chapter 6 tests: optimisers and learning-rate schedules. Run one task with
//   build/release/bin/tests_course "[ch06.4]"     (or ./course check 6)
//
// The expected values are worked out by hand in the comments.

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "nn/optimizers.hpp"
#include "test_support.hpp"

namespace {

// One parameter with a gradient we set by hand.
struct Param {
    arma::mat value, gradient;
    explicit Param(const arma::mat& v) : value(v), gradient(arma::size(v), arma::fill::zeros) {}
    std::vector<nn::Parameter> list() { return {{"p", &value, &gradient}}; }
};

// Minimises f(x) = 1/2 x^T A x - b^T x (A symmetric positive definite) with
// the optimiser for the given number of steps; returns the distance to the
// minimum A^-1 b.
double distance_after(nn::Optimizer& optimizer, int steps) {
    const arma::mat a = {{3.0, 1.0},  //
                         {1.0, 2.0}};
    const arma::vec b = {1.0, -1.0};
    Param x(arma::mat(arma::vec{4.0, -3.0}));
    for (int i = 0; i < steps; ++i) {
        x.gradient = a * x.value - b;
        optimizer.step(x.list());
    }
    return arma::norm(x.value - arma::solve(a, b));
}

}  // namespace

// ---------------------------------------------------------------- ch06.1

TEST_CASE("Sgd::step moves against the gradient by the learning rate", "[ch06][ch06.1]") {
    Param p(arma::mat{{1.0, 2.0}});
    p.gradient = {{0.5, -1.0}};
    nn::Sgd sgd(0.1);
    sgd.step(p.list());
    // 1 - 0.1 * 0.5 = 0.95; 2 - 0.1 * (-1) = 2.1
    CHECK_THAT(p.value, EqualsMatrix(arma::mat{{0.95, 2.1}}, 1e-15));
}

TEST_CASE("Sgd converges on a convex quadratic", "[ch06][ch06.1]") {
    nn::Sgd sgd(0.2);
    CHECK(distance_after(sgd, 300) < 1e-8);
}

// ---------------------------------------------------------------- ch06.2

TEST_CASE("Momentum accumulates velocity: two steps by hand", "[ch06][ch06.2]") {
    // mu = 0.9, lr = 0.1, theta0 = 1, gradient 1 both times:
    // v1 = -0.1, theta1 = 0.9; v2 = 0.9 * -0.1 - 0.1 = -0.19, theta2 = 0.71.
    Param p(nn_test::scalar(1.0));
    p.gradient.fill(1.0);
    nn::Momentum momentum(0.1, 0.9);
    momentum.step(p.list());
    CHECK(p.value(0, 0) == Approx(0.9).epsilon(1e-15));
    momentum.step(p.list());
    CHECK(p.value(0, 0) == Approx(0.71).epsilon(1e-15));
    CHECK(momentum.velocity.at(0)(0, 0) == Approx(-0.19).epsilon(1e-15));
}

TEST_CASE("Momentum keeps one velocity per parameter and converges on a quadratic", "[ch06][ch06.2]") {
    Param a(arma::mat(2, 3, arma::fill::ones)), b(arma::mat(4, 1, arma::fill::ones));
    a.gradient.fill(1.0);
    b.gradient.fill(2.0);
    nn::Momentum momentum(0.5, 0.9);
    momentum.step({{"a", &a.value, &a.gradient}, {"b", &b.value, &b.gradient}});
    CHECK_THAT(a.value, EqualsMatrix(arma::mat(2, 3, arma::fill::value(0.5)), 1e-15));
    CHECK_THAT(b.value, EqualsMatrix(arma::mat(4, 1, arma::fill::zeros), 1e-15));
    nn::Momentum fresh(0.1, 0.9);
    // Heavy-ball momentum contracts by about sqrt(0.9) = 0.95 per step here:
    // 600 steps shrink the starting distance of 5.6 by ~1e-13.
    CHECK(distance_after(fresh, 600) < 1e-8);
}

// ---------------------------------------------------------------- ch06.3

TEST_CASE("Nesterov looks ahead: two steps by hand", "[ch06][ch06.3]") {
    // mu = 0.9, lr = 0.1, theta0 = 1, gradient 1 both times.
    // Step 1: v = -0.1; theta = 1 - 0.9 * 0 + 1.9 * (-0.1) = 0.81.
    // Step 2: v_prev = -0.1, v = -0.19; theta = 0.81 + 0.09 + 1.9 * (-0.19) = 0.539.
    Param p(nn_test::scalar(1.0));
    p.gradient.fill(1.0);
    nn::Nesterov nesterov(0.1, 0.9);
    nesterov.step(p.list());
    CHECK(p.value(0, 0) == Approx(0.81).epsilon(1e-14));
    nesterov.step(p.list());
    CHECK(p.value(0, 0) == Approx(0.539).epsilon(1e-14));
}

TEST_CASE("Nesterov converges on a convex quadratic", "[ch06][ch06.3]") {
    nn::Nesterov nesterov(0.1, 0.9);
    CHECK(distance_after(nesterov, 300) < 1e-8);
}

// ---------------------------------------------------------------- ch06.4

TEST_CASE("Adam's bias correction makes the first step the learning rate times the sign", "[ch06][ch06.4]") {
    // t = 1: m = 0.1 g, v = 0.001 g^2; m_hat = g, v_hat = g^2;
    // step = lr * g / (|g| + eps) = lr * sign(g) up to eps / |g|.
    Param p(arma::mat{{1.0, 1.0, 1.0}});
    p.gradient = {{0.5, -2.0, 1e-3}};
    nn::Adam adam(0.01);
    adam.step(p.list());
    const arma::mat expected = {
        {1.0 - 0.01 * 0.5 / (0.5 + 1e-8), 1.0 + 0.01 * 2.0 / (2.0 + 1e-8), 1.0 - 0.01 * 1e-3 / (1e-3 + 1e-8)}};
    CHECK_THAT(p.value, EqualsMatrix(expected, 1e-15));
    CHECK(adam.t == 1);
}

TEST_CASE("Adam's second step by hand", "[ch06][ch06.4]") {
    // g1 = 1, g2 = 3, lr = 0.1, betas 0.9 / 0.999, eps 1e-8.
    // m2 = 0.9 * 0.1 + 0.1 * 3 = 0.39,   m_hat = 0.39 / (1 - 0.81) = 2.0526315789...
    // v2 = 0.999 * 0.001 + 0.001 * 9 = 0.009999, v_hat = 0.009999 / (1 - 0.998001) = 5.0020010005...
    // theta2 = theta1 - 0.1 * m_hat / (sqrt(v_hat) + eps).
    Param p(nn_test::scalar(0.0));
    nn::Adam adam(0.1);
    p.gradient.fill(1.0);
    adam.step(p.list());
    const double theta1 = -0.1 * 1.0 / (1.0 + 1e-8);
    p.gradient.fill(3.0);
    adam.step(p.list());
    const double m_hat = 0.39 / (1.0 - 0.81), v_hat = 0.009999 / (1.0 - 0.998001);
    CHECK(p.value(0, 0) == Approx(theta1 - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8)).epsilon(1e-13));
}

TEST_CASE("Adam counts steps, not parameters: two parameters step like one each", "[ch06][ch06.4]") {
    Param a(nn_test::scalar(1.0)), b(nn_test::scalar(2.0)), a_alone(nn_test::scalar(1.0)),
        b_alone(nn_test::scalar(2.0));
    nn::Adam both(0.1), only_a(0.1), only_b(0.1);
    for (const double g : {0.5, -1.0, 2.0}) {
        a.gradient.fill(g), a_alone.gradient.fill(g);
        b.gradient.fill(3 * g), b_alone.gradient.fill(3 * g);
        both.step({{"a", &a.value, &a.gradient}, {"b", &b.value, &b.gradient}});
        only_a.step(a_alone.list());
        only_b.step(b_alone.list());
    }
    CHECK(both.t == 3);
    CHECK_THAT(a.value, EqualsMatrix(a_alone.value, 1e-15));
    CHECK_THAT(b.value, EqualsMatrix(b_alone.value, 1e-15));
}

TEST_CASE("Adam converges on a convex quadratic", "[ch06][ch06.4]") {
    nn::Adam adam(0.05);
    // Adam's steps stay about lr long until the moments settle; 2000 steps
    // bring it within 1e-4 here.
    CHECK(distance_after(adam, 2000) < 1e-4);
}

// ---------------------------------------------------------------- ch06.5

TEST_CASE("inverse_time_decay is lr0 / (1 + k t)", "[ch06][ch06.5]") {
    CHECK(nn::inverse_time_decay(0.2, 0.5, 0) == Approx(0.2).epsilon(1e-15));
    CHECK(nn::inverse_time_decay(0.2, 0.5, 1) == Approx(0.2 / 1.5).epsilon(1e-15));
    CHECK(nn::inverse_time_decay(0.2, 0.5, 10) == Approx(0.2 / 6.0).epsilon(1e-15));
    CHECK(nn::inverse_time_decay(0.2, 0.0, 100) == Approx(0.2).epsilon(1e-15));
}

// ---------------------------------------------------------------- ch06.6

TEST_CASE("step_decay multiplies by the factor every few epochs", "[ch06][ch06.6]") {
    const std::vector<double> expected = {1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125};
    for (int epoch = 0; epoch < 7; ++epoch) {
        INFO("epoch " << epoch);
        CHECK(nn::step_decay(1.0, 0.5, 2, epoch) == Approx(expected[epoch]).epsilon(1e-15));
    }
    CHECK(nn::step_decay(0.3, 0.1, 1, 2) == Approx(0.003).epsilon(1e-14));
    CHECK_THROWS_AS(nn::step_decay(1.0, 0.5, 0, 3), std::invalid_argument);
}

// ---------------------------------------------------------------- ch06.7

TEST_CASE("RMSProp's first step is lr / sqrt(1 - rho) against the sign, small gradients too", "[ch06][ch06.7]") {
    // t = 1: s = 0.1 g^2, sqrt(s) = sqrt(0.1) |g|; step = lr g / (sqrt(0.1) |g| + eps),
    // about 0.0316 for lr = 0.01 whatever |g|. For g = 1e-3 epsilon moves the
    // step by 3e-5 of itself: sqrt(s + eps) instead would shorten it by about 5%.
    Param p(arma::mat{{1.0, 1.0, 1.0}});
    p.gradient = {{0.5, -2.0, 1e-3}};
    nn::RmsProp rmsprop(0.01);
    rmsprop.step(p.list());
    const double root = std::sqrt(0.1);
    const arma::mat expected = {{1.0 - 0.01 * 0.5 / (root * 0.5 + 1e-8), 1.0 + 0.01 * 2.0 / (root * 2.0 + 1e-8),
                                 1.0 - 0.01 * 1e-3 / (root * 1e-3 + 1e-8)}};
    CHECK_THAT(p.value, EqualsMatrix(expected, 1e-15));
}

TEST_CASE("RMSProp's two steps by hand", "[ch06][ch06.7]") {
    // rho = 0.9, lr = 0.1, eps = 1e-8, theta0 = 1, g1 = 2, g2 = 1.
    // Step 1: s = 0.1 * 4 = 0.4,              theta1 = 1 - 0.1 * 2 / sqrt(0.4) = 0.68377...
    // Step 2: s = 0.9 * 0.4 + 0.1 * 1 = 0.46, theta2 = theta1 - 0.1 * 1 / sqrt(0.46) = 0.53633...
    Param p(nn_test::scalar(1.0));
    nn::RmsProp rmsprop(0.1, 0.9);
    p.gradient.fill(2.0);
    rmsprop.step(p.list());
    const double theta1 = 1.0 - 0.1 * 2.0 / (std::sqrt(0.4) + 1e-8);
    CHECK(p.value(0, 0) == Approx(theta1).epsilon(1e-14));
    p.gradient.fill(1.0);
    rmsprop.step(p.list());
    CHECK(p.value(0, 0) == Approx(theta1 - 0.1 * 1.0 / (std::sqrt(0.46) + 1e-8)).epsilon(1e-14));
    CHECK(rmsprop.mean_square.at(0)(0, 0) == Approx(0.46).epsilon(1e-14));
}

TEST_CASE("RMSProp keeps one average per parameter and refuses a changed parameter list", "[ch06][ch06.7]") {
    Param a(arma::mat(2, 3, arma::fill::ones)), b(arma::mat(4, 1, arma::fill::ones));
    a.gradient.fill(1.0);
    b.gradient.fill(-3.0);
    nn::RmsProp rmsprop(0.1, 0.5);
    rmsprop.step({{"a", &a.value, &a.gradient}, {"b", &b.value, &b.gradient}});
    // Zero state at the first step: s = 0.5 g^2, so a's is 0.5 and b's 4.5.
    REQUIRE(rmsprop.mean_square.size() == 2);
    CHECK_THAT(rmsprop.mean_square[0], EqualsMatrix(arma::mat(2, 3, arma::fill::value(0.5)), 1e-15));
    CHECK_THAT(rmsprop.mean_square[1], EqualsMatrix(arma::mat(4, 1, arma::fill::value(4.5)), 1e-15));
    CHECK_THROWS_AS(rmsprop.step(a.list()), std::logic_error);
}

// ---------------------------------------------------------------- ch06.8

TEST_CASE("Adagrad's three steps by hand", "[ch06][ch06.8]") {
    // lr = 0.1, eps = 1e-10, theta0 = 1, gradients 3, 4, 12:
    // G = 9, 25, 169, whose roots are 3, 5, 13; the steps are 0.1 * 3/3,
    // 0.1 * 4/5, 0.1 * 12/13: theta = 0.9, 0.82, 0.72769...
    Param p(nn_test::scalar(1.0));
    nn::Adagrad adagrad(0.1);
    double expected = 1.0;
    for (const auto& [g, root] : {std::pair{3.0, 3.0}, std::pair{4.0, 5.0}, std::pair{12.0, 13.0}}) {
        p.gradient.fill(g);
        adagrad.step(p.list());
        expected -= 0.1 * g / (root + 1e-10);
        INFO("gradient " << g);
        CHECK(p.value(0, 0) == Approx(expected).epsilon(1e-14));
    }
    CHECK(adagrad.sum_of_squares.at(0)(0, 0) == Approx(169.0).epsilon(1e-15));
}

TEST_CASE("Adagrad's steps shrink like lr / sqrt(t) under a constant gradient", "[ch06][ch06.8]") {
    // G = t g^2 after t steps, so step t is lr g / (sqrt(t) |g| + eps), about
    // lr / sqrt(t) for any g: 0.1, 0.0707, 0.0577, 0.05.
    Param p(arma::mat{{1.0, 1.0}});
    p.gradient = {{2.0, -0.01}};
    nn::Adagrad adagrad(0.1);
    arma::mat expected = p.value;
    for (int t = 1; t <= 4; ++t) {
        adagrad.step(p.list());
        const double root = std::sqrt(static_cast<double>(t));
        expected -= arma::mat{{0.1 * 2.0 / (root * 2.0 + 1e-10), -0.1 * 0.01 / (root * 0.01 + 1e-10)}};
        INFO("step " << t);
        CHECK_THAT(p.value, EqualsMatrix(expected, 1e-14));
    }
}

TEST_CASE("Adagrad keeps one sum per parameter and refuses a changed parameter list", "[ch06][ch06.8]") {
    Param a(arma::mat(2, 2, arma::fill::zeros)), b(arma::mat(3, 1, arma::fill::zeros));
    a.gradient.fill(3.0);
    b.gradient.fill(4.0);
    nn::Adagrad adagrad(0.1);
    for (int step = 0; step < 2; ++step) adagrad.step({{"a", &a.value, &a.gradient}, {"b", &b.value, &b.gradient}});
    // Zero state at the first step, then 2 g^2 after two: 18 and 32.
    REQUIRE(adagrad.sum_of_squares.size() == 2);
    CHECK_THAT(adagrad.sum_of_squares[0], EqualsMatrix(arma::mat(2, 2, arma::fill::value(18.0)), 1e-15));
    CHECK_THAT(adagrad.sum_of_squares[1], EqualsMatrix(arma::mat(3, 1, arma::fill::value(32.0)), 1e-15));
    CHECK_THROWS_AS(adagrad.step(b.list()), std::logic_error);
}

// ---------------------------------------------------------------- ch06.9

namespace {

// A weight matrix and a bias named as a Dense layer in a network names them.
struct DenseParams {
    Param weights, bias;
    DenseParams(const arma::mat& w, const arma::mat& b) : weights(w), bias(b) {}
    std::vector<nn::Parameter> list() {
        return {{"dense1.weights", &weights.value, &weights.gradient}, {"dense1.bias", &bias.value, &bias.gradient}};
    }
};

}  // namespace

TEST_CASE("AdamW's first step is Adam's plus lr * lambda * theta on the weights only", "[ch06][ch06.9]") {
    // lr = 0.1, lambda = 0.1, all gradients 0.5. Adam's part at t = 1 is
    // lr * g / (|g| + eps) = 0.1 (up to 2e-9); the decay lr * lambda * theta
    // is 0.02 for theta = 2 and -0.01 for theta = -1; the bias is not decayed.
    DenseParams layer(arma::mat{{2.0, -1.0}}, nn_test::scalar(2.0));
    layer.weights.gradient.fill(0.5);
    layer.bias.gradient.fill(0.5);
    nn::AdamW adamw(0.1, 0.1);
    adamw.step(layer.list());
    const double adam_part = 0.1 * 0.5 / (0.5 + 1e-8);
    CHECK_THAT(layer.weights.value, EqualsMatrix(arma::mat{{2.0 - adam_part - 0.02, -1.0 - adam_part + 0.01}}, 1e-15));
    CHECK_THAT(layer.bias.value, EqualsMatrix(nn_test::scalar(2.0 - adam_part), 1e-15));
    CHECK(adamw.t == 1);
}

TEST_CASE("AdamW's decay is decoupled: it differs from Adam with L2 in the loss by lr * lambda * theta",
          "[ch06][ch06.9]") {
    // L2 in the loss (lambda/2 |theta|^2) adds lambda * theta = 0.2 to the
    // gradient 0.5. Adam normalises the sum: its first step is lr * 0.7 / (0.7 + eps),
    // 0.1 again, and theta = 1.9; the decay has vanished. AdamW's is
    // 0.1 + lr * lambda * theta = 0.12, and theta = 1.88: 0.02 further.
    DenseParams layer(nn_test::scalar(2.0), nn_test::scalar(0.0));
    layer.weights.gradient.fill(0.5);
    nn::AdamW adamw(0.1, 0.1);
    adamw.step(layer.list());
    const double with_l2 = 2.0 - 0.1 * 0.7 / (0.7 + 1e-8);
    const double decoupled = 2.0 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 * 0.1 * 2.0;
    CHECK(layer.weights.value(0, 0) == Approx(decoupled).epsilon(1e-15));
    // 1e-6: the two epsilons make the Adam parts differ by 6e-10.
    CHECK(with_l2 - layer.weights.value(0, 0) == Approx(0.02).epsilon(1e-6));
}

TEST_CASE("AdamW with a zero gradient only shrinks the weights, by 1 - lr * lambda per step", "[ch06][ch06.9]") {
    // g = 0 keeps m = v = 0, so Adam's part is 0 / (0 + eps) = 0. The weights
    // shrink by 1 - 0.1 * 0.1 = 0.99 per step: 2 * 0.99^3 = 1.940598 after
    // three. The bias stays at 2. (Adam with L2 would step by about lr = 0.1
    // each time: the gradient lambda * theta, however small, is normalised.)
    DenseParams layer(nn_test::scalar(2.0), nn_test::scalar(2.0));
    nn::AdamW adamw(0.1, 0.1);
    for (int step = 0; step < 3; ++step) adamw.step(layer.list());
    CHECK(layer.weights.value(0, 0) == Approx(1.940598).epsilon(1e-14));
    CHECK(layer.bias.value(0, 0) == Approx(2.0).epsilon(1e-15));
}

TEST_CASE("AdamW's second step by hand decays the weights of before the step", "[ch06][ch06.9]") {
    // lr = 0.1, lambda = 0.1, theta0 = 1, g1 = 1, g2 = 3; the moments are
    // those of Adam's second-step test: m_hat = 0.39 / 0.19, v_hat = 0.009999 / 0.001999.
    // theta1 = 1 - 0.1 / (1 + eps) - 0.01 * 1 = 0.89
    // theta2 = theta1 - 0.1 * m_hat / (sqrt(v_hat) + eps) - 0.01 * theta1
    DenseParams layer(nn_test::scalar(1.0), nn_test::scalar(0.0));
    nn::AdamW adamw(0.1, 0.1);
    layer.weights.gradient.fill(1.0);
    adamw.step(layer.list());
    const double theta1 = 1.0 - 0.1 / (1.0 + 1e-8) - 0.01;
    CHECK(layer.weights.value(0, 0) == Approx(theta1).epsilon(1e-14));
    layer.weights.gradient.fill(3.0);
    adamw.step(layer.list());
    const double m_hat = 0.39 / (1.0 - 0.81), v_hat = 0.009999 / (1.0 - 0.998001);
    CHECK(layer.weights.value(0, 0) ==
          Approx(theta1 - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8) - 0.01 * theta1).epsilon(1e-13));
}

TEST_CASE("AdamW keeps two moments per parameter and refuses a changed parameter list", "[ch06][ch06.9]") {
    DenseParams layer(arma::mat(3, 2, arma::fill::ones), arma::mat(3, 1, arma::fill::ones));
    layer.weights.gradient.fill(2.0);
    layer.bias.gradient.fill(-1.0);
    nn::AdamW adamw(0.1);
    adamw.step(layer.list());
    // Zero state at the first step: m = 0.1 g, v = 0.001 g^2.
    CHECK(adamw.t == 1);
    REQUIRE(adamw.first_moment.size() == 2);
    REQUIRE(adamw.second_moment.size() == 2);
    CHECK_THAT(adamw.first_moment[0], EqualsMatrix(arma::mat(3, 2, arma::fill::value(0.2)), 1e-15));
    CHECK_THAT(adamw.second_moment[1], EqualsMatrix(arma::mat(3, 1, arma::fill::value(0.001)), 1e-15));
    CHECK_THROWS_AS(adamw.step(layer.weights.list()), std::logic_error);
}

// ---------------------------------------------------------------- ch06.10

namespace {

// Two dense layers' parameters, named as Sequential::parameters() names them:
// weights 2 x 3 and 1 x 2 (their squares sum to 1 + 4 + 0 + 9 + 0.25 + 1 and
// 4 + 1, 20.25 in all), biases 2 x 1 and 1 x 1, large on purpose.
struct TwoLayers {
    Param w1{arma::mat{{1.0, -2.0, 0.0}, {3.0, 0.5, -1.0}}}, b1{arma::mat(arma::vec{10.0, -20.0})};
    Param w2{arma::mat{{2.0, -1.0}}}, b2{nn_test::scalar(30.0)};
    std::vector<nn::Parameter> list() {
        return {{"dense1.weights", &w1.value, &w1.gradient},
                {"dense1.bias", &b1.value, &b1.gradient},
                {"dense2.weights", &w2.value, &w2.gradient},
                {"dense2.bias", &b2.value, &b2.gradient}};
    }
};

}  // namespace

TEST_CASE("l2_penalty is lambda/2 times the sum of squared weights of every layer", "[ch06][ch06.10]") {
    // 0.1 / 2 * 20.25 = 1.0125; the biases' squares (1400 in all) do not count.
    TwoLayers net;
    CHECK(nn::l2_penalty(net.list(), 0.1) == Approx(1.0125).epsilon(1e-15));
    // One weight of 3 alone: 0.5 * 3^2 = 4.5 for lambda 1 (lambda * 9 = 9 would miss the half).
    Param w(nn_test::scalar(3.0));
    CHECK(nn::l2_penalty({{"weights", &w.value, &w.gradient}}, 1.0) == Approx(4.5).epsilon(1e-15));
}

TEST_CASE("l2_penalty leaves biases out, is 0 for lambda 0 and changes nothing", "[ch06][ch06.10]") {
    TwoLayers net;
    const std::vector<nn::Parameter> all = net.list();
    CHECK(nn::l2_penalty({all[1], all[3]}, 0.1) == Approx(0.0).margin(1e-15));  // biases only
    CHECK(nn::l2_penalty(all, 0.0) == Approx(0.0).margin(1e-15));
    CHECK(nn::l2_penalty({}, 0.1) == Approx(0.0).margin(1e-15));
    CHECK_THAT(net.w1.value, EqualsMatrix(TwoLayers().w1.value, 0.0));
    CHECK_THAT(net.b2.value, EqualsMatrix(nn_test::scalar(30.0), 0.0));
    CHECK_THAT(net.w1.gradient, EqualsMatrix(arma::mat(2, 3, arma::fill::zeros), 0.0));
}

// ---------------------------------------------------------------- ch06.11

TEST_CASE("add_l2_gradient adds lambda * W to the weights' gradients, by hand", "[ch06][ch06.11]") {
    // lambda = 0.1 on gradients of 0.5: w1 (1, -2, 0; 3, 0.5, -1) gives
    // 0.6, 0.3, 0.5; 0.8, 0.55, 0.4 and w2 (2, -1) gives 0.7, 0.4.
    TwoLayers net;
    for (Param* p : {&net.w1, &net.b1, &net.w2, &net.b2}) p->gradient.fill(0.5);
    nn::add_l2_gradient(net.list(), 0.1);
    CHECK_THAT(net.w1.gradient, EqualsMatrix(arma::mat{{0.6, 0.3, 0.5}, {0.8, 0.55, 0.4}}, 1e-15));
    CHECK_THAT(net.w2.gradient, EqualsMatrix(arma::mat{{0.7, 0.4}}, 1e-15));
    INFO("the biases' gradients stay 0.5: biases are not decayed");
    CHECK_THAT(net.b1.gradient, EqualsMatrix(arma::mat(2, 1, arma::fill::value(0.5)), 0.0));
    CHECK_THAT(net.b2.gradient, EqualsMatrix(nn_test::scalar(0.5), 0.0));
}

TEST_CASE("add_l2_gradient is the gradient of l2_penalty: central differences", "[ch06][ch06.11]") {
    // The penalty is quadratic, so central differences are exact up to
    // rounding (about 1e-11 here): 1e-7 relative is the usual gradient check.
    TwoLayers net;
    const double lambda = 0.3;
    nn::add_l2_gradient(net.list(), lambda);  // the gradients start at zero
    for (Param* p : {&net.w1, &net.w2}) {
        const arma::mat saved = p->value;
        const arma::mat numerical = nn_test::central_differences(
            [&](const arma::mat& x) {
                p->value = x;
                return nn::l2_penalty(net.list(), lambda);
            },
            saved);
        p->value = saved;
        CHECK_THAT(p->gradient, EqualsMatrix(numerical, 1e-12, 1e-7));
    }
}

TEST_CASE("add_l2_gradient leaves the values and the biases alone, and lambda 0 changes nothing", "[ch06][ch06.11]") {
    TwoLayers net, before;
    net.w1.gradient = {{0.1, -0.2, 0.3}, {0.0, 1.0, -1.0}};
    before.w1.gradient = net.w1.gradient;
    nn::add_l2_gradient(net.list(), 0.0);
    CHECK_THAT(net.w1.gradient, EqualsMatrix(before.w1.gradient, 0.0));
    CHECK_THAT(net.w2.gradient, EqualsMatrix(before.w2.gradient, 0.0));
    nn::add_l2_gradient(net.list(), 0.5);
    INFO("the penalty's gradient goes into the gradients; the optimiser changes the values");
    CHECK_THAT(net.w1.value, EqualsMatrix(before.w1.value, 0.0));
    CHECK_THAT(net.w2.value, EqualsMatrix(before.w2.value, 0.0));
    CHECK_THAT(net.b1.value, EqualsMatrix(before.b1.value, 0.0));
    CHECK_THAT(net.b1.gradient, EqualsMatrix(before.b1.gradient, 0.0));
    CHECK_THAT(net.b2.gradient, EqualsMatrix(before.b2.gradient, 0.0));
}

TEST_CASE("add_l2_gradient then an SGD step is weight decay: (1 - lr lambda) W - lr g", "[ch06][ch06.11]") {
    // lr = 0.1, lambda = 0.5: W = 2, g = 0.4 becomes 2 - 0.1 * (0.4 + 1) = 1.86
    // = (1 - 0.05) * 2 - 0.04, shrunk by 5% before the gradient step.
    Param w(nn_test::scalar(2.0));
    w.gradient.fill(0.4);
    const std::vector<nn::Parameter> list = {{"dense1.weights", &w.value, &w.gradient}};
    nn::add_l2_gradient(list, 0.5);
    for (const nn::Parameter& p : list) *p.value -= 0.1 * *p.gradient;  // plain SGD, written out
    CHECK(w.value(0, 0) == Approx(1.86).epsilon(1e-15));
}

// ---------------------------------------------------------------- provided

TEST_CASE("make_optimizer knows the seven optimisers by name", "[ch06][provided]") {
    for (const std::string name : {"sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "adamw"})
        CHECK(nn::make_optimizer(name, 0.1)->name() == name);
    CHECK(nn::make_optimizer("nesterov", 0.1)->learning_rate == 0.1);
    CHECK_THROWS_AS(nn::make_optimizer("lion", 0.1), std::invalid_argument);
}

TEST_CASE("optimiser state refuses a changed parameter list", "[ch06][provided]") {
    std::vector<arma::mat> state;
    Param a(arma::mat(2, 2, arma::fill::zeros)), b(arma::mat(3, 1, arma::fill::zeros));
    nn::prepare_state(state, a.list());
    CHECK(state.size() == 1);
    CHECK_THROWS_AS(nn::prepare_state(state, b.list()), std::logic_error);
}
