// Chapter 8 tests: confusion matrix, precision and recall, early stopping,
// and the model file. Run one task with
//   build/release/bin/tests_course "[ch08.3]"     (or ./course check 8)

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "memory_probe.hpp"
#include "nn/classifier.hpp"
#include "nn/core.hpp"
#include "nn/model.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) { return nn_test::temp_path("ch08", name); }

std::vector<unsigned char> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A small trained-looking model: random weights, standardisation, every field set.
nn::Classifier small_model(const std::string& activation = "relu") {
    nn::Classifier model;
    model.dataset = "mnist";
    model.features = nn::Features::deskewed_with_stats;
    model.activation = activation;
    model.sizes = {787, 12, 10};
    model.dropout = 0.25;
    model.test_accuracy = 0.9876;
    model.standardizer.mean = arma::randu(787);
    model.standardizer.scale = 1.0 + arma::randu(787);
    model.build_network();
    for (auto& p : model.network.parameters()) *p.value = arma::randn(arma::size(*p.value));
    return model;
}

// Weights of one network, in order.
std::vector<arma::mat> weights_of(nn::Sequential& net) {
    std::vector<arma::mat> values;
    for (const auto& p : net.parameters()) values.push_back(*p.value);
    return values;
}

// A model file written field by field from the format in nn/model.hpp,
// independently of save_model, so a test can write any file it needs.
struct ModelFile {
    std::string dataset = "mnist", features = "raw", activation = "relu";
    double dropout = 0.0, test_accuracy = 0.5;
    std::vector<std::uint32_t> sizes = {784, 3, 10};
    std::vector<double> mean, scale;  // the standardisation; empty: none
    std::vector<double> parameters;   // weights then bias, layer by layer; empty: all 0.01

    std::vector<unsigned char> bytes() const {
        std::vector<unsigned char> out = {'N', 'N', 'S', 'C', 'M', 'O', 'D', 'L'};
        const auto put = [&](auto value) {
            const auto* p = reinterpret_cast<const unsigned char*>(&value);
            out.insert(out.end(), p, p + sizeof value);
        };
        put(std::uint32_t{1});
        for (const std::string* name : {&dataset, &features, &activation}) {
            put(static_cast<std::uint32_t>(name->size()));
            out.insert(out.end(), name->begin(), name->end());
        }
        put(dropout);
        put(test_accuracy);
        put(static_cast<std::uint32_t>(sizes.size()));
        for (const auto size : sizes) put(size);
        put(static_cast<std::uint32_t>(mean.size()));
        for (const auto* values : {&mean, &scale, &parameters})
            for (const double v : *values) put(v);
        if (parameters.empty())
            for (std::size_t i = 1; i < sizes.size(); ++i)
                for (std::uint64_t k = 0; k < std::uint64_t{sizes[i]} * (sizes[i - 1] + 1); ++k) put(0.01);
        put(static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), out.data(), static_cast<uInt>(out.size()))));
        return out;
    }
    std::string write(const std::string& name) const {
        const std::string path = temp_path(name);
        write_bytes(path, bytes());
        return path;
    }
};

}  // namespace

// ---------------------------------------------------------------- ch08.1

TEST_CASE("confusion_matrix counts (true, predicted) pairs, true classes in rows", "[ch08][ch08.1]") {
    const arma::uvec labels = {0, 0, 1, 2, 2, 2};
    const arma::uvec predicted = {0, 1, 1, 2, 0, 2};
    const arma::umat expected = arma::conv_to<arma::umat>::from(arma::mat{{1, 1, 0},  //
                                                                          {0, 1, 0},
                                                                          {1, 0, 2}});
    const arma::umat c = nn::confusion_matrix(predicted, labels, 3);
    REQUIRE(arma::size(c) == arma::size(expected));
    CHECK(arma::all(arma::vectorise(c == expected)));
    CHECK(arma::accu(c) == 6);
}

