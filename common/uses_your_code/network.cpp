// Course code every build shares (yours, the reference, the stubs): the parts
// of layers and networks that are set-up rather than exercises.

#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>
#include <stdexcept>

#include "nn/dropout.hpp"
#include "nn/layers.hpp"
#include "nn/network.hpp"
#include "nn/softmax.hpp"

namespace nn {
namespace {

const std::string expected_activations = "expected relu, sigmoid, tanh or leaky_relu";

}  // namespace

std::unique_ptr<Dense> make_dense(arma::uword inputs, arma::uword outputs, const std::string& activation) {
    auto layer = std::make_unique<Dense>(inputs, outputs);
    if (activation == "relu") {
        layer->weights = he_normal(inputs, outputs);
    } else if (activation == "leaky_relu") {
        // He's gain sqrt(2 / (1 + s^2)) instead of sqrt(2): the same draw as he_normal, scaled.
        layer->weights = he_normal(inputs, outputs) / std::sqrt(1.0 + default_leaky_slope * default_leaky_slope);
    } else if (activation == "sigmoid" || activation == "tanh") {
        layer->weights = xavier_uniform(inputs, outputs);
    } else {
        throw std::invalid_argument("unknown activation '" + activation + "': " + expected_activations);
    }
    return layer;
}

std::unique_ptr<Layer> make_activation(const std::string& activation) {
    if (activation == "relu") return std::make_unique<ReLU>();
    if (activation == "sigmoid") return std::make_unique<Sigmoid>();
    if (activation == "tanh") return std::make_unique<Tanh>();
    if (activation == "leaky_relu") return std::make_unique<LeakyReLU>(default_leaky_slope);
    throw std::invalid_argument("unknown activation '" + activation + "': " + expected_activations);
}

std::vector<Parameter> Sequential::parameters() {
    std::vector<Parameter> all;
    std::map<std::string, int> count;
    for (auto& layer : layers_) {
        const std::string prefix = layer->kind() + std::to_string(++count[layer->kind()]) + ".";
        for (Parameter p : layer->parameters()) {
            p.name = prefix + p.name;
            all.push_back(p);
        }
    }
    return all;
}

std::string Sequential::describe() const {
    std::string text;
    for (const auto& layer : layers_) {
        if (!text.empty()) text += ' ';
        text += layer->kind();
        if (const auto* dense = dynamic_cast<const Dense*>(layer.get()))
            text += "(" + std::to_string(dense->weights.n_cols) + "->" + std::to_string(dense->weights.n_rows) + ")";
    }
    return text;
}

Sequential make_mlp(const std::vector<arma::uword>& sizes, const std::string& activation, double dropout) {
    if (sizes.size() < 2) throw std::invalid_argument("make_mlp: need at least an input and an output size");
    Sequential network;
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        network.add(make_dense(sizes[i], sizes[i + 1], activation));
        if (i + 2 == sizes.size()) break;  // no activation after the output layer
        network.add(make_activation(activation));
        if (dropout > 0.0) network.add(std::make_unique<Dropout>(dropout));
    }
    return network;
}

std::pair<double, arma::mat> loss_gradient(const arma::mat& logits, const arma::uvec& labels) {
    return {cross_entropy(logits, labels), cross_entropy_gradient(softmax(logits), labels)};
}

bool print_gradient_checks(std::ostream& out, const std::vector<GradientCheck>& rows, Sequential& network,
                           double tolerance) {
    std::map<std::string, std::string> shapes;
    for (const Parameter& p : network.parameters())
        shapes[p.name] = std::to_string(p.value->n_rows) + "x" + std::to_string(p.value->n_cols);
    bool all = true;
    out << std::left << std::setw(16) << "parameter" << std::setw(9) << "shape" << std::right << std::setw(12)
        << "rel. error" << std::setw(10) << "at" << std::setw(14) << "analytic" << std::setw(14) << "numeric"
        << "  verdict\n";
    for (const auto& row : rows) {
        const bool ok = row.error.value < tolerance;
        all = all && ok;
        const std::string at = "(" + std::to_string(row.error.row) + "," + std::to_string(row.error.col) + ")";
        out << std::left << std::setw(16) << row.name << std::setw(9)
            << (shapes.count(row.name) ? shapes[row.name] : "") << std::right << std::scientific << std::setprecision(2)
            << std::setw(12) << row.error.value << std::setw(10) << at << std::setprecision(5) << std::setw(14)
            << row.analytic << std::setw(14) << row.numeric << std::defaultfloat << "  " << (ok ? "ok" : "WRONG")
            << '\n';
    }
    return all;
}

}  // namespace nn
