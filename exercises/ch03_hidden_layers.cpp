// Chapter 3: hidden layers. Your implementations of the functions declared
// in common/contracts/nn/layers.hpp and common/contracts/nn/two_layer.hpp (read
// the contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 3
//
// Hints are on demand, three per task: ./course hint ch03.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// Legend: I = inputs of a layer, O = outputs, B = batch size. One sample per column.
// In ch03.9: D = input size, H = hidden units, K = classes; W1, b1, W2, b2 are
// hidden_weights, hidden_bias, output_weights, output_bias.

#include "nn/core.hpp"
#include "nn/layers.hpp"
#include "nn/softmax.hpp"
#include "nn/two_layer.hpp"

namespace nn {

arma::mat Dense::forward([[maybe_unused]] const arma::mat& input) {
    // BEGIN YOUR CODE (ch03.1 Dense::forward)
    // Task ch03.1: the forward pass of a dense layer.
    // Contract: nn::Dense::forward in common/contracts/nn/layers.hpp
    // Shapes: weights O x I, bias O x 1, input I x B -> O x B.
    // Hints: ./course hint ch03.1
    throw nn::NotImplemented("ch03.1 Dense::forward");
    // END YOUR CODE
}

arma::mat Dense::backward([[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.2 Dense::backward)
    // Task ch03.2: the backward pass of a dense layer.
    // Contract: nn::Dense::backward in common/contracts/nn/layers.hpp
    // Shapes: output_gradient O x B -> I x B; weights_gradient O x I, bias_gradient O x 1.
    // Hints: ./course hint ch03.2
    throw nn::NotImplemented("ch03.2 Dense::backward");
    // END YOUR CODE
}

arma::mat relu([[maybe_unused]] const arma::mat& z) {
    // BEGIN YOUR CODE (ch03.3 relu)
    // Task ch03.3: the ReLU, element-wise.
    // Contract: nn::relu in common/contracts/nn/layers.hpp
    // Shapes: z any -> the same.
    // Hints: ./course hint ch03.3
    throw nn::NotImplemented("ch03.3 relu");
    // END YOUR CODE
}

arma::mat relu_backward([[maybe_unused]] const arma::mat& z, [[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.4 relu_backward)
    // Task ch03.4: the backward pass of the ReLU.
    // Contract: nn::relu_backward in common/contracts/nn/layers.hpp
    // Shapes: z, output_gradient the same shape -> that shape.
    // Hints: ./course hint ch03.4
    throw nn::NotImplemented("ch03.4 relu_backward");
    // END YOUR CODE
}

arma::mat sigmoid([[maybe_unused]] const arma::mat& z) {
    // BEGIN YOUR CODE (ch03.5 sigmoid)
    // Task ch03.5: the sigmoid, element-wise, without overflow.
    // Contract: nn::sigmoid in common/contracts/nn/layers.hpp
    // Shapes: z any -> the same.
    // Hints: ./course hint ch03.5
    throw nn::NotImplemented("ch03.5 sigmoid");
    // END YOUR CODE
}

arma::mat sigmoid_backward([[maybe_unused]] const arma::mat& output,
                           [[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.6 sigmoid_backward)
    // Task ch03.6: the backward pass of the sigmoid, from its output.
    // Contract: nn::sigmoid_backward in common/contracts/nn/layers.hpp
    // Shapes: output, output_gradient the same shape -> that shape.
    // Hints: ./course hint ch03.6
    throw nn::NotImplemented("ch03.6 sigmoid_backward");
    // END YOUR CODE
}

arma::mat he_normal([[maybe_unused]] arma::uword inputs, [[maybe_unused]] arma::uword outputs) {
    // BEGIN YOUR CODE (ch03.7 he_normal)
    // Task ch03.7: He initialisation.
    // Contract: nn::he_normal in common/contracts/nn/layers.hpp
    // Shapes: -> outputs x inputs (O x I).
    // Hints: ./course hint ch03.7
    throw nn::NotImplemented("ch03.7 he_normal");
    // END YOUR CODE
}

arma::mat xavier_uniform([[maybe_unused]] arma::uword inputs, [[maybe_unused]] arma::uword outputs) {
    // BEGIN YOUR CODE (ch03.8 xavier_uniform)
    // Task ch03.8: Xavier initialisation.
    // Contract: nn::xavier_uniform in common/contracts/nn/layers.hpp
    // Shapes: -> outputs x inputs (O x I).
    // Hints: ./course hint ch03.8
    throw nn::NotImplemented("ch03.8 xavier_uniform");
    // END YOUR CODE
}

TwoLayerGradients two_layer_loss_and_gradients([[maybe_unused]] const arma::mat& hidden_weights,
                                               [[maybe_unused]] const arma::vec& hidden_bias,
                                               [[maybe_unused]] const arma::mat& output_weights,
                                               [[maybe_unused]] const arma::vec& output_bias,
                                               [[maybe_unused]] const arma::mat& images,
                                               [[maybe_unused]] const arma::uvec& labels) {
    // BEGIN YOUR CODE (ch03.9 two_layer_loss_and_gradients)
    // Task ch03.9: the loss and all four gradients of a two-layer ReLU network, by hand.
    // Contract: nn::two_layer_loss_and_gradients in common/contracts/nn/two_layer.hpp
    // Shapes: W1 H x D, b1 H, W2 K x H, b2 K, images D x B, labels B -> gradients shaped alike.
    // Hints: ./course hint ch03.9
    throw nn::NotImplemented("ch03.9 two_layer_loss_and_gradients");
    // END YOUR CODE
}

arma::mat tanh_activation([[maybe_unused]] const arma::mat& z) {
    // BEGIN YOUR CODE (ch03.10 tanh_activation)
    // Task ch03.10: tanh, element-wise, finite for every input.
    // Contract: nn::tanh_activation in common/contracts/nn/layers.hpp
    // Shapes: z any -> the same.
    // Hints: ./course hint ch03.10
    throw nn::NotImplemented("ch03.10 tanh_activation");
    // END YOUR CODE
}

arma::mat tanh_activation_backward([[maybe_unused]] const arma::mat& output,
                                   [[maybe_unused]] const arma::mat& output_gradient) {
    // BEGIN YOUR CODE (ch03.11 tanh_activation_backward)
    // Task ch03.11: the backward pass of tanh, from its output.
    // Contract: nn::tanh_activation_backward in common/contracts/nn/layers.hpp
    // Shapes: output, output_gradient the same shape -> that shape.
    // Hints: ./course hint ch03.11
    throw nn::NotImplemented("ch03.11 tanh_activation_backward");
    // END YOUR CODE
}

arma::mat leaky_relu([[maybe_unused]] const arma::mat& z, [[maybe_unused]] double slope) {
    // BEGIN YOUR CODE (ch03.12 leaky_relu)
    // Task ch03.12: the leaky ReLU, element-wise.
    // Contract: nn::leaky_relu in common/contracts/nn/layers.hpp
    // Shapes: z any -> the same; slope a number.
    // Hints: ./course hint ch03.12
    throw nn::NotImplemented("ch03.12 leaky_relu");
    // END YOUR CODE
}

arma::mat leaky_relu_backward([[maybe_unused]] const arma::mat& z, [[maybe_unused]] const arma::mat& output_gradient,
                              [[maybe_unused]] double slope) {
    // BEGIN YOUR CODE (ch03.13 leaky_relu_backward)
    // Task ch03.13: the backward pass of the leaky ReLU.
    // Contract: nn::leaky_relu_backward in common/contracts/nn/layers.hpp
    // Shapes: z, output_gradient the same shape -> that shape.
    // Hints: ./course hint ch03.13
    throw nn::NotImplemented("ch03.13 leaky_relu_backward");
    // END YOUR CODE
}

}  // namespace nn
