// Chapter 5 tests: inverted dropout, the network-wide mode switch and batch
// normalisation. Run one task with
//   build/release/bin/tests_course "[ch05.1]"     (or ./course check 5)

#include <cmath>
#include <string>
#include <vector>

#include "nn/batch_norm.hpp"
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

// ---------------------------------------------------------------- batch normalisation
// Legend: F = features (rows), B = batch size (columns).

namespace {

// A batch norm layer of F = 3 with a scale and shift that are not 1 and 0,
// so that forgetting either shows.
nn::BatchNorm scaled_batch_norm() {
    nn::BatchNorm layer(3);
    layer.gamma = arma::mat{2.0, 0.5, 1.0}.t();
    layer.beta = arma::mat{0.1, -0.3, 0.0}.t();
    return layer;
}

// The batch of the hand calculations below: F = 3 features, B = 4 samples.
const arma::mat hand_batch = {{1.0, 2.0, 3.0, 6.0},  //
                              {4.0, 0.0, 4.0, 0.0},
                              {0.0, 0.0, 0.0, 1e-3}};

}  // namespace

// ---------------------------------------------------------------- ch05.4

TEST_CASE("batch norm in training standardises each feature over the batch: a 3 x 4 batch by hand", "[ch05][ch05.4]") {
    // By hand, row by row (mean over the 4 samples; variance divided by B = 4):
    //   row 0: 1 2 3 6   mean 3       deviations -2 -1 0 3            variance 14/4 = 3.5
    //   row 1: 4 0 4 0   mean 2       deviations 2 -2 2 -2            variance 16/4 = 4
    //   row 2: 0 0 0 1e-3 mean 2.5e-4 deviations -2.5e-4 (x3) 7.5e-4  variance 7.5e-7/4 = 1.875e-7
    nn::BatchNorm layer = scaled_batch_norm();
    const arma::mat y = layer.forward(hand_batch);
    const double eps = 1e-5;
    const arma::vec sigma = {std::sqrt(3.5 + eps), std::sqrt(4.0 + eps), std::sqrt(1.875e-7 + eps)};
    const arma::mat deviations = {{-2.0, -1.0, 0.0, 3.0},  //
                                  {2.0, -2.0, 2.0, -2.0},
                                  {-2.5e-4, -2.5e-4, -2.5e-4, 7.5e-4}};
    arma::mat x_hat = deviations;
    x_hat.each_col() /= sigma;
    const arma::mat expected = {
        {2.0 * x_hat(0, 0) + 0.1, 2.0 * x_hat(0, 1) + 0.1, 2.0 * x_hat(0, 2) + 0.1, 2.0 * x_hat(0, 3) + 0.1},
        {0.5 * x_hat(1, 0) - 0.3, 0.5 * x_hat(1, 1) - 0.3, 0.5 * x_hat(1, 2) - 0.3, 0.5 * x_hat(1, 3) - 0.3},
        {x_hat(2, 0), x_hat(2, 1), x_hat(2, 2), x_hat(2, 3)}};
    // Values of order 1 computed in a few operations: rounding is far below 1e-12.
    CHECK_THAT(y, EqualsMatrix(expected, 1e-12));
    CHECK_THAT(layer.normalized, EqualsMatrix(x_hat, 1e-12));
    CHECK_THAT(layer.std_deviation, EqualsMatrix(sigma, 1e-12));
}

TEST_CASE("batch norm in training gives each feature the mean beta and the spread gamma", "[ch05][ch05.4]") {
    NN_TEST_SEED(541);
    nn::BatchNorm layer(4);
    layer.gamma = arma::mat{1.0, 2.0, 0.5, 3.0}.t();
    layer.beta = arma::mat{0.0, -1.0, 2.0, 0.25}.t();
    // Features of very different location and scale, as a dense layer's outputs can be.
    arma::mat x = arma::randn(4, 64);
    x.row(0) = 1000.0 + 50.0 * x.row(0);
    x.row(1) *= 1e-1;
    x.row(3) = -7.0 + 3.0 * x.row(3);
    const arma::mat y = layer.forward(x);
    const arma::vec mean = arma::mean(y, 1);
    const arma::vec spread = arma::stddev(y, 1, 1);  // divided by B
    for (arma::uword i = 0; i < 4; ++i) {
        INFO("feature " << i);
        CHECK(mean(i) == Approx(layer.beta(i)).margin(1e-9));
        // The spread is gamma sqrt(v / (v + eps)): gamma to within 1e-5 / (2v) relative, below 1e-3 here.
        CHECK(spread(i) == Approx(layer.gamma(i)).epsilon(1e-3));
    }
}