TEST_CASE("confusion_matrix rejects mismatched sizes and classes out of range", "[ch08][ch08.1]") {
    CHECK_THROWS_AS(nn::confusion_matrix(arma::uvec{0, 1}, arma::uvec{0}, 2), std::invalid_argument);
    CHECK_THROWS_AS(nn::confusion_matrix(arma::uvec{0, 5}, arma::uvec{0, 1}, 3), std::invalid_argument);
    CHECK_THROWS_AS(nn::confusion_matrix(arma::uvec{0, 1}, arma::uvec{3, 1}, 3), std::invalid_argument);
}

// ---------------------------------------------------------------- ch08.2

TEST_CASE("precision divides by predictions, recall by true samples", "[ch08][ch08.2]") {
    const arma::umat c = arma::conv_to<arma::umat>::from(arma::mat{{1, 1, 0},  //
                                                                   {0, 1, 0},
                                                                   {1, 0, 2}});
    const nn::ClassScores s = nn::precision_recall(c);
    // predicted as 0: 2 (1 right); as 1: 2 (1 right); as 2: 2 (2 right).
    CHECK_THAT(arma::mat(s.precision), EqualsMatrix(arma::vec{0.5, 0.5, 1.0}, 1e-15));
    // class 0: 2 samples (1 right); class 1: 1 (1 right); class 2: 3 (2 right).
    CHECK_THAT(arma::mat(s.recall), EqualsMatrix(arma::vec{0.5, 1.0, 2.0 / 3.0}, 1e-15));
}

TEST_CASE("a class never predicted has precision 0, a class never seen recall 0", "[ch08][ch08.2]") {
    const arma::umat c = arma::conv_to<arma::umat>::from(arma::mat{{3, 0, 0},  //
                                                                   {2, 0, 0},
                                                                   {0, 0, 0}});
    const nn::ClassScores s = nn::precision_recall(c);
    CHECK_THAT(nn_test::finiteness(s.precision), ContainsSubstring("values are finite"));
    CHECK_THAT(nn_test::finiteness(s.recall), ContainsSubstring("values are finite"));
    CHECK(s.precision(1) == 0.0);
    CHECK(s.recall(2) == 0.0);
    CHECK(s.precision(0) == Approx(0.6).epsilon(1e-15));
}

// ---------------------------------------------------------------- ch08.3

TEST_CASE("early stopping keeps the best epoch and stops after the patience runs out", "[ch08][ch08.3]") {
    arma::mat w(2, 2, arma::fill::zeros), g(2, 2, arma::fill::zeros);
    const std::vector<nn::Parameter> params = {{"w", &w, &g}};
    nn::EarlyStopping stopper(2);
    const std::vector<double> accuracies = {0.5, 0.7, 0.6, 0.65};
    std::vector<bool> go_on;
    for (std::size_t epoch = 0; epoch < accuracies.size(); ++epoch) {
        w.fill(static_cast<double>(epoch + 1));  // the parameters change every epoch
        go_on.push_back(stopper.update(accuracies[epoch], params));
    }
    // Improvements at epochs 1 and 2; epochs 3 and 4 are not better: stop after epoch 4.
    CHECK(go_on == std::vector<bool>{true, true, true, false});
    CHECK(stopper.best_epoch == 2);
    CHECK(stopper.best_accuracy == 0.7);
    CHECK(stopper.epochs_seen == 4);
    CHECK(stopper.epochs_without_improvement == 2);
    REQUIRE(stopper.checkpoint.size() == 1);
    CHECK_THAT(stopper.checkpoint[0], EqualsMatrix(arma::mat(2, 2, arma::fill::value(2.0)), 0.0));
}

TEST_CASE("early stopping needs a strictly better accuracy to reset the patience", "[ch08][ch08.3]") {
    arma::mat w(1, 1, arma::fill::zeros), g(1, 1, arma::fill::zeros);
    const std::vector<nn::Parameter> params = {{"w", &w, &g}};
    nn::EarlyStopping stopper(1);
    CHECK(stopper.update(0.9, params));
    CHECK_FALSE(stopper.update(0.9, params));  // equal is not better
    CHECK(stopper.best_epoch == 1);
}

