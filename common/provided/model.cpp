// Course code every build shares: a classifier's file format.

#include "nn/model.hpp"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nn/core.hpp"
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

// Reads fields in order, checking each against the bytes that are left.
class Reader {
public:
    Reader(const std::vector<unsigned char>& bytes, std::size_t end, const std::string& path)
        : bytes_(bytes), end_(end), path_(path) {}
    template <typename T>
    T get(const char* field) {
        need(sizeof(T), field);
        T value;
        std::memcpy(&value, bytes_.data() + at_, sizeof value);
        at_ += sizeof value;
        return value;
    }
    std::string text(const char* field) {
        const auto n = get<std::uint32_t>(field);
        if (n > max_name) fail(field, "a name of " + std::to_string(n) + " bytes (at most " + std::to_string(max_name) + ")");
        need(n, field);
        std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
        at_ += n;
        return s;
    }
    arma::mat doubles(arma::uword rows, arma::uword cols, const char* field) {
        need(std::uint64_t{rows} * cols * sizeof(double), field);  // before allocating
        arma::mat m(rows, cols);
        std::memcpy(m.memptr(), bytes_.data() + at_, m.n_elem * sizeof(double));
        at_ += m.n_elem * sizeof(double);
        return m;
    }
    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw InputError(path_ + ": " + field + ": " + what + " (corrupt model file?)");
    }
    std::size_t position() const { return at_; }

private:
    void need(std::uint64_t n, const char* field) const {
        if (n > end_ - at_)
            throw InputError(path_ + ": truncated: " + field + " needs " + std::to_string(n) + " bytes at offset " +
                             std::to_string(at_) + ", " + std::to_string(end_ - at_) + " left");
    }
    const std::vector<unsigned char>& bytes_;
    std::size_t end_;
    std::size_t at_ = 0;
    std::string path_;
};

std::vector<Dense*> dense_layers(Sequential& network) {
    std::vector<Dense*> layers;
    for (std::size_t i = 0; i < network.size(); ++i)
        if (auto* d = dynamic_cast<Dense*>(&network.layer(i))) layers.push_back(d);
    return layers;
}

std::uint32_t crc_of(const unsigned char* data, std::size_t n) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        const auto chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
        crc = crc32(crc, data, chunk);
        data += chunk, n -= chunk;
    }
    return static_cast<std::uint32_t>(crc);
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
    w.put(crc_of(w.bytes.data(), w.bytes.size()));

    write_file_atomically(path, w.bytes.data(), w.bytes.size(), "model file");
}

Classifier load_model(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) throw InputError(path + ": no such model file");
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (error || size > max_file_bytes) throw InputError(path + ": too large to be a model file");
    std::vector<unsigned char> bytes(size);
    std::ifstream in(path, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw InputError(path + ": cannot read the model file");

    if (size < 12 || std::memcmp(bytes.data(), magic, 8) != 0)
        throw InputError(path + ": not a model file of this course (the first bytes are not NNSCMODL)");
    std::uint32_t version;
    std::memcpy(&version, bytes.data() + 8, 4);
    if (version != format_version)
        throw InputError(path + ": model format version " + std::to_string(version) + ", but this program reads version " +
                         std::to_string(format_version) + ": retrain or use the matching program");
    if (size < 16) throw InputError(path + ": truncated: no checksum");
    std::uint32_t stored;
    std::memcpy(&stored, bytes.data() + size - 4, 4);
    if (crc_of(bytes.data(), size - 4) != stored)
        throw InputError(path + ": checksum mismatch: the file is corrupt or truncated");

    Reader r(bytes, size - 4, path);
    r.get<std::uint64_t>("magic");  // checked above
    r.get<std::uint32_t>("version");
    Classifier model;
    model.dataset = r.text("dataset");
    if (model.dataset != "mnist" && model.dataset != "fashion") r.fail("dataset", "'" + model.dataset + "'");
    try {
        model.features = parse_features(r.text("features"));
    } catch (const std::invalid_argument& e) {
        r.fail("features", e.what());
    }
    model.activation = r.text("activation");
    if (model.activation != "relu" && model.activation != "sigmoid") r.fail("activation", "'" + model.activation + "'");
    model.dropout = r.get<double>("dropout");
    if (!(model.dropout >= 0.0 && model.dropout < 1.0)) r.fail("dropout", std::to_string(model.dropout));
    model.test_accuracy = r.get<double>("test accuracy");
    const auto count = r.get<std::uint32_t>("layer count");
    if (count < 2 || count > max_layers) r.fail("layer count", std::to_string(count));
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto s = r.get<std::uint32_t>("layer size");
        if (s < 1 || s > max_layer_width) r.fail("layer size", std::to_string(s));
        model.sizes.push_back(s);
    }
    const auto features = r.get<std::uint32_t>("standardisation size");
    if (features != 0 && features != model.sizes.front())
        r.fail("standardisation size", std::to_string(features) + " for " + std::to_string(model.sizes.front()) + " inputs");
    model.standardizer.mean = r.doubles(features, 1, "standardisation means");
    model.standardizer.scale = r.doubles(features, 1, "standardisation scales");
    model.build_network();
    for (Dense* d : dense_layers(model.network)) {
        d->weights = r.doubles(d->weights.n_rows, d->weights.n_cols, "weights");
        d->bias = r.doubles(d->bias.n_rows, 1, "bias");
    }
    if (r.position() != size - 4) r.fail("end", std::to_string(size - 4 - r.position()) + " unexpected bytes after the weights");
    return model;
}

}  // namespace nn
