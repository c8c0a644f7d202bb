// `./course compare`: two metrics files lined up value by value, with a
// verdict and the likely cause of the first difference (nn/compare.hpp).

#include <sstream>

#include "nn/compare.hpp"
#include "test_support.hpp"

namespace {

// A chapter-3-like metrics file: settings, statistics at initialisation, a
// gradient check, a three-epoch history and a final result.
nn::Json metrics() {
    nn::Json layers = nn::Json::array();
    for (int layer = 1; layer <= 3; ++layer)
        layers.push_back({{"layer", layer},
                          {"weights_std", 0.05},
                          {"weights_first_row_mean", 0.001 * layer},
                          {"mean", 0.2 / layer},
                          {"std", 0.3 / layer}});
    nn::Json history = nn::Json::array();
    const double losses[] = {0.3230, 0.1555, 0.1100};
    for (int epoch = 1; epoch <= 3; ++epoch)
        history.push_back({{"epoch", epoch},
                           {"loss", losses[epoch - 1]},
                           {"validation_accuracy", 0.95 + 0.005 * epoch},
                           {"seconds", 1.0}});
    nn::Json checks = nn::Json::array();
    for (const char* parameter : {"dense1.weights", "dense1.bias"})
        checks.push_back({{"parameter", parameter},
                          {"relative_error", 3e-10},
                          {"row", 2},
                          {"col", 1},
                          {"analytic", 0.125},
                          {"numeric", 0.125}});
    return {{"chapter", 3},
            {"seed", 42},
            {"dataset", "mnist"},
            {"initialisation", {{"relu_he", layers}}},
            {"gradient_check", checks},
            {"relu", {{"history", history}, {"test_accuracy", 0.9783}}}};
}

const nn::ComparedValue& value(const nn::Comparison& comparison, const std::string& name) {
    for (const auto& v : comparison.values)
        if (v.name == name) return v;
    FAIL("no value named " << name);
    throw;  // not reached: FAIL throws
}

std::string printed(const nn::Comparison& comparison) {
    std::ostringstream out;
    nn::print_comparison(out, comparison);
    return out.str();
}

int count_verdicts(const nn::Comparison& comparison, nn::Verdict verdict) {
    int n = 0;
    for (const auto& v : comparison.values) n += v.verdict == verdict;
    return n;
}

}  // namespace

TEST_CASE("equal metrics files are the same everywhere and nothing is a problem", "[infra][compare]") {
    const nn::Comparison comparison = nn::compare_metrics(metrics(), metrics());
    for (const auto& v : comparison.values) {
        INFO(v.name);
        CHECK((v.verdict == nn::Verdict::same || v.verdict == nn::Verdict::timing));
    }
    CHECK(comparison.problems() == 0);
    CHECK(comparison.summary == "Your results match the reference.");
    // Arrays are compared element by element, with readable names.
    CHECK(value(comparison, "relu.history[epoch 2].loss").kind == nn::MetricKind::history);
    CHECK(value(comparison, "relu.history[epoch 2].seconds").kind == nn::MetricKind::timing);
    CHECK(value(comparison, "initialisation.relu_he[layer 3].std").kind == nn::MetricKind::initialisation);
    CHECK(value(comparison, "gradient_check[dense1.bias].relative_error").kind == nn::MetricKind::check_row);
}

TEST_CASE("an equal history prints as one line, not one line per epoch", "[infra][compare]") {
    const std::string text = printed(nn::compare_metrics(metrics(), metrics()));
    CHECK_THAT(text, ContainsSubstring("relu.history[epoch 1..3]"));
    CHECK_THAT(text, ContainsSubstring("all 9 values"));  // epoch, loss and accuracy of 3 epochs; timings aside
    CHECK(text.find("relu.history[epoch 2]") == std::string::npos);
    CHECK_THAT(text, ContainsSubstring("Your results match the reference."));
}

