// Course code every build shares: a classifier's file format.

#include "nn/model.hpp"

#include <zlib.h>

#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>

#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/dropout.hpp"
#include "nn/softmax.hpp"

namespace nn {
namespace {

const char magic[8] = {'N', 'N', 'S', 'C', 'M', 'O', 'D', 'L'};
constexpr std::uint32_t format_version = 1;
constexpr std::uint64_t max_file_bytes = std::uint64_t{1} << 31;  // no model of this course is near 2 GiB
constexpr std::uint32_t max_layer_width = 1u << 16;
constexpr std::uint32_t max_layers = 64;
constexpr std::uint32_t max_name = 64;

bool little_endian() {
    const std::uint16_t one = 1;
    unsigned char first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

std::uint32_t crc_update(std::uint32_t crc, const unsigned char* data, std::size_t n) {
    uLong value = crc;
    while (n > 0) {
        const auto chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
        value = crc32(value, data, chunk);
        data += chunk, n -= chunk;
    }
    return static_cast<std::uint32_t>(value);
}

class Writer {
public:
    template <typename T>
    void put(T value) {
        const auto* p = reinterpret_cast<const unsigned char*>(&value);
        bytes.insert(bytes.end(), p, p + sizeof value);
    }
    void text(const std::string& s) {
        put(static_cast<std::uint32_t>(s.size()));
        bytes.insert(bytes.end(), s.begin(), s.end());
    }
    void doubles(const arma::mat& m) {
        const auto* p = reinterpret_cast<const unsigned char*>(m.memptr());
        bytes.insert(bytes.end(), p, p + m.n_elem * sizeof(double));
    }
    std::vector<unsigned char> bytes;
};

// Reads fields in order from a stream of known length, checking each against
// the bytes that are left before reading (or allocating) it, and keeping the
// CRC-32 of everything read.
class Reader {
public:
    Reader(std::istream& in, std::uint64_t size, const std::string& name) : in_(in), left_(size), name_(name) {}
    template <typename T>
    T get(const char* field) {
        T value;
        bytes(&value, sizeof value, field);
        return value;
    }
    std::string text(const char* field) {
        const auto n = get<std::uint32_t>(field);
        if (n > max_name)
            fail(field, "a name of " + std::to_string(n) + " bytes (at most " + std::to_string(max_name) + ")");
        std::string s(n, '\0');
        bytes(s.data(), n, field);
        return s;
    }
    // Fills m, whose size the caller has checked against left() before allocating it.
    void doubles(arma::mat& m, const std::string& field) { bytes(m.memptr(), m.n_elem * sizeof(double), field); }
    std::uint64_t left() const { return left_; }
    std::uint32_t crc() const { return crc_; }
    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw InputError(name_ + ": " + field + ": " + what + " (corrupt model file?)");
    }

private:
    void bytes(void* out, std::uint64_t n, const std::string& field) {
        if (n > left_)
            throw InputError(name_ + ": truncated: " + field + " needs " + std::to_string(n) + " bytes, " +
                             std::to_string(left_) + " left");
        if (n == 0) return;  // an empty matrix has no memory to read into
        if (!in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n)))
            throw InputError(name_ + ": cannot read " + field + " from the model file");
        crc_ = crc_update(crc_, static_cast<const unsigned char*>(out), n);
        left_ -= n;
    }
    std::istream& in_;
    std::uint64_t left_;
    std::string name_;
    std::uint32_t crc_ = crc_update(0, nullptr, 0);
};

std::vector<Dense*> dense_layers(Sequential& network) {
    std::vector<Dense*> layers;
    for (std::size_t i = 0; i < network.size(); ++i)
        if (auto* d = dynamic_cast<Dense*>(&network.layer(i))) layers.push_back(d);
    return layers;
}

std::string sizes_text(const std::vector<arma::uword>& sizes) {
    std::string text;
    for (const auto s : sizes) text += (text.empty() ? "" : "-") + std::to_string(s);
    return text;
}

// What is wrong with a model, if anything: the field and what was found.
struct Problem {
    std::string field, what;
};