TEST_CASE("batch norm damps a feature whose variance is far below epsilon instead of blowing it up", "[ch05][ch05.4]") {
    // Row 2 of the hand batch has variance 1.875e-7, fifty times below eps = 1e-5:
    // divided by sqrt(v + eps) = 3.19e-3 its largest deviation, 7.5e-4, becomes 0.235. With
    // eps left out, or added outside the root (sqrt(v) + eps = 4.43e-4), it would be 1.7.
    nn::BatchNorm layer(3);
    layer.forward(hand_batch);
    CHECK(layer.normalized(2, 3) == Approx(7.5e-4 / std::sqrt(1.875e-7 + 1e-5)).epsilon(1e-12));
    CHECK(layer.normalized(2, 3) < 0.25);
}

TEST_CASE("batch norm in training mixes the samples of a batch: a sample's output depends on the others",
          "[ch05][ch05.4]") {
    NN_TEST_SEED(542);
    nn::BatchNorm layer(3);
    arma::mat x = arma::randn(3, 5);
    const arma::mat first = layer.forward(x);
    x.col(4) += 10.0;  // change only the last sample
    const arma::mat second = layer.forward(x);
    CHECK(arma::abs(second.col(0) - first.col(0)).max() > 0.1);
}

TEST_CASE("batch norm's running averages after three batches, by hand", "[ch05][ch05.4]") {
    // Momentum 0.1; running mean 0 and running variance 1 at first; the running variance takes
    // the unbiased variance (divided by B - 1). Row 1 is row 0 times 2.
    //   batch [1 2 3 6]  mean 3, unbiased 14/3:  mean 0.3,  variance 0.9 + 14/30     = 1.366666...
    //   batch [0 4]      mean 2, unbiased 8:     mean 0.47, variance 0.9 * 1.36666 + 0.8 = 2.03
    //   batch [-1 1 3]   mean 1, unbiased 4:     mean 0.523, variance 0.9 * 2.03 + 0.4   = 2.227
    // Row 1: means 0.6, 0.94, 1.046; variances 0.9 + 56/30 = 2.766666..., 5.69, 6.721.
    nn::BatchNorm layer(2);
    const std::vector<arma::mat> batches = {
        {{1.0, 2.0, 3.0, 6.0}, {2.0, 4.0, 6.0, 12.0}}, {{0.0, 4.0}, {0.0, 8.0}}, {{-1.0, 1.0, 3.0}, {-2.0, 2.0, 6.0}}};
    const std::vector<arma::mat> means = {arma::mat{0.3, 0.6}.t(), arma::mat{0.47, 0.94}.t(),
                                          arma::mat{0.523, 1.046}.t()};
    const std::vector<arma::mat> variances = {arma::mat{0.9 + 14.0 / 30.0, 0.9 + 56.0 / 30.0}.t(),
                                              arma::mat{2.03, 5.69}.t(), arma::mat{2.227, 6.721}.t()};
    for (std::size_t b = 0; b < batches.size(); ++b) {
        INFO("after batch " << b + 1);
        layer.forward(batches[b]);
        CHECK_THAT(layer.running_mean, EqualsMatrix(means[b], 1e-12));
        CHECK_THAT(layer.running_variance, EqualsMatrix(variances[b], 1e-12));
    }
}

TEST_CASE("batch norm on a batch of one sample gives beta and moves only the running mean", "[ch05][ch05.4]") {
    // B = 1: the mean is the sample itself, the variance 0, x_hat 0, the output beta. The
    // unbiased variance B/(B - 1) v is undefined for one sample: the running variance stays.
    nn::BatchNorm layer(2);
    layer.gamma = arma::mat{2.0, 3.0}.t();
    layer.beta = arma::mat{0.5, -1.0}.t();
    const arma::mat y = layer.forward(arma::mat{3.0, -2.0}.t());
    CHECK_THAT(y, EqualsMatrix(arma::mat{0.5, -1.0}.t(), 0.0));
    CHECK_THAT(layer.normalized, EqualsMatrix(arma::mat(2, 1, arma::fill::zeros), 0.0));
    CHECK_THAT(layer.running_mean, EqualsMatrix(arma::mat{0.3, -0.2}.t(), 1e-15));
    CHECK_THAT(layer.running_variance, EqualsMatrix(arma::mat(2, 1, arma::fill::ones), 0.0));
}

