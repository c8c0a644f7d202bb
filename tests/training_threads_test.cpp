// How training uses the cores: the split batch gives the serial step's
// numbers (to rounding) and draws the same random numbers; the measurement
// changes nothing; the environment overrides parse strictly.

#include <armadillo>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "nn/batch_norm.hpp"
#include "nn/dropout.hpp"
#include "nn/random.hpp"
#include "nn/training.hpp"
#include "nn/training_threads.hpp"

namespace {

// The largest difference between two matrices relative to their size.
double relative_difference(const arma::mat& a, const arma::mat& b) {
    REQUIRE(arma::size(a) == arma::size(b));
    return arma::abs(a - b).max() / std::max(1e-300, arma::abs(a).max() + arma::abs(b).max());
}

std::vector<arma::mat> gradients_of(nn::Sequential& network) {
    std::vector<arma::mat> all;
    for (const nn::Parameter& p : network.parameters()) all.push_back(*p.gradient);
    return all;
}

std::vector<arma::mat> values_of(nn::Sequential& network) {
    std::vector<arma::mat> all;
    for (const nn::Parameter& p : network.parameters()) all.push_back(*p.value);
    return all;
}

nn::Dataset random_samples(arma::uword inputs, arma::uword samples, arma::uword classes) {
    nn::Dataset data;
    data.images = arma::randu(inputs, samples);
    data.labels = arma::randi<arma::uvec>(samples, arma::distr_param(0, static_cast<int>(classes) - 1));
    return data;
}

// A layer kind the split does not know.
class Doubling : public nn::Layer {
public:
    arma::mat forward(const arma::mat& input) override { return 2.0 * input; }
    arma::mat backward(const arma::mat& output_gradient) override { return 2.0 * output_gradient; }
    std::string kind() const override { return "doubling"; }
};

}  // namespace

TEST_CASE("a split step leaves the serial step's loss and gradients, to rounding", "[infra][threads]") {
    for (const std::string activation : {"relu", "sigmoid"}) {
        for (const arma::uword columns : {2u, 9u, 32u}) {
            nn::set_seed(11, nullptr);
            nn::Sequential network = nn::make_mlp({20, 16, 12, 5}, activation);
            const nn::Dataset data = random_samples(20, columns, 5);
            const double serial_loss = nn::serial_step(network, data.images, data.labels);
            const std::vector<arma::mat> serial = gradients_of(network);

            CHECK(nn::SplitBatchStep::knows_layers(network));
            const auto split = nn::SplitBatchStep::make(network);
            REQUIRE(split);
            const double split_loss = split->step(data.images, data.labels);
            const std::vector<arma::mat> halves = gradients_of(network);
            INFO(activation << ", batch of " << columns);
            CHECK(split_loss == Approx(serial_loss).epsilon(1e-13));
            for (std::size_t p = 0; p < serial.size(); ++p) CHECK(relative_difference(halves[p], serial[p]) < 1e-13);
        }
    }
}

TEST_CASE("a split step with dropout uses the serial step's masks and draws the same random numbers",
          "[infra][threads]") {
    const nn::Dataset data = random_samples(12, 7, 4);
    const auto run = [&](bool split, std::vector<arma::mat>& gradients, arma::mat& first_mask) {
        nn::set_seed(5, nullptr);
        nn::Sequential network = nn::make_mlp({12, 10, 8, 4}, "relu", 0.4);
        std::unique_ptr<nn::SplitBatchStep> splitter;
        if (split) splitter = nn::SplitBatchStep::make(network);
        const double loss =
            split ? splitter->step(data.images, data.labels) : nn::serial_step(network, data.images, data.labels);
        gradients = gradients_of(network);
        first_mask = dynamic_cast<nn::Dropout&>(network.layer(2)).mask;
        const double next_random = arma::randu();
        return std::make_pair(loss, next_random);
    };
    std::vector<arma::mat> serial_gradients, split_gradients;
    arma::mat serial_mask, split_mask;
    const auto [serial_loss, serial_next] = run(false, serial_gradients, serial_mask);
    const auto [split_loss, split_next] = run(true, split_gradients, split_mask);
    CHECK(arma::approx_equal(serial_mask, split_mask, "absdiff", 0.0));
    CHECK(split_next == serial_next);  // the same count of numbers drawn
    CHECK(split_loss == Approx(serial_loss).epsilon(1e-13));
    for (std::size_t p = 0; p < serial_gradients.size(); ++p)
        CHECK(relative_difference(split_gradients[p], serial_gradients[p]) < 1e-13);
}

