// Chapter 3 reference solutions: see common/include/nn/layers.hpp.
// Legend: I = inputs of a layer, O = outputs, B = batch size. One sample per column.

#include <cmath>

#include "nn/layers.hpp"

namespace nn {

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

}  // namespace nn
