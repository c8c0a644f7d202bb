// The shared command line, the error guard, the seed.

#include <cmath>
#include <sstream>
#include <vector>

#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/random.hpp"
#include "test_support.hpp"

namespace {

// Parses a command line the way a chapter program does.
nn::Options parse(std::vector<std::string> args) {
    nn::Options options;
    CLI::App app{"test"};
    nn::add_data_options(app, options);
    nn::add_training_options(app, options);
    nn::add_sanity_options(app, options);
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
    return options;
}

}  // namespace

TEST_CASE("the shared options parse into Options", "[infra][cli]") {
    const nn::Options o = parse({"--seed", "7", "--epochs", "3", "--learning-rate", "0.05", "--batch-size", "64",
                                 "--dataset", "fashion", "--data-dir", "d", "--json", "m.json", "--out", "o"});
    CHECK(o.seed == 7);
    CHECK(o.epochs == 3);
    CHECK(o.learning_rate == 0.05);
    CHECK(o.batch_size == 64);
    CHECK(o.dataset == "fashion");
    CHECK(o.data_dir == "d");
    CHECK(o.json_path == "m.json");
    CHECK(o.out_dir == "o");
    CHECK(parse({}).seed == nn::default_seed);
}

TEST_CASE("bad option values are usage errors", "[infra][cli]") {
    CHECK_THROWS_AS(parse({"--epochs", "0"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({"--epochs", "ten"}), CLI::ParseError);
    CHECK_THROWS_AS(parse({"--learning-rate", "-0.1"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({"--learning-rate", "nan"}), CLI::ParseError);
    CHECK_THROWS_AS(parse({"--batch-size", "0"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({"--dataset", "cifar"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({"--seed", "-1"}), CLI::ParseError);
    CHECK_THROWS_AS(parse({"--no-such-option"}), CLI::ParseError);
}

TEST_CASE("--train-size keeps the first N training images and leaves the other splits alone", "[infra][cli]") {
    CHECK(parse({}).train_size == 0);
    CHECK_FALSE(parse({}).initial_loss);
    const nn::Options o = parse({"--train-size", "3", "--initial-loss"});
    CHECK(o.initial_loss);
    nn::Splits data;
    data.train = {arma::mat(2, 5, arma::fill::randu), arma::uvec{0, 1, 2, 3, 4}};
    data.validation = {arma::mat(2, 4, arma::fill::randu), arma::uvec{4, 3, 2, 1}};
    const arma::mat first_three = data.train.images.head_cols(3);
    const nn::Splits cut = nn::limit_training_set(o, data);
    CHECK(cut.train.size() == 3);
    CHECK(arma::approx_equal(cut.train.images, first_three, "absdiff", 0.0));
    CHECK(arma::all(cut.train.labels == arma::uvec{0, 1, 2}));
    CHECK(cut.validation.size() == 4);
    CHECK(nn::limit_training_set(parse({}), data).train.size() == 5);                     // 0: all
    CHECK(nn::limit_training_set(parse({"--train-size", "9"}), data).train.size() == 5);  // more than there are: all
    CHECK_THROWS_AS(parse({"--train-size", "-1"}), CLI::ParseError);
}

TEST_CASE("a stub's error names the task, the file to edit and the chapter", "[infra][core]") {
    const nn::NotImplemented error("ch02.1 softmax", "/somewhere/repo/exercises/ch02_softmax_regression.cpp");
    CHECK(std::string(error.what()) ==
          "ch02.1 softmax is not implemented yet: write it in "
          "exercises/ch02_softmax_regression.cpp (chapter 2)");
}

TEST_CASE("guarded_main turns exceptions into a message and an exit code", "[infra][core]") {
    std::ostringstream errors;
    CHECK(nn::guarded_main([] { return 0; }, errors) == 0);
    CHECK(nn::guarded_main([] { return 1; }, errors) == 1);
    CHECK(errors.str().empty());
    CHECK(nn::guarded_main([]() -> int { throw nn::InputError("data/x: bad file"); }, errors) == 2);
    CHECK_THAT(errors.str(), ContainsSubstring("error: data/x: bad file"));
    CHECK(nn::guarded_main([]() -> int { throw nn::NotImplemented("ch01.1 one_hot", "exercises/ch01.cpp"); }, errors) ==
          3);
    CHECK_THAT(errors.str(),
               ContainsSubstring("not implemented: ch01.1 one_hot") && ContainsSubstring("./course check"));
    CHECK(nn::guarded_main([]() -> int { throw nn::TrainingDiverged("loss is nan"); }, errors) == 4);
    CHECK_THAT(errors.str(), ContainsSubstring("training stopped: loss is nan"));
    CHECK(nn::guarded_main([]() -> int { throw std::runtime_error("other"); }, errors) == 1);
}

TEST_CASE("a NaN or infinite loss stops training with advice", "[infra][core]") {
    CHECK_NOTHROW(nn::require_finite_loss(0.3, 1, 0.1));
    CHECK_THROWS_WITH(nn::require_finite_loss(NAN, 3, 5.0), ContainsSubstring("epoch 3") &&
                                                                ContainsSubstring("smaller learning rate") &&
                                                                ContainsSubstring("--learning-rate 0.5"));
    CHECK_THROWS_AS(nn::require_finite_loss(INFINITY, 1, 1.0), nn::TrainingDiverged);
}

TEST_CASE("the same seed gives the same random numbers", "[infra][core]") {
    nn::set_seed(123, nullptr);
    const arma::mat a = arma::randn(3, 3);
    nn::set_seed(123, nullptr);
    const arma::mat b = arma::randn(3, 3);
    nn::set_seed(124, nullptr);
    const arma::mat c = arma::randn(3, 3);
    CHECK_THAT(b, EqualsMatrix(a, 0.0));
    CHECK(arma::abs(c - a).max() > 0.0);
    std::ostringstream log;
    CHECK(nn::set_seed(5, &log) == 5);
    CHECK(log.str() == "seed: 5\n");
}
