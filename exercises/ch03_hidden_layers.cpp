// Chapter 3: hidden layers. Your implementations of the functions declared
// in common/include/nn/layers.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 3
//
// Legend: I = inputs of a layer, O = outputs, B = batch size. One sample per column.

#include "nn/core.hpp"
#include "nn/layers.hpp"

namespace nn {

arma::mat Dense::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch03.1 Dense::forward)
    // Remember the input (this->input = input) for backward, then return
    // Y = W X + b: weights (O x I) times input (I x B), bias (O x 1) added to
    // every column. Hint: .each_col() += works with an O x 1 matrix as a vector.
    throw nn::NotImplemented("ch03.1 Dense::forward");
    // END YOUR CODE
}

arma::mat Dense::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.2 Dense::backward)
    // G = output_gradient (O x B), X = the input saved by forward (I x B):
    //   weights_gradient = G X^T        (O x I)
    //   bias_gradient    = row sums of G (O x 1): arma::sum(G, 1)
    //   return W^T G                     (I x B)
    // If input_gradient is false, return an empty arma::mat() instead of W^T G.
    throw nn::NotImplemented("ch03.2 Dense::backward");
    // END YOUR CODE
}

arma::mat relu([[maybe_unused]] const arma::mat& z) {
    // BEGIN YOUR CODE (ch03.3 relu)
    // max(0, z) element by element. Hint: arma::clamp(z, 0.0, arma::datum::inf).
    throw nn::NotImplemented("ch03.3 relu");
    // END YOUR CODE
}

arma::mat relu_backward([[maybe_unused]] const arma::mat& z, [[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.4 relu_backward)
    // Pass the gradient where z > 0, zero elsewhere (also where z == 0).
    // Hint: (z > 0) is a 0/1 matrix of unsigned ints; % multiplies element-wise
    // once both sides are doubles: arma::conv_to<arma::mat>::from(z > 0).
    throw nn::NotImplemented("ch03.4 relu_backward");
    // END YOUR CODE
}

arma::mat sigmoid([[maybe_unused]] const arma::mat& z) {
    // BEGIN YOUR CODE (ch03.5 sigmoid)
    // 1 / (1 + exp(-z)) where z >= 0, exp(z) / (1 + exp(z)) where z < 0, so
    // that no exponent is positive. Hint: e = exp(-|z|) is in (0, 1]; then
    // the result is 1/(1+e) for z >= 0 and e/(1+e) for z < 0.
    throw nn::NotImplemented("ch03.5 sigmoid");
    // END YOUR CODE
}

arma::mat sigmoid_backward([[maybe_unused]] const arma::mat& output,
                           [[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.6 sigmoid_backward)
    // G % s % (1 - s), with s = output, the sigmoid computed in the forward pass.
    throw nn::NotImplemented("ch03.6 sigmoid_backward");
    // END YOUR CODE
}

arma::mat he_normal([[maybe_unused]] arma::uword inputs, [[maybe_unused]] arma::uword outputs) {
    // BEGIN YOUR CODE (ch03.7 he_normal)
    // An outputs x inputs matrix of arma::randn values times sqrt(2 / inputs).
    throw nn::NotImplemented("ch03.7 he_normal");
    // END YOUR CODE
}

arma::mat xavier_uniform([[maybe_unused]] arma::uword inputs, [[maybe_unused]] arma::uword outputs) {
    // BEGIN YOUR CODE (ch03.8 xavier_uniform)
    // An outputs x inputs matrix uniform on [-a, a], a = sqrt(6 / (inputs + outputs)).
    // arma::randu gives [0, 1]: scale and shift it.
    throw nn::NotImplemented("ch03.8 xavier_uniform");
    // END YOUR CODE
}

}  // namespace nn
