// Chapter 5: dropout. Your implementations of the functions declared in
// common/include/nn/dropout.hpp and nn/network.hpp (read the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 5

#include "nn/core.hpp"
#include "nn/dropout.hpp"
#include "nn/network.hpp"

namespace nn {

arma::mat Dropout::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch05.1 Dropout::forward)
    // Evaluation mode (!training()): return the input as it is.
    // Training mode: unless reuse_mask is set and mask has the input's size,
    // draw mask = (randu < q) / q with q = 1 - drop_probability, using
    // arma::randu(arma::size(input)); then return input % mask.
    // Hint: (u < q) is a matrix of 0/1 unsigned ints:
    // arma::conv_to<arma::mat>::from(u < q) turns it into doubles.
    throw nn::NotImplemented("ch05.1 Dropout::forward");
    // END YOUR CODE
}

arma::mat Dropout::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch05.2 Dropout::backward)
    // Training mode: the gradient flows only through the units that were
    // kept, scaled like them: output_gradient % mask. Evaluation mode: unchanged.
    throw nn::NotImplemented("ch05.2 Dropout::backward");
    // END YOUR CODE
}

void Sequential::set_training([[maybe_unused]] bool training) {
    // BEGIN YOUR CODE (ch05.3 Sequential::set_training)
    // Tell every layer in layers_ the mode: layer->set_training(training).
    throw nn::NotImplemented("ch05.3 Sequential::set_training");
    // END YOUR CODE
}

}  // namespace nn