// The fields that decide the network's shape, checked against each other and
// against the dataset and features they name.
std::optional<Problem> shape_problem(const Classifier& m) {
    if (m.dataset != "mnist" && m.dataset != "fashion")
        return Problem{"dataset", "'" + m.dataset + "': expected mnist or fashion"};
    if (m.activation != "relu" && m.activation != "sigmoid" && m.activation != "tanh" && m.activation != "leaky_relu")
        return Problem{"activation", "'" + m.activation + "': expected relu, sigmoid, tanh or leaky_relu"};
    if (!(m.dropout >= 0.0 && m.dropout < 1.0))
        return Problem{"dropout", std::to_string(m.dropout) + ": expected a probability in [0, 1)"};
    if (!std::isnan(m.test_accuracy) && !(m.test_accuracy >= 0.0 && m.test_accuracy <= 1.0))
        return Problem{"test accuracy",
                       std::to_string(m.test_accuracy) + ": expected a fraction in [0, 1], or NaN if not measured"};
    if (m.sizes.size() < 2 || m.sizes.size() > max_layers)
        return Problem{"layer count", std::to_string(m.sizes.size()) + ": expected 2 to " + std::to_string(max_layers)};
    for (const auto s : m.sizes)
        if (s < 1 || s > max_layer_width)
            return Problem{"layer size", std::to_string(s) + ": expected 1 to " + std::to_string(max_layer_width)};
    const DatasetInfo info = dataset_info(m.dataset);
    const arma::uword inputs = info.image_size() + extra_feature_rows(m.features);
    if (m.sizes.front() != inputs)
        return Problem{"input layer", std::to_string(m.sizes.front()) + " inputs, but the feature pipeline " +
                                          features_name(m.features) + " gives " + std::to_string(inputs)};
    if (m.sizes.back() != info.num_classes())
        return Problem{"output layer", std::to_string(m.sizes.back()) + " outputs, but " + info.title + " has " +
                                           std::to_string(info.num_classes()) + " classes"};
    return std::nullopt;
}

// The largest magnitude a forward pass can reach, bounded layer by layer:
// inputs are in [0, 1] (pixels and the extra features alike), standardised,
// then each dense layer multiplies by at most its largest absolute row sum and
// adds at most its largest bias; ReLU and leaky ReLU keep magnitudes (or
// shrink them), sigmoid and tanh keep them within 1.
double output_bound(const Classifier& m, const std::vector<Dense*>& layers) {
    double bound = 1.0;
    if (!m.standardizer.mean.is_empty())
        bound = arma::max((1.0 + arma::abs(m.standardizer.mean)) / m.standardizer.scale);
    for (const Dense* layer : layers) {
        const double bias = layer->bias.is_empty() ? 0.0 : arma::abs(layer->bias).max();
        bound = std::max(arma::max(arma::sum(arma::abs(layer->weights), 1)) * bound + bias, 1.0);
    }
    return bound;
}

// The numbers themselves: finite weights and statistics, positive scales.
std::optional<Problem> value_problem(Classifier& m) {
    const arma::vec& mean = m.standardizer.mean;
    const arma::vec& scale = m.standardizer.scale;
    if (mean.n_elem != scale.n_elem || (!mean.is_empty() && mean.n_elem != m.sizes.front()))
        return Problem{"standardisation size", std::to_string(mean.n_elem) + " means and " +
                                                   std::to_string(scale.n_elem) + " scales for " +
                                                   std::to_string(m.sizes.front()) + " inputs"};
    if (!mean.is_finite()) return Problem{"standardisation means", "a NaN or infinite value"};
    if (!scale.is_finite() || arma::any(scale <= 0.0))
        return Problem{"standardisation scales", "a NaN, infinite, zero or negative value (each must be above 0)"};
    const std::vector<Dense*> layers = dense_layers(m.network);
    if (layers.size() + 1 != m.sizes.size())
        return Problem{"network", "does not match the layer sizes " + sizes_text(m.sizes)};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string layer = " of layer " + std::to_string(i + 1);
        if (layers[i]->weights.n_rows != m.sizes[i + 1] || layers[i]->weights.n_cols != m.sizes[i])
            return Problem{"weights" + layer, "a shape other than the layer sizes " + sizes_text(m.sizes) + " give"};
        if (!layers[i]->weights.is_finite()) return Problem{"weights" + layer, "a NaN or infinite value"};
        if (!layers[i]->bias.is_finite()) return Problem{"biases" + layer, "a NaN or infinite value"};
    }
    // Finite numbers can still overflow: weights of 1e308 give infinite logits
    // and NaN probabilities. No trained network comes near this bound.
    if (const double bound = output_bound(m, layers); !(bound <= 1e300)) {
        std::ostringstream text;
        text << std::setprecision(3) << "values so large that the outputs could overflow (up to " << bound
             << ", more than 1e300)";
        return Problem{"weights and statistics", text.str()};
    }
    return std::nullopt;
}

// Magic and version: the first 12 bytes, checked before anything else is read.
void read_magic_and_version(Reader& r, const std::string& name) {
    if (r.left() < 12 || std::memcmp(r.get<std::array<char, 8>>("magic").data(), magic, 8) != 0)
        throw InputError(name + ": not a model file of this course (the first bytes are not NNSCMODL)");
    const auto version = r.get<std::uint32_t>("version");
    if (version != format_version)
        throw InputError(name + ": model format version " + std::to_string(version) +
                         ", but this program reads version " + std::to_string(format_version) +
                         ": retrain or use the matching program");
}

