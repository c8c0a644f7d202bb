// Chapter 5 reference solutions: see common/contracts/nn/dropout.hpp and nn/network.hpp.

#include "nn/dropout.hpp"
#include "nn/network.hpp"

namespace nn {

arma::mat Dropout::forward(const arma::mat& input) {
    // BEGIN SOLUTION (ch05.1 Dropout::forward)
    if (!training()) return input;
    if (!reuse_mask || arma::size(mask) != arma::size(input)) {
        const double keep = 1.0 - drop_probability;
        mask = arma::conv_to<arma::mat>::from(arma::randu(arma::size(input)) < keep) / keep;
    }
    return input % mask;
    // END SOLUTION
}

arma::mat Dropout::backward(const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch05.2 Dropout::backward)
    if (!training()) return output_gradient;
    return output_gradient % mask;
    // END SOLUTION
}

void Sequential::set_training(bool training) {
    // BEGIN SOLUTION (ch05.3 Sequential::set_training)
    for (auto& layer : layers_) layer->set_training(training);
    // END SOLUTION
}

}  // namespace nn
