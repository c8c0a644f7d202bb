// `serve`'s POST /predict without the HTTP around it: a content type and a
// body in, a status and a JSON answer out. serve.cpp calls it for every
// request; the fuzz target (fuzz/predict_body_fuzz.cpp) calls the same code.
#pragma once

#include <armadillo>
#include <mutex>
#include <string>

#include "nn/dataset.hpp"
#include "nn/metrics.hpp"  // nn::Json
#include "nn/model.hpp"

namespace app {

// The model behind a lock: a network's layers keep their inputs for the
// backward pass, so one forward pass at a time. A forward pass of one image
// takes microseconds; decoding and preprocessing run outside the lock.
class Predictor {
public:
    explicit Predictor(nn::Classifier model) : model_(std::move(model)) {}
    arma::vec probabilities(const arma::vec& pixels) {
        const std::lock_guard<std::mutex> lock(mutex_);
        return model_.probabilities(pixels);
    }
    const nn::Classifier& model() const { return model_; }  // for what a forward pass never changes

private:
    std::mutex mutex_;
    nn::Classifier model_;
};

// What POST /predict answers: 200 with {"digit", "label", "probabilities",
// "preprocessed"}, or a refusal (400 bad body, 415 other content type) with
// {"error": "..."}.
struct PredictAnswer {
    int status = 200;
    nn::Json body;
};

// The answer to a body of \p content_type (the Content-Type header as sent):
// {"pixels": [784 numbers]} as application/json, or an image (image/png,
// image/jpeg, image/bmp, image/gif, PGM/PPM, application/octet-stream) of at
// most 1024 pixels per side. Errors of the request are answers, not exceptions.
PredictAnswer answer_predict(const std::string& content_type, const std::string& body, Predictor& predictor,
                             const nn::DatasetInfo& info);

// JSON as the server sends it: compact, and bytes that are not UTF-8 (a
// parser's message quoting the body, a content type) replaced, not thrown on.
std::string json_text(const nn::Json& value);

}  // namespace app