// ---------------------------------------------------------------- ch08.4

TEST_CASE("restore puts the best parameters back", "[ch08][ch08.4]") {
    arma::mat w(3, 1, arma::fill::ones), b(2, 1, arma::fill::ones), gw(3, 1), gb(2, 1);
    const std::vector<nn::Parameter> params = {{"w", &w, &gw}, {"b", &b, &gb}};
    nn::EarlyStopping stopper(3);
    stopper.checkpoint = {arma::mat(3, 1, arma::fill::value(7.0)), arma::mat(2, 1, arma::fill::value(-7.0))};
    stopper.restore(params);
    CHECK_THAT(w, EqualsMatrix(arma::mat(3, 1, arma::fill::value(7.0)), 0.0));
    CHECK_THAT(b, EqualsMatrix(arma::mat(2, 1, arma::fill::value(-7.0)), 0.0));
}

TEST_CASE("restore refuses a checkpoint that does not match", "[ch08][ch08.4]") {
    arma::mat w(1, 1), g(1, 1);
    nn::EarlyStopping stopper(3);
    CHECK_THROWS_AS(stopper.restore({{"w", &w, &g}}), std::logic_error);  // nothing recorded yet
    stopper.checkpoint = {arma::mat(1, 1, arma::fill::zeros), arma::mat(1, 1, arma::fill::zeros)};
    CHECK_THROWS_AS(stopper.restore({{"w", &w, &g}}), std::logic_error);  // two matrices for one parameter
    stopper.checkpoint = {arma::mat(2, 1, arma::fill::zeros)};
    CHECK_THROWS_AS(stopper.restore({{"w", &w, &g}}), std::logic_error);  // another shape
    CHECK(w.n_rows == 1);
}

// ---------------------------------------------------------------- model files (provided)

TEST_CASE("a model survives a save and load exactly", "[ch08][provided]") {
    NN_TEST_SEED(81);
    nn::Classifier model = small_model();
    const std::string path = temp_path("round.nnm");
    nn::save_model(path, model);
    for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path()))
        CHECK(entry.path().string().find(".tmp") == std::string::npos);
    nn::Classifier loaded = nn::load_model(path);
    CHECK(loaded.dataset == "mnist");
    CHECK(loaded.features == nn::Features::deskewed_with_stats);
    CHECK(loaded.activation == "relu");
    CHECK(loaded.sizes == model.sizes);
    CHECK(loaded.dropout == 0.25);
    CHECK(loaded.test_accuracy == 0.9876);
    CHECK_THAT(arma::mat(loaded.standardizer.mean), EqualsMatrix(model.standardizer.mean, 0.0));
    CHECK_THAT(arma::mat(loaded.standardizer.scale), EqualsMatrix(model.standardizer.scale, 0.0));
    const auto a = weights_of(model.network), b = weights_of(loaded.network);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK_THAT(b[i], EqualsMatrix(a[i], 0.0));
}

TEST_CASE("tanh and leaky ReLU models survive a save and load and predict exactly the same", "[ch08][provided]") {
    for (const std::string activation : {"tanh", "leaky_relu"}) {
        INFO(activation);
        NN_TEST_SEED(87);
        nn::Classifier model = small_model(activation);
        const std::string path = temp_path(activation + ".nnm");
        nn::save_model(path, model);
        nn::Classifier loaded = nn::load_model(path);
        CHECK(loaded.activation == activation);
        std::vector<std::string> kinds;
        for (std::size_t i = 0; i < loaded.network.size(); ++i) kinds.push_back(loaded.network.layer(i).kind());
        CHECK(std::count(kinds.begin(), kinds.end(), activation) == 1);  // one hidden layer
        if (activation == "leaky_relu")
            for (std::size_t i = 0; i < loaded.network.size(); ++i)
                if (const auto* leaky = dynamic_cast<const nn::LeakyReLU*>(&loaded.network.layer(i)))
                    CHECK(leaky->slope() == nn::default_leaky_slope);
        const arma::mat images = arma::randu(784, 5);
        CHECK_THAT(loaded.probabilities(images), EqualsMatrix(model.probabilities(images), 0.0));
    }
}

