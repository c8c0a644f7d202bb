// Fuzz target: the body of POST /predict (app::answer_predict, what `serve`
// runs for every request) through a small model with the default feature
// pipeline. The input is the Content-Type header, a newline, then the body.
//
// Promises checked beyond "no crash, no huge allocation": the answer is
// never an exception (the server would send a 500); it is 200 with a digit of
// the dataset, finite probabilities that sum to 1 and 784 pixels in [0, 1],
// or a refusal (400, 415) with an error message; and it can be sent as JSON.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "nn/random.hpp"
#include "predict_body.hpp"

namespace {

// A model shaped like the one `train` makes (deskewed pixels and statistics,
// standardised, ReLU), small enough to answer in microseconds.
app::Predictor& predictor() {
    static app::Predictor instance = [] {
        nn::set_seed(1, nullptr);
        nn::Classifier model;
        model.features = nn::Features::deskewed_with_stats;
        model.sizes = {787, 16, 10};
        model.build_network();
        model.standardizer.mean = arma::vec(787, arma::fill::zeros);
        model.standardizer.scale = arma::vec(787, arma::fill::ones);
        return app::Predictor(std::move(model));
    }();
    return instance;
}

void check_prediction(const nn::Json& body, const nn::DatasetInfo& info) {
    fuzz::fuzz_require(body.contains("digit") && body["digit"].is_number_unsigned() &&
                           body["digit"].get<std::size_t>() < info.num_classes(),
                       "200 without a digit of the dataset");
    const auto p = body["probabilities"].get<std::vector<double>>();
    fuzz::fuzz_require(p.size() == info.num_classes(), "200 with the wrong number of probabilities");
    double sum = 0.0;
    for (const double v : p) {
        fuzz::fuzz_require(std::isfinite(v) && v >= 0.0 && v <= 1.0, "200 with a probability outside [0, 1]");
        sum += v;
    }
    fuzz::fuzz_require(std::abs(sum - 1.0) < 1e-6, "200 with probabilities that do not sum to 1");
    const auto pixels = body["preprocessed"].get<std::vector<double>>();
    fuzz::fuzz_require(pixels.size() == info.image_size(), "200 with the wrong number of pixels");
    fuzz::fuzz_require(std::all_of(pixels.begin(), pixels.end(), [](double v) { return v >= 0.0 && v <= 1.0; }),
                       "200 with a pixel outside [0, 1]");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const nn::DatasetInfo info = nn::dataset_info("mnist");
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = std::min(input.find('\n'), input.size());
    const std::string content_type = input.substr(0, newline);
    const std::string body = newline < input.size() ? input.substr(newline + 1) : std::string();

    const app::PredictAnswer answer = app::answer_predict(content_type, body, predictor(), info);
    fuzz::fuzz_require(answer.status == 200 || answer.status == 400 || answer.status == 415,
                       "status " + std::to_string(answer.status));
    if (answer.status == 200) {
        check_prediction(answer.body, info);
    } else {
        fuzz::fuzz_require(answer.body.contains("error") && answer.body["error"].is_string(),
                           "a refusal without an error message");
    }
    const std::string text = app::json_text(answer.body);
    fuzz::fuzz_require(nn::Json::accept(text), "the answer is not valid JSON: " + text.substr(0, 200));
    return 0;
}