TEST_CASE("a first-epoch loss beyond 1e-6 relative differs: the forward pass, gradient or update", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["relu"]["history"][0]["loss"] = 0.3230 * (1 + 1e-5);
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    const auto& loss = value(comparison, "relu.history[epoch 1].loss");
    CHECK(loss.verdict == nn::Verdict::differs);
    CHECK(loss.why == "differs from the first epoch");
    CHECK(comparison.problems() == 1);
    CHECK_THAT(comparison.summary, ContainsSubstring("First difference: relu.history[epoch 1].loss"));
    CHECK_THAT(comparison.summary, ContainsSubstring("likely the forward pass, the gradient or the update differs"));
    CHECK_THAT(comparison.summary, !ContainsSubstring("summation order"));
    // Printed with enough digits to see the difference.
    CHECK_THAT(printed(comparison), ContainsSubstring("0.323003         0.323   DIFFERS"));
}

TEST_CASE("later epochs of a history drifting by tiny amounts after the same start are rounding", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["relu"]["history"][0]["loss"] = 0.3230 * (1 + 1e-13);  // same up to rounding
    yours["relu"]["history"][1]["loss"] = 0.1555 * (1 + 1e-8);
    yours["relu"]["history"][2]["loss"] = 0.1100 * (1 + 1e-4);
    yours["relu"]["history"][2]["validation_accuracy"] = 0.965 + 0.0002;  // two images of 10,000
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "relu.history[epoch 1].loss").verdict == nn::Verdict::same);
    CHECK(value(comparison, "relu.history[epoch 2].loss").verdict == nn::Verdict::close);
    CHECK(value(comparison, "relu.history[epoch 3].loss").why == "rounding drift, same start");
    CHECK(value(comparison, "relu.history[epoch 3].validation_accuracy").verdict == nn::Verdict::close);
    CHECK(comparison.problems() == 0);
    CHECK_THAT(comparison.summary, ContainsSubstring("plausibly rounding (another summation order)"));
    // The printout shows the first epoch that is not the same, and how many are not.
    const std::string text = printed(comparison);
    CHECK_THAT(text, ContainsSubstring("relu.history[epoch 2].loss"));
    CHECK_THAT(text, ContainsSubstring("2 of 3 not the same"));
}

TEST_CASE("a large difference that starts after an equal first epoch is not called rounding", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["relu"]["history"][2]["loss"] = 0.2;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    const auto& loss = value(comparison, "relu.history[epoch 3].loss");
    CHECK(loss.verdict == nn::Verdict::differs);
    CHECK(loss.why == "differs from epoch 3, same start");
    CHECK_THAT(comparison.summary, ContainsSubstring("after the first epoch agreed"));
}

TEST_CASE("different initial weights are named as a different draw, before any training", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["initialisation"]["relu_he"][0]["weights_first_row_mean"] = 0.0021;  // e.g. drawn transposed
    yours["initialisation"]["relu_he"][0]["mean"] = 0.21;
    yours["relu"]["history"][0]["loss"] = 0.3254;  // and training differs from the start
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "initialisation.relu_he[layer 1].weights_first_row_mean").why ==
          "initial weights drawn differently");
    CHECK(value(comparison, "initialisation.relu_he[layer 1].mean").why == "follows from the weights");
    // The summary names the earliest cause, not the training it spoils.
    CHECK_THAT(comparison.summary,
               ContainsSubstring("First difference: initialisation.relu_he[layer 1].weights_first_row_mean"));
    CHECK_THAT(comparison.summary, ContainsSubstring("your initialisation draws different numbers (order or scale"));
}

TEST_CASE("the same initial weights with other activation statistics point at the activation", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["initialisation"]["relu_he"][1]["std"] = 0.16;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "initialisation.relu_he[layer 2].std").why == "same weights, other activations");
    CHECK_THAT(comparison.summary, ContainsSubstring("activation function (forward)"));
}