TEST_CASE("epochs trained on a split batch end where serial ones do, to rounding", "[infra][threads]") {
    // 203 samples at batch 8: the last batch holds 3, and a batch of 1 would
    // take the serial path.
    const nn::Dataset data = random_samples(30, 203, 6);
    const auto train = [&](nn::StepStrategy strategy, std::vector<double>& losses) {
        const nn::ForceTrainingThreads force(strategy);
        nn::set_seed(21, nullptr);
        nn::Sequential network = nn::make_mlp({30, 24, 16, 6}, "relu", 0.2);
        for (int epoch = 0; epoch < 3; ++epoch)
            losses.push_back(nn::minibatch_epoch(network, data, 8, [](const auto& p) { nn::sgd_update(p, 0.05); }));
        return values_of(network);
    };
    std::vector<double> serial_losses, split_losses;
    const std::vector<arma::mat> serial = train(nn::StepStrategy::one_blas_thread, serial_losses);
    const std::vector<arma::mat> split = train(nn::StepStrategy::split_batch, split_losses);
    for (std::size_t e = 0; e < serial_losses.size(); ++e)
        CHECK(split_losses[e] == Approx(serial_losses[e]).epsilon(1e-11));
    for (std::size_t p = 0; p < serial.size(); ++p) CHECK(relative_difference(split[p], serial[p]) < 1e-11);
    CHECK(serial_losses.back() < serial_losses.front());  // it did train
}

TEST_CASE("a network with a layer the split does not know trains serially", "[infra][threads]") {
    nn::set_seed(2, nullptr);
    nn::Sequential network = nn::make_mlp({10, 8, 3}, "relu");
    network.add(std::make_unique<Doubling>());
    CHECK_FALSE(nn::SplitBatchStep::knows_layers(network));
    CHECK_FALSE(nn::SplitBatchStep::make(network));
    const nn::ForceTrainingThreads force(nn::StepStrategy::split_batch);
    const nn::Dataset data = random_samples(10, 40, 3);
    const nn::TrainingStep step(network, data, 8);
    CHECK(step.choice().strategy == nn::StepStrategy::one_blas_thread);
}

namespace {

// dense, batchnorm, relu, twice, then the output layer: the place batch
// normalisation has in chapter 5.
nn::Sequential network_with_batch_norm(const std::vector<arma::uword>& sizes) {
    nn::Sequential network;
    for (std::size_t i = 0; i + 2 < sizes.size(); ++i) {
        network.add(nn::make_dense(sizes[i], sizes[i + 1], "relu"));
        network.add(std::make_unique<nn::BatchNorm>(sizes[i + 1]));
        network.add(nn::make_activation("relu"));
    }
    network.add(nn::make_dense(sizes[sizes.size() - 2], sizes.back(), "relu"));
    return network;
}

std::vector<arma::mat> running_averages_of(nn::Sequential& network) {
    std::vector<arma::mat> all;
    for (std::size_t i = 0; i < network.size(); ++i)
        if (auto* layer = dynamic_cast<nn::BatchNorm*>(&network.layer(i))) {
            all.push_back(layer->running_mean);
            all.push_back(layer->running_variance);
        }
    return all;
}

}  // namespace

TEST_CASE("a network with batch norm is never split, and trains as the serial step does", "[infra][threads]") {
    // Split, each half would be normalised with its own half's statistics: another function.
    const nn::Dataset data = random_samples(30, 203, 6);
    const auto train = [&](nn::StepStrategy strategy, std::vector<double>& losses, std::vector<arma::mat>& statistics) {
        const nn::ForceTrainingThreads force(strategy);
        nn::set_seed(23, nullptr);
        nn::Sequential network = network_with_batch_norm({30, 24, 16, 6});
        CHECK_FALSE(nn::SplitBatchStep::knows_layers(network));
        CHECK_FALSE(nn::SplitBatchStep::make(network));
        CHECK(nn::TrainingStep(network, data, 8).choice().strategy == nn::StepStrategy::one_blas_thread);
        for (int epoch = 0; epoch < 3; ++epoch)
            losses.push_back(nn::minibatch_epoch(network, data, 8, [](const auto& p) { nn::sgd_update(p, 0.05); }));
        statistics = running_averages_of(network);
        return values_of(network);
    };
    std::vector<double> serial_losses, split_losses;
    std::vector<arma::mat> serial_statistics, split_statistics;
    const std::vector<arma::mat> serial = train(nn::StepStrategy::one_blas_thread, serial_losses, serial_statistics);
    const std::vector<arma::mat> split = train(nn::StepStrategy::split_batch, split_losses, split_statistics);
    // Asked to split, it runs the very same serial steps: equal to the last bit.
    for (std::size_t e = 0; e < serial_losses.size(); ++e) CHECK(split_losses[e] == serial_losses[e]);
    for (std::size_t p = 0; p < serial.size(); ++p) CHECK(arma::approx_equal(split[p], serial[p], "absdiff", 0.0));
    for (std::size_t s = 0; s < serial_statistics.size(); ++s)
        CHECK(arma::approx_equal(split_statistics[s], serial_statistics[s], "absdiff", 0.0));
    CHECK(serial_losses.back() < serial_losses.front());  // it did train
}