TEST_CASE("a model file's leaky ReLU has the slope 0.01 and its tanh is the tanh, as the format says",
          "[ch08][provided]") {
    // 784 raw pixels of 0.5 -> one hidden unit with weights -0.01 (z = -3.92)
    // -> ten outputs with weights 0, 1, ..., 9: logit k = k a, where a is the
    // hidden unit's activation, and probability k = e^(k a) / sum_j e^(j a).
    // (ReLU would give a = 0 and equal probabilities.)
    ModelFile file;
    file.sizes = {784, 1, 10};
    file.parameters.assign(784, -0.01);
    file.parameters.push_back(0.0);  // hidden bias
    for (int k = 0; k < 10; ++k) file.parameters.push_back(k);
    file.parameters.resize(file.parameters.size() + 10, 0.0);  // output biases
    const double z = 784 * 0.5 * -0.01;
    for (const auto& [activation, a] :
         {std::pair<std::string, double>{"leaky_relu", 0.01 * z}, {"tanh", std::tanh(z)}}) {
        INFO(activation);
        file.activation = activation;
        nn::Classifier model = nn::load_model(file.write(activation + "_by_hand.nnm"));
        arma::vec expected(10);
        for (int k = 0; k < 10; ++k) expected(k) = std::exp(k * a);
        expected /= arma::accu(expected);
        // 1e-12: a sum of 784 products and a softmax, in another order than here.
        CHECK_THAT(model.probabilities(arma::vec(784, arma::fill::value(0.5))), EqualsMatrix(expected, 1e-12));
    }
}

TEST_CASE("a model file with an activation the course does not have is refused, naming it", "[ch08][provided]") {
    ModelFile file;
    file.activation = "softplus";
    CHECK_THROWS_WITH(nn::load_model(file.write("softplus.nnm")),
                      ContainsSubstring("softplus.nnm") && ContainsSubstring("activation") &&
                          ContainsSubstring("'softplus'") && ContainsSubstring("leaky_relu"));
}

TEST_CASE("corrupt, truncated and foreign model files give clear errors", "[ch08][provided]") {
    NN_TEST_SEED(82);
    nn::Classifier model = small_model();
    const std::string good = temp_path("good.nnm");
    nn::save_model(good, model);
    const std::vector<unsigned char> bytes = read_bytes(good);

    auto flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x40;
    write_bytes(temp_path("flipped.nnm"), flipped);
    CHECK_THROWS_WITH(nn::load_model(temp_path("flipped.nnm")), ContainsSubstring("checksum mismatch"));

    write_bytes(temp_path("short.nnm"), std::vector<unsigned char>(bytes.begin(), bytes.begin() + bytes.size() / 3));
    CHECK_THROWS_AS(nn::load_model(temp_path("short.nnm")), nn::InputError);

    write_bytes(temp_path("text.nnm"),
                {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!', '!', '!', '!'});
    CHECK_THROWS_WITH(nn::load_model(temp_path("text.nnm")), ContainsSubstring("not a model file"));

    auto version = bytes;
    version[8] = 9;
    write_bytes(temp_path("version.nnm"), version);
    CHECK_THROWS_WITH(nn::load_model(temp_path("version.nnm")), ContainsSubstring("version 9"));

    CHECK_THROWS_WITH(nn::load_model(temp_path("missing.nnm")), ContainsSubstring("no such model file"));
}

TEST_CASE("a model file with a valid checksum but absurd sizes is refused before allocating", "[ch08][provided]") {
    NN_TEST_SEED(83);
    nn::Classifier model = small_model();
    const std::string path = temp_path("absurd.nnm");
    nn::save_model(path, model);
    auto bytes = read_bytes(path);
    // The layer sizes follow magic (8), version (4), three names and two doubles.
    std::size_t at = 12;
    for (int name = 0; name < 3; ++name) {
        std::uint32_t n;
        std::memcpy(&n, bytes.data() + at, 4);
        at += 4 + n;
    }
    at += 16 + 4;                            // dropout, test accuracy, layer count
    const std::uint32_t huge = 4000000000u;  // the first layer: 4e9 inputs
    std::memcpy(bytes.data() + at, &huge, 4);
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), bytes.data(), bytes.size() - 4));
    std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
    write_bytes(path, bytes);
    CHECK_THROWS_WITH(nn::load_model(path), ContainsSubstring("layer size") && ContainsSubstring("4000000000"));
}

