#include "predict_body.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "nn/core.hpp"
#include "nn/preprocess.hpp"

namespace app {
namespace {

// The pixels an image may declare (a tiny PNG can claim to be huge; the
// header is checked before decoding). The other limits: ServerLimits.
constexpr int max_upload_side = 1024;

// A request the server refuses: an HTTP status and a message for the client.
class Refusal : public std::runtime_error {
public:
    Refusal(int status, const std::string& message) : std::runtime_error(message), status(status) {}
    int status;
};

// "Image/PNG; charset=x" -> "image/png".
std::string media_type(const std::string& content_type) {
    std::string type = content_type.substr(0, content_type.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type;
}

bool is_image_type(const std::string& type) {
    for (const char* known : {"image/png", "image/jpeg", "image/bmp", "image/gif", "image/x-portable-graymap",
                              "image/x-portable-pixmap", "application/octet-stream"})
        if (type == known) return true;
    return false;
}

// {"pixels": [...]}: an image already in MNIST form (28x28, row by row, white
// ink on black), as 0..1 or 0..255 (read as 0..255 if any value is above 1);
// returned in 0..1.
arma::vec pixels_from_json(const std::string& body, std::size_t expected) {
    nn::Json document;
    try {
        document = nn::Json::parse(body);
    } catch (const nn::Json::exception& e) {
        throw Refusal(400, std::string("malformed JSON: ") + e.what());
    }
    if (!document.is_object() || !document.contains("pixels") || !document["pixels"].is_array())
        throw Refusal(400, "expected a JSON object {\"pixels\": [" + std::to_string(expected) + " numbers]}");
    const nn::Json& list = document["pixels"];
    if (list.size() != expected)
        throw Refusal(400, "expected " + std::to_string(expected) + " pixels (28x28, row by row), got " +
                               std::to_string(list.size()));
    arma::vec pixels(expected);
    for (std::size_t i = 0; i < expected; ++i) {
        if (!list[i].is_number()) throw Refusal(400, "pixel " + std::to_string(i) + " is not a number");
        const double v = list[i].get<double>();
        if (!std::isfinite(v) || v < 0.0 || v > 255.0)
            throw Refusal(
                400, "pixel " + std::to_string(i) + " is " + list[i].dump() + ": expected values in 0..1 or in 0..255");
        pixels[i] = v;
    }
    if (pixels.max() > 1.0) pixels /= 255.0;  // 0..255
    // As for images (nn::mnist_preprocess): no ink, no answer; a network would still pick a class.
    if (pixels.max() < 0.05) throw Refusal(400, "no ink found: the image is blank");
    return pixels;
}

nn::Json prediction(const arma::vec& pixels, const arma::vec& p, const nn::DatasetInfo& info) {
    std::vector<double> shown(pixels.n_elem);  // 3 decimals are plenty for a picture
    for (std::size_t i = 0; i < shown.size(); ++i) shown[i] = std::round(pixels[i] * 1000.0) / 1000.0;
    const arma::uword best = p.index_max();
    return {{"digit", best},
            {"label", info.class_names[best]},
            {"probabilities", arma::conv_to<std::vector<double>>::from(p)},
            {"preprocessed", shown}};
}

}  // namespace

PredictAnswer answer_predict(const std::string& content_type, const std::string& body, Predictor& predictor,
                             const nn::DatasetInfo& info) {
    try {
        const std::string type = media_type(content_type);
        arma::vec pixels;
        if (type == "application/json") {
            pixels = pixels_from_json(body, info.image_size());
        } else if (is_image_type(type)) {
            const auto* bytes = reinterpret_cast<const unsigned char*>(body.data());
            pixels = nn::mnist_preprocess(
                nn::decode_gray_image(bytes, body.size(), "the request body", max_upload_side), "the request body");
        } else {
            throw Refusal(415, "unsupported content type '" + type +
                                   "': send application/json {\"pixels\": [...]} or an image "
                                   "(image/png, image/jpeg, ...)");
        }
        return {200, prediction(pixels, predictor.probabilities(pixels), info)};
    } catch (const Refusal& e) {
        return {e.status, {{"error", e.what()}}};
    } catch (const nn::InputError& e) {  // not an image, too large, blank
        return {400, {{"error", e.what()}}};
    }
}

std::string json_text(const nn::Json& value) { return value.dump(-1, ' ', false, nn::Json::error_handler_t::replace); }

}  // namespace app
