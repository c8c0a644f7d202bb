// Chapter 4 tests: the layer stack, numerical gradients, relative error and
// gradient checks. Run one task with
//   build/release/bin/tests_course "[ch04.5]"     (or ./course check 4)

#include <cmath>
#include <string>
#include <vector>

#include "nn/layers.hpp"
#include "nn/network.hpp"
#include "test_support.hpp"

namespace {

// A layer that records the order in which forward and backward reach it and
// otherwise passes its input through, scaled by its factor.
class SpyLayer : public nn::Layer {
public:
    SpyLayer(std::string id, double factor, std::vector<std::string>& log)
        : id_(std::move(id)), factor_(factor), log_(log) {}
    arma::mat forward(const arma::mat& input) override {
        log_.push_back("forward " + id_);
        return factor_ * input;
    }
    arma::mat backward(const arma::mat& g) override {
        log_.push_back("backward " + id_);
        return factor_ * g;
    }
    std::string kind() const override { return "spy"; }

private:
    std::string id_;
    double factor_;
    std::vector<std::string>& log_;
};

// A dense layer whose backward pass forgets to transpose W for dL/dX (square
// layers only, so the shapes still fit and nothing else notices).
class UntransposedDense : public nn::Dense {
public:
    using nn::Dense::Dense;
    arma::mat backward(const arma::mat& g) override {
        nn::Dense::backward(g);
        return weights * g;
    }
};

nn::Dense& add_dense(nn::Sequential& net, const arma::mat& w, const arma::mat& b) {
    auto& layer = net.add(std::make_unique<nn::Dense>(w.n_cols, w.n_rows));
    layer.weights = w;
    layer.bias = b;
    return layer;
}

// Random network of random shapes with the given activation, plus inputs
// whose pre-activations keep clear of ReLU's kink.
nn::Sequential random_network(const std::string& activation, arma::mat& inputs, arma::uvec& labels) {
    const arma::uword d = 3 + arma::randi<arma::uword>(arma::distr_param(0, 5));
    const arma::uword h1 = 3 + arma::randi<arma::uword>(arma::distr_param(0, 6));
    const arma::uword h2 = 3 + arma::randi<arma::uword>(arma::distr_param(0, 6));
    const arma::uword k = 2 + arma::randi<arma::uword>(arma::distr_param(0, 4));
    const arma::uword b = 2 + arma::randi<arma::uword>(arma::distr_param(0, 5));
    nn::Sequential net;
    for (const auto& [in, out] : std::vector<std::pair<arma::uword, arma::uword>>{{d, h1}, {h1, h2}, {h2, k}}) {
        add_dense(net, arma::randn(out, in) / std::sqrt(double(in)), 0.1 * arma::randn(out, 1));
        if (out != k) net.add(nn::make_activation(activation));
    }
    inputs = arma::randn(d, b);
    labels = arma::randi<arma::uvec>(b, arma::distr_param(0, int(k) - 1));
    return net;
}

// Smallest |pre-activation| of any ReLU layer for the current inputs.
double distance_to_kink(nn::Sequential& net, const arma::mat& inputs) {
    net.forward(inputs);
    double closest = arma::datum::inf;
    for (std::size_t i = 0; i < net.size(); ++i)
        if (auto* relu = dynamic_cast<nn::ReLU*>(&net.layer(i)))
            closest = std::min(closest, arma::abs(relu->input()).min());
    return closest;
}

}  // namespace

// ---------------------------------------------------------------- ch04.1

TEST_CASE("Sequential::forward applies the layers in order", "[ch04][ch04.1]") {
    nn::Sequential net;
    add_dense(net, nn_test::scalar(2.0), nn_test::scalar(1.0));   // x -> 2x + 1
    add_dense(net, nn_test::scalar(3.0), nn_test::scalar(-1.0));  // y -> 3y - 1
    // 5 -> 11 -> 32 (the other order would give 5 -> 14 -> 29).
    CHECK_THAT(net.forward(nn_test::scalar(5.0)), EqualsMatrix(nn_test::scalar(32.0), 1e-12));
}

TEST_CASE("Sequential::forward visits each layer once, first to last", "[ch04][ch04.1]") {
    std::vector<std::string> log;
    nn::Sequential net;
    net.add(std::make_unique<SpyLayer>("a", 2.0, log));
    net.add(std::make_unique<SpyLayer>("b", 3.0, log));
    CHECK_THAT(net.forward(arma::mat{{1.0, 2.0}}), EqualsMatrix(arma::mat{{6.0, 12.0}}, 0.0));
    CHECK(log == std::vector<std::string>{"forward a", "forward b"});
}