TEST_CASE("batch norm starts as gamma 1, beta 0, running mean 0 and variance 1, and keeps the batch's shape",
          "[ch05][ch05.4]") {
    nn::Sequential net;
    net.add(nn::make_dense(6, 5, "relu"));
    auto& layer = net.add(std::make_unique<nn::BatchNorm>(5));
    net.add(nn::make_activation("relu"));
    CHECK_THAT(layer.gamma, EqualsMatrix(arma::mat(5, 1, arma::fill::ones), 0.0));
    CHECK_THAT(layer.beta, EqualsMatrix(arma::mat(5, 1, arma::fill::zeros), 0.0));
    CHECK_THAT(layer.running_mean, EqualsMatrix(arma::mat(5, 1, arma::fill::zeros), 0.0));
    CHECK_THAT(layer.running_variance, EqualsMatrix(arma::mat(5, 1, arma::fill::ones), 0.0));
    std::vector<std::string> names;
    for (const nn::Parameter& p : net.parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"dense1.weights", "dense1.bias", "batchnorm1.gamma", "batchnorm1.beta"});
    CHECK(net.describe() == "dense(6->5) batchnorm relu");
    CHECK_THROWS_AS(layer.forward(arma::mat(4, 3, arma::fill::ones)), std::invalid_argument);
    CHECK_THROWS_AS(layer.forward(arma::mat(5, 0)), std::invalid_argument);
    const arma::mat y = layer.forward(arma::randn(5, 7));
    CHECK(y.n_rows == 5);
    CHECK(y.n_cols == 7);
    CHECK(layer.normalized.n_rows == 5);
    CHECK(layer.normalized.n_cols == 7);
    CHECK(layer.std_deviation.n_rows == 5);
    CHECK(layer.std_deviation.n_cols == 1);
}

// ---------------------------------------------------------------- ch05.5

namespace {

// A layer with running averages as if trained, in evaluation mode.
nn::BatchNorm trained_batch_norm() {
    nn::BatchNorm layer(2);
    layer.gamma = arma::mat{2.0, 1.0}.t();
    layer.beta = arma::mat{0.0, 0.5}.t();
    layer.running_mean = arma::mat{1.0, -2.0}.t();
    layer.running_variance = arma::mat{4.0, 0.25}.t();
    layer.set_training(false);
    return layer;
}

}  // namespace

TEST_CASE("batch norm in evaluation uses the running averages: a 2 x 3 batch by hand", "[ch05][ch05.5]") {
    // Row 0: (x - 1) / sqrt(4 + eps), times 2. Row 1: (x + 2) / sqrt(0.25 + eps), plus 0.5.
    nn::BatchNorm layer = trained_batch_norm();
    const arma::mat x = {{3.0, 1.0, -1.0},  //
                         {-2.0, -1.5, 0.0}};
    const double s0 = std::sqrt(4.0 + 1e-5), s1 = std::sqrt(0.25 + 1e-5);
    const arma::mat x_hat = {{2.0 / s0, 0.0, -2.0 / s0},  //
                             {0.0, 0.5 / s1, 2.0 / s1}};
    const arma::mat expected = {{4.0 / s0, 0.0, -4.0 / s0},  //
                                {0.5, 0.5 / s1 + 0.5, 2.0 / s1 + 0.5}};
    CHECK_THAT(layer.forward(x), EqualsMatrix(expected, 1e-12));
    CHECK_THAT(layer.normalized, EqualsMatrix(x_hat, 1e-12));
    CHECK_THAT(layer.std_deviation, EqualsMatrix(arma::vec{s0, s1}, 1e-12));
}

TEST_CASE("batch norm in evaluation treats each sample on its own, a batch of one included", "[ch05][ch05.5]") {
    NN_TEST_SEED(551);
    nn::BatchNorm layer = trained_batch_norm();
    const arma::mat x = 3.0 * arma::randn(2, 6);
    const arma::mat batch = layer.forward(x);
    for (arma::uword j = 0; j < x.n_cols; ++j) {
        INFO("sample " << j);
        CHECK_THAT(layer.forward(x.col(j)), EqualsMatrix(batch.col(j), 1e-12));
    }
}

