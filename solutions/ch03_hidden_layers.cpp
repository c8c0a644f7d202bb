// Chapter 3 reference solutions: see common/contracts/nn/layers.hpp and
// common/contracts/nn/two_layer.hpp.
// Legend: I = inputs of a layer, O = outputs, B = batch size. One sample per column.
// In ch03.9: D = input size, H = hidden units, K = classes.

#include <cmath>
#include <stdexcept>
#include <string>

#include "nn/layers.hpp"
#include "nn/softmax.hpp"
#include "nn/two_layer.hpp"

namespace nn {
namespace {

std::string shape_text(const arma::mat& m) { return std::to_string(m.n_rows) + " x " + std::to_string(m.n_cols); }

// The shapes of ch03.9's arguments must fit together; Armadillo would stop
// at the first product that does not, with a std::logic_error that names no
// argument. (An empty batch and a label of K or more are cross_entropy's to refuse.)
void check_two_layer_shapes(const arma::mat& w1, const arma::vec& b1, const arma::mat& w2, const arma::vec& b2,
                            const arma::mat& x, const arma::uvec& labels) {
    std::string problem;
    if (w1.n_cols != x.n_rows)
        problem = "hidden_weights is " + shape_text(w1) + " but the images have " + std::to_string(x.n_rows) + " rows";
    else if (b1.n_elem != w1.n_rows)
        problem = "hidden_bias has " + std::to_string(b1.n_elem) + " entries for " + std::to_string(w1.n_rows) +
                  " hidden units";
    else if (w2.n_cols != w1.n_rows)
        problem =
            "output_weights is " + shape_text(w2) + " but there are " + std::to_string(w1.n_rows) + " hidden units";
    else if (b2.n_elem != w2.n_rows)
        problem =
            "output_bias has " + std::to_string(b2.n_elem) + " entries for " + std::to_string(w2.n_rows) + " classes";
    else if (labels.n_elem != x.n_cols)
        problem = std::to_string(labels.n_elem) + " labels for " + std::to_string(x.n_cols) + " images";
    if (!problem.empty()) throw std::invalid_argument("two_layer_loss_and_gradients: " + problem);
}

}  // namespace

arma::mat Dense::forward(const arma::mat& input) {
    // BEGIN SOLUTION (ch03.1 Dense::forward)
    this->input = input;
    arma::mat y = weights * input;  // O x B
    y.each_col() += bias;           // bias is O x 1: added to every column
    return y;
    // END SOLUTION
}

arma::mat Dense::backward(const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch03.2 Dense::backward)
    weights_gradient = output_gradient * input.t();  // O x I (gemm with a transpose flag, no copy)
    bias_gradient = arma::sum(output_gradient, 1);   // O x 1
    if (!input_gradient) return {};                  // nothing below needs it
    return weights.t() * output_gradient;            // I x B
    // END SOLUTION
}

// Both are one pass over the elements. Armadillo expressions such as
// clamp(z, 0, inf) or G % (z > 0) give the same numbers but build a
// temporary or take a slower path; in training these two run for every
// hidden layer and batch, so the plain loop is worth it. Each loop reads its
// inputs first and only then chooses, so the compiler can compare and mask
// several elements at once. Written as "if z > 0, copy G", the loop branches
// on the sign of z, which the processor cannot predict: in a profile of the
// bench that version of relu_backward took ten times as long.
arma::mat relu(const arma::mat& z) {
    // BEGIN SOLUTION (ch03.3 relu)
    arma::mat a(arma::size(z));
    const double* in = z.memptr();
    double* out = a.memptr();
    for (arma::uword i = 0; i < z.n_elem; ++i) out[i] = in[i] > 0.0 ? in[i] : 0.0;
    return a;
    // END SOLUTION
}

arma::mat relu_backward(const arma::mat& z, const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch03.4 relu_backward)
    arma::mat gradient(arma::size(z));
    const double* in = z.memptr();
    const double* g = output_gradient.memptr();
    double* out = gradient.memptr();
    for (arma::uword i = 0; i < z.n_elem; ++i) {
        const double passed = g[i];
        out[i] = in[i] > 0.0 ? passed : 0.0;
    }
    return gradient;
    // END SOLUTION
}

