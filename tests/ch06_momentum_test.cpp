// Chapter 6 tests: optimisers and learning-rate schedules. Run one task with
//   build/release/bin/tests_course "[ch06.4]"     (or ./course check 6)
//
// The expected values are worked out by hand in the comments.

#include <cmath>
#include <memory>

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
    const arma::mat expected = {{1.0 - 0.01 * 0.5 / (0.5 + 1e-8), 1.0 + 0.01 * 2.0 / (2.0 + 1e-8),
                                 1.0 - 0.01 * 1e-3 / (1e-3 + 1e-8)}};
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
    Param a(nn_test::scalar(1.0)), b(nn_test::scalar(2.0)), a_alone(nn_test::scalar(1.0)), b_alone(nn_test::scalar(2.0));
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

// ---------------------------------------------------------------- provided

TEST_CASE("make_optimizer knows the four optimisers by name", "[ch06][provided]") {
    CHECK(nn::make_optimizer("sgd", 0.1)->name() == "sgd");
    CHECK(nn::make_optimizer("adam", 0.1)->name() == "adam");
    CHECK(nn::make_optimizer("nesterov", 0.1)->learning_rate == 0.1);
    CHECK_THROWS_AS(nn::make_optimizer("rmsprop", 0.1), std::invalid_argument);
}

TEST_CASE("optimiser state refuses a changed parameter list", "[ch06][provided]") {
    std::vector<arma::mat> state;
    Param a(arma::mat(2, 2, arma::fill::zeros)), b(arma::mat(3, 1, arma::fill::zeros));
    nn::prepare_state(state, a.list());
    CHECK(state.size() == 1);
    CHECK_THROWS_AS(nn::prepare_state(state, b.list()), std::logic_error);
}