TEST_CASE("batch norm in evaluation leaves the running averages alone", "[ch05][ch05.5]") {
    NN_TEST_SEED(552);
    nn::BatchNorm layer = trained_batch_norm();
    const arma::mat first = layer.forward(arma::randn(2, 8) + 5.0);
    layer.forward(arma::randn(2, 8) - 5.0);
    CHECK_THAT(layer.running_mean, EqualsMatrix(arma::mat{1.0, -2.0}.t(), 0.0));
    CHECK_THAT(layer.running_variance, EqualsMatrix(arma::mat{4.0, 0.25}.t(), 0.0));
}

// ---------------------------------------------------------------- ch05.6

TEST_CASE("batch norm backward agrees with the chain rule through the mean and variance, step by step",
          "[ch05][ch05.6]") {
    // The reference here is the staged backward pass of Ioffe and Szegedy (2015), independent of
    // the compact formula: G_xhat = gamma G; G_v = sum(G_xhat (x - mu)) (-1/2) sigma^-3;
    // G_mu = -sum(G_xhat) / sigma; G_x = G_xhat / sigma + G_v 2 (x - mu) / B + G_mu / B.
    // The layer's forward pass is not used: its cache is set from x directly.
    NN_TEST_SEED(561);
    const arma::uword features = 3, batch = 5;
    const arma::mat x = arma::randn(features, batch) * 2.0 + 1.0;
    const arma::mat g = arma::randn(features, batch);
    nn::BatchNorm layer(features);
    layer.gamma = arma::mat{1.5, -0.5, 3.0}.t();
    const arma::vec mu = arma::mean(x, 1);
    arma::mat centred = x;
    centred.each_col() -= mu;
    const arma::vec sigma = arma::sqrt(arma::mean(arma::square(centred), 1) + 1e-5);
    layer.std_deviation = sigma;
    layer.normalized = centred;
    layer.normalized.each_col() /= sigma;

    arma::mat expected(features, batch);
    for (arma::uword i = 0; i < features; ++i) {
        const arma::rowvec g_xhat = layer.gamma(i) * g.row(i);
        const double g_v = arma::accu(g_xhat % centred.row(i)) * -0.5 * std::pow(sigma(i), -3.0);
        const double g_mu = -arma::accu(g_xhat) / sigma(i);
        expected.row(i) = g_xhat / sigma(i) + g_v * 2.0 * centred.row(i) / batch + g_mu / batch;
    }
    const arma::mat gx = layer.backward(g);
    // Two summation orders of numbers of order 1: rounding is below 1e-12.
    CHECK_THAT(gx, EqualsMatrix(expected, 1e-12));
    CHECK_THAT(layer.beta_gradient, EqualsMatrix(arma::sum(g, 1), 1e-12));
    CHECK_THAT(layer.gamma_gradient, EqualsMatrix(arma::sum(g % layer.normalized, 1), 1e-12));
}

TEST_CASE("batch norm backward matches central differences of one layer in training mode", "[ch05][ch05.6]") {
    NN_TEST_SEED(562);
    nn::BatchNorm layer(4);
    layer.gamma = arma::randn(4, 1) + 1.0;
    layer.beta = arma::randn(4, 1);
    const arma::mat x = arma::randn(4, 6) * 3.0, r = arma::randn(4, 6);
    layer.forward(x);
    const arma::mat analytic = layer.backward(r);  // the gradient of sum(R % Y)
    const arma::mat gamma = layer.gamma, beta = layer.beta;
    const auto loss_of_input = [&](const arma::mat& v) { return arma::accu(r % layer.forward(v)); };
    const auto loss_of_gamma = [&](const arma::mat& v) {
        layer.gamma = v;
        const double loss = arma::accu(r % layer.forward(x));
        layer.gamma = gamma;
        return loss;
    };
    const auto loss_of_beta = [&](const arma::mat& v) {
        layer.beta = v;
        const double loss = arma::accu(r % layer.forward(x));
        layer.beta = beta;
        return loss;
    };
    const arma::mat analytic_gamma = layer.gamma_gradient, analytic_beta = layer.beta_gradient;
    // Central differences with h = 1e-5 of a smooth function of numbers of order 1: error about 1e-10.
    CHECK_THAT(analytic, EqualsMatrix(nn_test::central_differences(loss_of_input, x), 1e-8));
    CHECK_THAT(analytic_gamma, EqualsMatrix(nn_test::central_differences(loss_of_gamma, gamma), 1e-8));
    CHECK_THAT(analytic_beta, EqualsMatrix(nn_test::central_differences(loss_of_beta, beta), 1e-8));
}