TEST_CASE("saving into a missing folder fails cleanly and leaves no file", "[ch08][provided]") {
    NN_TEST_SEED(84);
    nn::Classifier model = small_model();
    CHECK_THROWS_AS(nn::save_model("no/such/folder/m.nnm", model), nn::InputError);
    CHECK_FALSE(fs::exists("no/such/folder"));
}

TEST_CASE("a model file written by the format's own description loads", "[ch08][provided]") {
    ModelFile file;
    file.sizes = {787, 3, 10};
    file.features = "deskew+stats";
    file.mean.assign(787, 0.5);
    file.scale.assign(787, 2.0);
    nn::Classifier model = nn::load_model(file.write("by_hand.nnm"));
    CHECK(model.sizes == std::vector<arma::uword>{787, 3, 10});
    CHECK(model.standardizer.scale(786) == 2.0);
    CHECK(model.probabilities(arma::vec(784, arma::fill::value(0.5))).is_finite());
}

TEST_CASE("a model without standardisation (size 0, which the format allows) loads and classifies",
          "[ch08][provided]") {
    ModelFile file;  // 784 raw pixels in, no standardisation
    nn::Classifier model = nn::load_model(file.write("no_standardisation.nnm"));
    CHECK(model.standardizer.mean.is_empty());
    const arma::mat p = model.probabilities(arma::mat(784, 2, arma::fill::value(0.5)));
    CHECK(p.is_finite());
    CHECK(p(0, 0) == Approx(0.1).epsilon(1e-12));  // equal weights: every class alike
}

TEST_CASE("a model file whose layers need more bytes than it holds is refused before the network is built",
          "[ch08][provided]") {
    ModelFile file;
    file.sizes = {784, 8192, 8192, 10};  // 563 MB of weights claimed by a file of about 100 bytes
    file.parameters = {0.5};
    const std::string path = file.write("claims_weights.nnm");
    const auto run = nn_test::run_in_child([&] { nn::load_model(path); });
    REQUIRE(run.completed);
    CHECK_THAT(run.error, ContainsSubstring(path) && ContainsSubstring("784-8192-8192-10") &&
                              ContainsSubstring("weights and biases"));
    CHECK(run.peak_growth_mib < 64);
}

TEST_CASE("a file of a gigabyte that is not a model is refused from its first bytes", "[ch08][provided]") {
    for (const bool valid_start : {false, true}) {
        INFO((valid_start ? "magic and version of a model, then zeros" : "text, then zeros"));
        const std::string path = temp_path("sparse.nnm");
        write_bytes(path, valid_start ? std::vector<unsigned char>{'N', 'N', 'S', 'C', 'M', 'O', 'D', 'L', 1, 0, 0, 0}
                                      : std::vector<unsigned char>{'h', 'e', 'l', 'l', 'o'});
        fs::resize_file(path, std::uint64_t{1} << 30);  // sparse: takes no disk space
        const auto run = nn_test::run_in_child([&] { nn::load_model(path); });
        fs::remove(path);
        REQUIRE(run.completed);
        CHECK_THAT(run.error, ContainsSubstring(path));
        CHECK(run.peak_growth_mib < 64);
    }
}