TEST_CASE("the measurement leaves batch norm's running averages as they were", "[infra][threads]") {
    if (std::getenv("NN_TRAIN_THREADS") || std::getenv("NN_BLAS_THREADS")) {
        WARN("not checked: NN_TRAIN_THREADS or NN_BLAS_THREADS is set and replaces the measurement");
        return;
    }
    const nn::Dataset data = random_samples(36, 64, 7);  // a shape no other test measures
    nn::set_seed(29, nullptr);
    nn::Sequential network = network_with_batch_norm({36, 20, 7});
    auto& layer = dynamic_cast<nn::BatchNorm&>(network.layer(1));
    layer.running_mean = arma::randn(20, 1);
    layer.running_variance = arma::randu(20, 1) + 0.5;
    const std::vector<arma::mat> before = running_averages_of(network);
    const nn::TrainingThreads choice = nn::training_threads(network, data, 16);
    REQUIRE(choice.reason == "measured");  // training steps did run
    const std::vector<arma::mat> after = running_averages_of(network);
    for (std::size_t s = 0; s < before.size(); ++s) CHECK(arma::approx_equal(after[s], before[s], "absdiff", 0.0));
}

TEST_CASE("the measurement times each strategy without changing the network or the random numbers",
          "[infra][threads]") {
    if (std::getenv("NN_TRAIN_THREADS") || std::getenv("NN_BLAS_THREADS")) {
        WARN("not checked: NN_TRAIN_THREADS or NN_BLAS_THREADS is set and replaces the measurement");
        return;
    }
    const nn::Dataset data = random_samples(40, 64, 10);
    nn::set_seed(9, nullptr);
    nn::Sequential network = nn::make_mlp({40, 32, 10}, "relu", 0.3);
    const std::vector<arma::mat> before = values_of(network);
    nn::set_seed(4, nullptr);
    const nn::TrainingThreads choice = nn::training_threads(network, data, 16);
    const double next = arma::randu();
    nn::set_seed(4, nullptr);
    CHECK(arma::randu() == next);  // no random number was drawn
    const std::vector<arma::mat> after = values_of(network);
    for (std::size_t p = 0; p < before.size(); ++p) CHECK(arma::approx_equal(before[p], after[p], "absdiff", 0.0));
    CHECK(dynamic_cast<nn::Dropout&>(network.layer(2)).reuse_mask == false);

    CHECK(choice.reason == "measured");
    const double chosen = choice.step_seconds[static_cast<int>(choice.strategy)];
    CHECK(chosen > 0.0);
    for (const double seconds : choice.step_seconds) CHECK((seconds < 0.0 || chosen <= seconds));
    CHECK(choice.step_seconds[static_cast<int>(nn::StepStrategy::one_blas_thread)] > 0.0);
    CHECK_THAT(choice.describe(), ContainsSubstring("measured per step: one BLAS thread"));
    const nn::TrainingThreads again = nn::training_threads(network, data, 16);  // measured once
    CHECK(again.strategy == choice.strategy);
    CHECK(again.step_seconds[0] == choice.step_seconds[0]);
}

TEST_CASE("NN_TRAIN_THREADS and NN_BLAS_THREADS force a strategy and refuse other values", "[infra][threads]") {
    CHECK_FALSE(nn::forced_training_threads(nullptr, nullptr));
    CHECK_FALSE(nn::forced_training_threads("", ""));
    const auto split = nn::forced_training_threads("split", "0");  // NN_TRAIN_THREADS decides
    REQUIRE(split);
    CHECK(split->strategy == nn::StepStrategy::split_batch);
    CHECK(split->blas_threads == 1);
    CHECK(split->describe() == "split batch, set by NN_TRAIN_THREADS=split");
    CHECK(nn::forced_training_threads("one", nullptr)->strategy == nn::StepStrategy::one_blas_thread);
    CHECK(nn::forced_training_threads("blas", nullptr)->strategy == nn::StepStrategy::all_blas_threads);
    const auto one = nn::forced_training_threads(nullptr, "1");
    REQUIRE(one);
    CHECK(one->strategy == nn::StepStrategy::one_blas_thread);
    const auto library = nn::forced_training_threads(nullptr, "0");
    REQUIRE(library);
    CHECK(library->strategy == nn::StepStrategy::all_blas_threads);
    CHECK(library->blas_threads == 0);
    CHECK(library->describe() == "all BLAS threads (the library's setting), set by NN_BLAS_THREADS=0");
    CHECK(nn::forced_training_threads(nullptr, "2")->blas_threads == 2);
    CHECK_THROWS_AS(nn::forced_training_threads("two", nullptr), std::invalid_argument);
    CHECK_THROWS_AS(nn::forced_training_threads(nullptr, "2x"), std::invalid_argument);
    CHECK_THROWS_AS(nn::forced_training_threads(nullptr, "-1"), std::invalid_argument);
}