// The fields before the numbers (names, dropout, accuracy, layer sizes), checked.
Classifier read_header(Reader& r) {
    Classifier model;
    model.dataset = r.text("dataset");
    const std::string features = r.text("features");
    try {
        model.features = parse_features(features);
    } catch (const std::invalid_argument& e) {
        r.fail("features", e.what());
    }
    model.activation = r.text("activation");
    model.dropout = r.get<double>("dropout");
    model.test_accuracy = r.get<double>("test accuracy");
    const auto count = r.get<std::uint32_t>("layer count");
    if (count < 2 || count > max_layers) r.fail("layer count", std::to_string(count));
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto s = r.get<std::uint32_t>("layer size");
        if (s < 1 || s > max_layer_width) r.fail("layer size", std::to_string(s));
        model.sizes.push_back(s);
    }
    if (const auto problem = shape_problem(model)) r.fail(problem->field, problem->what);
    return model;
}

// The bytes that follow the standardisation size: statistics, weights and
// biases, and the checksum.
std::uint64_t bytes_after_header(const std::vector<arma::uword>& sizes, std::uint64_t features) {
    std::uint64_t doubles = 2 * features;
    for (std::size_t i = 1; i < sizes.size(); ++i) doubles += std::uint64_t{sizes[i]} * (sizes[i - 1] + 1);
    return doubles * sizeof(double) + sizeof(std::uint32_t);
}

// The standardisation and the network, allocated only once the file is known
// to hold exactly the bytes they need.
void read_numbers(Reader& r, Classifier& model) {
    const auto features = r.get<std::uint32_t>("standardisation size");
    if (features != 0 && features != model.sizes.front())
        r.fail("standardisation size", std::to_string(features) + " for " + std::to_string(model.sizes.front()) +
                                           " inputs: expected 0 or " + std::to_string(model.sizes.front()));
    const std::uint64_t needed = bytes_after_header(model.sizes, features);
    if (needed != r.left())
        r.fail("weights and biases", "the layer sizes " + sizes_text(model.sizes) + " and " + std::to_string(features) +
                                         " standardised features need " + std::to_string(needed) +
                                         " more bytes, but the file holds " + std::to_string(r.left()) +
                                         (r.left() < needed ? " (truncated?)" : " (extra bytes at the end?)"));
    model.standardizer.mean.set_size(features);
    model.standardizer.scale.set_size(features);
    r.doubles(model.standardizer.mean, "standardisation means");
    r.doubles(model.standardizer.scale, "standardisation scales");
    model.build_network();
    for (Dense* d : dense_layers(model.network)) {
        r.doubles(d->weights, "weights");
        r.doubles(d->bias, "bias");
    }
}

}  // namespace

void Classifier::build_network() { network = make_mlp(sizes, activation, dropout); }

arma::mat Classifier::prepare(const arma::mat& images) const {
    return standardizer.mean.is_empty() ? make_features(images, features)
                                        : standardizer.apply(make_features(images, features));
}

arma::mat Classifier::probabilities(const arma::mat& images) {
    network.set_training(false);
    arma::mat p = softmax(network.forward(prepare(images)));
    network.set_training(true);
    return p;
}

void save_model(const std::string& path, Classifier& model) {
    if (!little_endian()) throw InputError(path + ": model files are written on little-endian machines only");
    for (const auto& problem : {shape_problem(model), value_problem(model)})
        if (problem) throw InputError(path + ": cannot save the model: " + problem->field + ": " + problem->what);
    Writer w;
    w.bytes.insert(w.bytes.end(), magic, magic + 8);
    w.put(format_version);
    w.text(model.dataset);
    w.text(features_name(model.features));
    w.text(model.activation);
    w.put(model.dropout);
    w.put(model.test_accuracy);
    w.put(static_cast<std::uint32_t>(model.sizes.size()));
    for (const auto s : model.sizes) w.put(static_cast<std::uint32_t>(s));
    w.put(static_cast<std::uint32_t>(model.standardizer.mean.n_elem));
    w.doubles(model.standardizer.mean);
    w.doubles(model.standardizer.scale);
    for (Dense* d : dense_layers(model.network)) {
        w.doubles(d->weights);
        w.doubles(d->bias);
    }
    w.put(crc_update(crc_update(0, nullptr, 0), w.bytes.data(), w.bytes.size()));

    write_file_atomically(path, w.bytes.data(), w.bytes.size(), "model file");
}

Classifier load_model(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) throw InputError(path + ": no such model file");
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (error) throw InputError(path + ": cannot read the model file: " + error.message());
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open the model file");
    return read_model(in, size, path);
}

Classifier read_model(std::istream& in, std::uint64_t size, const std::string& name) {
    if (size > max_file_bytes)
        throw InputError(name + ": " + std::to_string(size) + " bytes is too large to be a model file (at most 2 GiB)");
    Reader r(in, size, name);
    read_magic_and_version(r, name);
    Classifier model = read_header(r);
    read_numbers(r, model);
    const std::uint32_t computed = r.crc();
    if (r.get<std::uint32_t>("checksum") != computed)
        throw InputError(name + ": checksum mismatch: the file is corrupt or truncated");
    if (const auto problem = value_problem(model)) r.fail(problem->field, problem->what);
    return model;
}

}  // namespace nn
