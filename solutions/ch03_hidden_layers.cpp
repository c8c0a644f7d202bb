// Chapter 3 reference solutions: see common/include/nn/layers.hpp.
// Legend: I = inputs of a layer, O = outputs, B = batch size. One sample per column.

#include <cmath>

#include "nn/layers.hpp"

namespace nn {

arma::mat Dense::forward(const arma::mat& input) {
    this->input = input;
    arma::mat y = weights * input;  // O x B
    y.each_col() += bias;           // bias is O x 1: added to every column
    return y;
}

arma::mat Dense::backward(const arma::mat& output_gradient) {
    weights_gradient = output_gradient * input.t();  // O x I (gemm with a transpose flag, no copy)
    bias_gradient = arma::sum(output_gradient, 1);   // O x 1
    if (!input_gradient) return {};                  // nothing below needs it
    return weights.t() * output_gradient;            // I x B
}

arma::mat relu(const arma::mat& z) { return arma::clamp(z, 0.0, arma::datum::inf); }

arma::mat relu_backward(const arma::mat& z, const arma::mat& output_gradient) {
    // sign(z) is -1, 0 or 1; clamped to [0, 1] it is the mask [z > 0].
    return output_gradient % arma::clamp(arma::sign(z), 0.0, 1.0);
}

arma::mat sigmoid(const arma::mat& z) {
    const arma::mat e = arma::exp(-arma::abs(z));  // in (0, 1]: never overflows
    arma::mat s = 1.0 / (1.0 + e);                 // right for z >= 0
    const arma::uvec negative = arma::find(z < 0.0);
    s.elem(negative) = e.elem(negative) / (1.0 + e.elem(negative));
    return s;
}

arma::mat sigmoid_backward(const arma::mat& output, const arma::mat& output_gradient) {
    return output_gradient % output % (1.0 - output);
}

arma::mat he_normal(arma::uword inputs, arma::uword outputs) {
    return std::sqrt(2.0 / inputs) * arma::randn(outputs, inputs);
}

arma::mat xavier_uniform(arma::uword inputs, arma::uword outputs) {
    const double a = std::sqrt(6.0 / static_cast<double>(inputs + outputs));
    return a * (2.0 * arma::randu(outputs, inputs) - 1.0);
}

}  // namespace nn