namespace {

// dense(6->5) batchnorm tanh dense(5->3), with a scale and shift that are not 1 and 0.
nn::Sequential network_with_batch_norm() {
    nn::Sequential net;
    net.add(nn::make_dense(6, 5, "tanh"));
    auto& layer = net.add(std::make_unique<nn::BatchNorm>(5));
    layer.gamma = 1.0 + 0.5 * arma::randn(5, 1);
    layer.beta = 0.3 * arma::randn(5, 1);
    net.add(nn::make_activation("tanh"));
    net.add(nn::make_dense(5, 3, "tanh"));
    return net;
}

}  // namespace

TEST_CASE("a network with batch norm passes the gradient check in training mode", "[ch05][ch05.6]") {
    NN_TEST_SEED(563);
    nn::Sequential net = network_with_batch_norm();
    const arma::mat x = arma::randn(6, 8);
    const arma::uvec labels = {0, 1, 2, 0, 1, 2, 0, 1};
    for (const auto& row : nn::gradient_check(net, x, labels)) {
        INFO(row.name << ": " << row.error.value << " (analytic " << row.analytic << ", numeric " << row.numeric
                      << ")");
        // dense1.bias: its gradient is 0 (see the next test), and the relative error of two
        // roundings of 0 measures nothing (one rounding of the loss, 1e-16, over 2h is 5e-12: a
        // relative error of 5e-4 against the floor of 1e-8). Every other gradient must match.
        if (row.name == "dense1.bias") {
            CHECK(std::abs(row.analytic) < 1e-12);
            CHECK(std::abs(row.numeric) < 1e-9);
        } else {
            CHECK(row.error.value < 1e-7);
        }
    }
}

TEST_CASE("under batch norm each feature's input gradient sums to 0, so the dense bias below learns nothing",
          "[ch05][ch05.6]") {
    NN_TEST_SEED(564);
    nn::Sequential net = network_with_batch_norm();
    const arma::mat x = arma::randn(6, 8);
    const auto [loss, gradient] = nn::loss_gradient(net.forward(x), arma::uvec{0, 1, 2, 0, 1, 2, 0, 1});
    net.backward(gradient);
    auto& dense = dynamic_cast<nn::Dense&>(net.layer(0));
    // Sums of 8 terms of order 1e-2: rounding leaves about 1e-17.
    CHECK_THAT(dense.bias_gradient, EqualsMatrix(arma::mat(5, 1, arma::fill::zeros), 1e-14));
    CHECK(arma::abs(dense.weights_gradient).max() > 1e-3);  // the weights do learn
}

TEST_CASE("a network with batch norm passes the gradient check in evaluation mode, statistics fixed",
          "[ch05][ch05.6]") {
    NN_TEST_SEED(565);
    nn::Sequential net = network_with_batch_norm();
    auto& layer = dynamic_cast<nn::BatchNorm&>(net.layer(1));
    layer.running_mean = 0.5 * arma::randn(5, 1);
    layer.running_variance = 0.5 + arma::randu(5, 1);
    net.set_training(false);
    for (const auto& row : nn::gradient_check(net, arma::randn(6, 4), arma::uvec{2, 0, 1, 1})) {
        INFO(row.name << ": " << row.error.value);
        CHECK(row.error.value < 1e-7);
    }
}

TEST_CASE("batch norm backward on a batch of one passes no gradient to the input", "[ch05][ch05.6]") {
    // x_hat = 0 and the output is beta whatever x is: dL/dx = 0, dL/dgamma = 0, dL/dbeta = G.
    nn::BatchNorm layer(2);
    layer.gamma = arma::mat{2.0, 3.0}.t();
    layer.normalized = arma::mat(2, 1, arma::fill::zeros);
    layer.std_deviation = arma::mat(2, 1, arma::fill::value(std::sqrt(1e-5)));
    const arma::mat g = arma::mat{0.7, -1.2}.t();
    CHECK_THAT(layer.backward(g), EqualsMatrix(arma::mat(2, 1, arma::fill::zeros), 1e-15));
    CHECK_THAT(layer.gamma_gradient, EqualsMatrix(arma::mat(2, 1, arma::fill::zeros), 0.0));
    CHECK_THAT(layer.beta_gradient, EqualsMatrix(g, 0.0));
}