TEST_CASE("Sequential::forward of an empty network returns its input", "[ch04][ch04.1]") {
    nn::Sequential net;
    CHECK_THAT(net.forward(arma::mat{{1.0, 2.0}}), EqualsMatrix(arma::mat{{1.0, 2.0}}, 0.0));
}

// ---------------------------------------------------------------- ch04.2

TEST_CASE("Sequential::backward visits each layer once, last to first", "[ch04][ch04.2]") {
    std::vector<std::string> log;
    nn::Sequential net;
    net.add(std::make_unique<SpyLayer>("a", 2.0, log));
    net.add(std::make_unique<SpyLayer>("b", 3.0, log));
    net.forward(nn_test::scalar(1.0));
    CHECK_THAT(net.backward(nn_test::scalar(1.0)), EqualsMatrix(nn_test::scalar(6.0), 0.0));
    CHECK(log == std::vector<std::string>{"forward a", "forward b", "backward b", "backward a"});
}

TEST_CASE("Sequential::backward chains the layer gradients: dX = W1^T W2^T G", "[ch04][ch04.2]") {
    NN_TEST_SEED(42);
    nn::Sequential net;
    const arma::mat w1 = arma::randn(4, 3), w2 = arma::randn(2, 4);
    add_dense(net, w1, arma::zeros(4, 1));
    add_dense(net, w2, arma::zeros(2, 1));
    const arma::mat x = arma::randn(3, 5), g = arma::randn(2, 5);
    net.forward(x);
    CHECK_THAT(net.backward(g), EqualsMatrix(w1.t() * w2.t() * g, 1e-12));
    const auto params = net.parameters();
    REQUIRE(params.size() == 4);
    CHECK(params[0].name == "dense1.weights");
    CHECK(params[3].name == "dense2.bias");
    CHECK_THAT(*params[0].gradient, EqualsMatrix(w2.t() * g * x.t(), 1e-12));
    CHECK_THAT(*params[2].gradient, EqualsMatrix(g * (w1 * x).t(), 1e-12));
}

// ---------------------------------------------------------------- ch04.3

TEST_CASE("numerical_gradient of sum(x^3) is 3 x^2 to O(h^2)", "[ch04][ch04.3]") {
    NN_TEST_SEED(43);
    arma::mat x = arma::randn(4, 3);
    const auto f = [&] { return arma::accu(arma::pow(x, 3)); };
    // The central-difference error of x^3 is exactly h^2 per element: 1e-10 for h = 1e-5.
    CHECK_THAT(nn::numerical_gradient(f, x, 1e-5), EqualsMatrix(3.0 * arma::square(x), 1e-8));
    // With h = 0.1 the error h^2 = 0.01 shows: the step is honoured.
    CHECK_THAT(nn::numerical_gradient(f, x, 0.1), EqualsMatrix(3.0 * arma::square(x) + 0.01, 1e-9));
}

TEST_CASE("numerical_gradient leaves x exactly as it was", "[ch04][ch04.3]") {
    NN_TEST_SEED(44);
    arma::mat x = arma::randn(5, 2);
    const arma::mat before = x;
    int calls = 0;
    const auto f = [&] {
        ++calls;
        return arma::accu(arma::sin(x));
    };
    const arma::mat g = nn::numerical_gradient(f, x);
    CHECK_THAT(x, EqualsMatrix(before, 0.0));
    CHECK(calls == 20);  // two evaluations per element
    CHECK_THAT(g, EqualsMatrix(arma::cos(before), 1e-9));
}

// ---------------------------------------------------------------- ch04.4

TEST_CASE("relative_error is max |a - n| / max(1e-8, |a| + |n|) and says where", "[ch04][ch04.4]") {
    const arma::mat a = {{1.0, 2.0},  //
                         {0.0, -1.0}};
    const arma::mat n = {{1.0, 2.2},  //
                         {0.0, 1.0}};
    // errors: 0, 0.2/4.2, 0, 2/2 = 1 at (1, 1)
    const nn::RelativeError e = nn::relative_error(a, n);
    CHECK(e.value == Approx(1.0).epsilon(1e-15));
    CHECK(e.row == 1);
    CHECK(e.col == 1);
}