TEST_CASE("a model's outputs must be its dataset's classes, its inputs its features'", "[ch08][provided]") {
    ModelFile outputs;
    outputs.sizes = {784, 3, 20};
    CHECK_THROWS_WITH(nn::load_model(outputs.write("20_outputs.nnm")), ContainsSubstring("20_outputs.nnm") &&
                                                                           ContainsSubstring("20 outputs") &&
                                                                           ContainsSubstring("MNIST has 10 classes"));
    ModelFile inputs;
    inputs.features = "deskew+stats";
    inputs.sizes = {784, 3, 10};
    CHECK_THROWS_WITH(nn::load_model(inputs.write("784_inputs.nnm")), ContainsSubstring("784_inputs.nnm") &&
                                                                          ContainsSubstring("784 inputs") &&
                                                                          ContainsSubstring("deskew+stats gives 787"));
}

TEST_CASE("NaN or infinite weights and statistics, and zero or negative scales, are refused at load",
          "[ch08][provided]") {
    const double nan = arma::datum::nan, inf = arma::datum::inf;
    struct Case {
        const char* what;
        std::function<void(ModelFile&)> spoil;
        const char* field;
    };
    const std::vector<Case> cases = {
        {"a NaN weight", [&](ModelFile& f) { f.parameters[5] = nan; }, "weights of layer 1"},
        {"an infinite bias", [&](ModelFile& f) { f.parameters[784 * 3 + 1] = -inf; }, "biases of layer 1"},
        {"a NaN weight in the last layer", [&](ModelFile& f) { f.parameters.back() = nan; }, "layer 2"},
        {"a NaN mean", [&](ModelFile& f) { f.mean[3] = nan; }, "standardisation means"},
        {"an infinite scale", [&](ModelFile& f) { f.scale[0] = inf; }, "standardisation scales"},
        {"a zero scale", [&](ModelFile& f) { f.scale[783] = 0.0; }, "standardisation scales"},
        {"a negative scale", [&](ModelFile& f) { f.scale[7] = -1.0; }, "standardisation scales"},
        {"an infinite test accuracy", [&](ModelFile& f) { f.test_accuracy = inf; }, "test accuracy"},
        // Finite, but the forward pass would overflow to infinity and give NaN probabilities.
        {"weights of 1e308",
         [&](ModelFile& f) { std::fill(f.parameters.begin(), f.parameters.begin() + 784 * 3, 1e308); },
         "could overflow"},
        {"a tiny scale under a huge mean", [&](ModelFile& f) { f.mean[0] = -4e307, f.scale[0] = 1e-300; },
         "could overflow"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        ModelFile file;
        file.mean.assign(784, 0.0);
        file.scale.assign(784, 1.0);
        file.parameters.assign(784 * 3 + 3 + 3 * 10 + 10, 0.01);
        c.spoil(file);
        CHECK_THROWS_WITH(nn::load_model(file.write("spoilt.nnm")),
                          ContainsSubstring("spoilt.nnm") && ContainsSubstring(c.field));
    }
}

TEST_CASE("save_model refuses a model that load_model would refuse, and writes nothing", "[ch08][provided]") {
    NN_TEST_SEED(85);
    nn::Classifier model = small_model();
    model.dropout = arma::datum::nan;
    const std::string path = temp_path("nan_dropout.nnm");
    CHECK_THROWS_WITH(nn::save_model(path, model), ContainsSubstring(path) && ContainsSubstring("dropout"));
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("a save removes the temporary files that killed saves of the same file left behind", "[ch08][provided]") {
    NN_TEST_SEED(86);
    nn::Classifier model = small_model();
    const std::string path = temp_path("stale.nnm");
    // A process that has ended: its temporary file can never be renamed.
    const pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const std::string stale = path + ".tmp." + std::to_string(dead);
    const std::string running = path + ".tmp." + std::to_string(::getppid());      // a save still under way
    const std::string other = temp_path("other.nnm.tmp." + std::to_string(dead));  // another file's
    for (const auto& file : {stale, running, other}) write_bytes(file, {1, 2, 3});
    nn::save_model(path, model);
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(running));
    CHECK(fs::exists(other));
    CHECK(nn::load_model(path).sizes == model.sizes);
    for (const auto& file : {running, other}) fs::remove(file);
}