arma::mat sigmoid(const arma::mat& z) {
    // BEGIN SOLUTION (ch03.5 sigmoid)
    const arma::mat e = arma::exp(-arma::abs(z));  // in (0, 1]: never overflows
    arma::mat s = 1.0 / (1.0 + e);                 // right for z >= 0
    const arma::uvec negative = arma::find(z < 0.0);
    s.elem(negative) = e.elem(negative) / (1.0 + e.elem(negative));
    return s;
    // END SOLUTION
}

arma::mat sigmoid_backward(const arma::mat& output, const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch03.6 sigmoid_backward)
    return output_gradient % output % (1.0 - output);
    // END SOLUTION
}

arma::mat he_normal(arma::uword inputs, arma::uword outputs) {
    // BEGIN SOLUTION (ch03.7 he_normal)
    return std::sqrt(2.0 / inputs) * arma::randn(outputs, inputs);
    // END SOLUTION
}

arma::mat xavier_uniform(arma::uword inputs, arma::uword outputs) {
    // BEGIN SOLUTION (ch03.8 xavier_uniform)
    const double a = std::sqrt(6.0 / static_cast<double>(inputs + outputs));
    return a * (2.0 * arma::randu(outputs, inputs) - 1.0);
    // END SOLUTION
}

TwoLayerGradients two_layer_loss_and_gradients(const arma::mat& hidden_weights, const arma::vec& hidden_bias,
                                               const arma::mat& output_weights, const arma::vec& output_bias,
                                               const arma::mat& images, const arma::uvec& labels) {
    // BEGIN SOLUTION (ch03.9 two_layer_loss_and_gradients)
    check_two_layer_shapes(hidden_weights, hidden_bias, output_weights, output_bias, images, labels);
    arma::mat z1 = hidden_weights * images;  // H x B
    z1.each_col() += hidden_bias;
    const arma::mat a1 = relu(z1);       // H x B
    arma::mat z2 = output_weights * a1;  // K x B, the logits
    z2.each_col() += output_bias;

    const arma::mat g2 = cross_entropy_gradient(softmax(z2), labels);  // dL/dZ2 = (P - Y) / B, K x B
    const arma::mat g1 = relu_backward(z1, output_weights.t() * g2);   // dL/dZ1, H x B
    return {cross_entropy(z2, labels), g1 * images.t(), arma::sum(g1, 1), g2 * a1.t(), arma::sum(g2, 1)};
    // END SOLUTION
}

arma::mat tanh_activation(const arma::mat& z) {
    // BEGIN SOLUTION (ch03.10 tanh_activation)
    // std::tanh per element: exactly +-1 beyond |z| of about 19, no overflow on
    // the way, and accurate near 0, where 1 - exp(-2|z|) would cancel.
    return arma::tanh(z);
    // END SOLUTION
}

arma::mat tanh_activation_backward(const arma::mat& output, const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch03.11 tanh_activation_backward)
    return output_gradient % (1.0 - arma::square(output));
    // END SOLUTION
}

// One branch-free pass each, as relu and relu_backward above: in training they
// run for every hidden layer and batch.
arma::mat leaky_relu(const arma::mat& z, double slope) {
    // BEGIN SOLUTION (ch03.12 leaky_relu)
    arma::mat a(arma::size(z));
    const double* in = z.memptr();
    double* out = a.memptr();
    for (arma::uword i = 0; i < z.n_elem; ++i) {
        const double scaled = slope * in[i];
        out[i] = in[i] > 0.0 ? in[i] : scaled;
    }
    return a;
    // END SOLUTION
}

arma::mat leaky_relu_backward(const arma::mat& z, const arma::mat& output_gradient, double slope) {
    // BEGIN SOLUTION (ch03.13 leaky_relu_backward)
    arma::mat gradient(arma::size(z));
    const double* in = z.memptr();
    const double* g = output_gradient.memptr();
    double* out = gradient.memptr();
    for (arma::uword i = 0; i < z.n_elem; ++i) {
        const double passed = g[i], scaled = slope * g[i];
        out[i] = in[i] > 0.0 ? passed : scaled;
    }
    return gradient;
    // END SOLUTION
}

}  // namespace nn