TEST_CASE("relative_error gives the row and column of the worst element of a non-square matrix", "[ch04][ch04.4]") {
    const arma::mat a = {{1.0, 1.0, 1.0},  //
                         {1.0, 1.0, 1.0}};
    const arma::mat n = {{1.0, 1.0, 3.0},  //
                         {1.5, 1.0, 1.0}};
    // errors: 0.5 / 2.5 = 0.2 at (1, 0), 2 / 4 = 0.5 at (0, 2): linear index 4 in column-major order.
    const nn::RelativeError e = nn::relative_error(a, n);
    CHECK(e.value == Approx(0.5).epsilon(1e-15));
    CHECK(e.row == 0);
    CHECK(e.col == 2);
}

TEST_CASE("relative_error of tiny gradients uses the 1e-8 floor", "[ch04][ch04.4]") {
    const nn::RelativeError e = nn::relative_error(arma::mat{{1e-12, 0.0}}, arma::mat{{0.0, 0.0}});
    CHECK(e.value == Approx(1e-4).epsilon(1e-12));  // 1e-12 / 1e-8
    CHECK(e.col == 0);
}

TEST_CASE("relative_error rejects different shapes", "[ch04][ch04.4]") {
    CHECK_THROWS_AS(nn::relative_error(arma::mat(2, 3), arma::mat(3, 2)), std::invalid_argument);
}

// ---------------------------------------------------------------- ch04.5

TEST_CASE("gradient_check passes every layer type on random networks and seeds", "[ch04][ch04.5]") {
    for (const std::string activation : {"relu", "sigmoid"}) {
        for (const std::uint64_t seed : {1, 2, 3, 4}) {
            NN_TEST_SEED(seed);
            INFO(activation);
            arma::mat x;
            arma::uvec y;
            nn::Sequential net = random_network(activation, x, y);
            while (activation == "relu" && distance_to_kink(net, x) < 1e-3) net = random_network(activation, x, y);
            INFO(net.describe());
            const auto rows = nn::gradient_check(net, x, y);
            REQUIRE(rows.size() == 7);  // three dense layers' weights and biases, and the input
            CHECK(rows.back().name == "input");
            for (const auto& row : rows) {
                INFO(row.name << ": relative error " << row.error.value << " at (" << row.error.row << ", "
                              << row.error.col << "), analytic " << row.analytic << ", numeric " << row.numeric);
                // Double precision, h = 1e-5: errors are ~1e-9 or less.
                CHECK(row.error.value < 1e-7);
            }
        }
    }
}

TEST_CASE("gradient_check names the parameters in order and restores them", "[ch04][ch04.5]") {
    NN_TEST_SEED(45);
    arma::mat x;
    arma::uvec y;
    nn::Sequential net = random_network("sigmoid", x, y);
    std::vector<arma::mat> before;
    for (const auto& p : net.parameters()) before.push_back(*p.value);
    const auto rows = nn::gradient_check(net, x, y);
    const auto params = net.parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
        CHECK(rows[i].name == params[i].name);
        CHECK_THAT(*params[i].value, EqualsMatrix(before[i], 0.0));
    }
}

TEST_CASE("gradient_check catches a missing transpose in dL/dX", "[ch04][ch04.5]") {
    NN_TEST_SEED(46);
    nn::Sequential net;
    add_dense(net, arma::randn(5, 4), 0.1 * arma::randn(5, 1));
    net.add(nn::make_activation("sigmoid"));
    auto& buggy = net.add(std::make_unique<UntransposedDense>(5, 5));
    buggy.weights = arma::randn(5, 5);
    buggy.bias = 0.1 * arma::randn(5, 1);
    net.add(nn::make_activation("sigmoid"));
    add_dense(net, arma::randn(3, 5), 0.1 * arma::randn(3, 1));
    const auto rows = nn::gradient_check(net, arma::randn(4, 6), arma::uvec{0, 1, 2, 0, 1, 2});
    // Everything below the buggy layer gets a wrong gradient; everything above is right.
    for (const auto& row : rows) {
        INFO(row.name << ": " << row.error.value);
        const bool below = row.name == "dense1.weights" || row.name == "dense1.bias" || row.name == "input";
        CHECK((row.error.value > 1e-3) == below);
    }
}