TEST_CASE("a gradient-check error of 1e-7 or more names the parameter", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["gradient_check"][1]["relative_error"] = 0.5;
    yours["gradient_check"][1]["analytic"] = 0.0625;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    const nn::ComparedValue error = value(comparison, "gradient_check[dense1.bias].relative_error");
    CHECK(error.verdict == nn::Verdict::differs);
    CHECK(value(comparison, "gradient_check[dense1.bias].analytic").verdict == nn::Verdict::differs);
    CHECK_THAT(comparison.summary, ContainsSubstring("the gradient check of dense1.bias"));
    CHECK_THAT(comparison.summary, ContainsSubstring("wrong gradient for dense1.bias"));
}

TEST_CASE("gradient checks that both pass differ only by rounding", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["gradient_check"][0]["relative_error"] = 4e-9;
    yours["gradient_check"][0]["row"] = 5;  // the largest tiny error sits elsewhere
    yours["gradient_check"][0]["analytic"] = -0.75;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "gradient_check[dense1.weights].relative_error").verdict == nn::Verdict::close);
    CHECK(value(comparison, "gradient_check[dense1.weights].analytic").verdict == nn::Verdict::close);
    CHECK(comparison.problems() == 0);
}

TEST_CASE("the same element of a passing check with another gradient differs", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["gradient_check"][0]["analytic"] = 0.25;
    yours["gradient_check"][0]["numeric"] = 0.25;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "gradient_check[dense1.weights].analytic").why == "same element, another gradient");
    CHECK(comparison.problems() == 2);
}

TEST_CASE("a key the reference has and yours lacks is missing in yours; an extra one is only in yours",
          "[infra][compare]") {
    nn::Json yours = metrics();
    yours["relu"].erase("test_accuracy");
    yours["extra"] = 1.5;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "relu.test_accuracy").verdict == nn::Verdict::missing);
    CHECK(nn::verdict_text(nn::Verdict::missing) == "missing in yours");
    CHECK(value(comparison, "extra").verdict == nn::Verdict::extra);
    CHECK(comparison.problems() == 1);
    CHECK_THAT(comparison.summary, ContainsSubstring("missing in yours, the first relu.test_accuracy"));
    CHECK_THAT(printed(comparison), ContainsSubstring("missing in yours"));
}

TEST_CASE("histories of different lengths: the epochs only one side has are missing or extra", "[infra][compare]") {
    nn::Json shorter = metrics();
    shorter["relu"]["history"].erase(2);
    const nn::Comparison missing = nn::compare_metrics(shorter, metrics());
    CHECK(value(missing, "relu.history[epoch 3].loss").verdict == nn::Verdict::missing);
    CHECK(value(missing, "relu.history[epoch 2].loss").verdict == nn::Verdict::same);
    CHECK(missing.problems() == 4);  // epoch, loss, validation accuracy and seconds of epoch 3
    CHECK(count_verdicts(missing, nn::Verdict::timing) == 2);  // the seconds of epochs 1 and 2

    const nn::Comparison extra = nn::compare_metrics(metrics(), shorter);
    CHECK(value(extra, "relu.history[epoch 3].loss").verdict == nn::Verdict::extra);
    CHECK(extra.problems() == 0);
}

TEST_CASE("a different seed is named first: nothing else can be compared", "[infra][compare]") {
    nn::Json yours = metrics();
    yours["seed"] = 1;
    yours["relu"]["history"][0]["loss"] = 0.4;
    const nn::Comparison comparison = nn::compare_metrics(yours, metrics());
    CHECK(value(comparison, "seed").verdict == nn::Verdict::differs);
    CHECK_THAT(comparison.summary, ContainsSubstring("not made the same way (seed"));
}

TEST_CASE("timings are shown but never compared", "[infra][compare]") {
    nn::Json yours = metrics(), reference = metrics();
    yours["seconds"] = 12.0;
    reference["seconds"] = 30.0;
    const nn::Comparison comparison = nn::compare_metrics(yours, reference);
    CHECK(value(comparison, "seconds").verdict == nn::Verdict::timing);
    CHECK(comparison.problems() == 0);
}
