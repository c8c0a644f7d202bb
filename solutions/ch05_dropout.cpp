// Chapter 5 reference solutions: see common/contracts/nn/dropout.hpp, nn/network.hpp
// and nn/batch_norm.hpp.
// Legend (batch normalisation): F = features (rows), B = batch size (columns).

#include "nn/batch_norm.hpp"
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

arma::mat BatchNorm::forward_training(const arma::mat& input) {
    // BEGIN SOLUTION (ch05.4 BatchNorm::forward_training)
    const double batch = static_cast<double>(input.n_cols);
    const arma::vec mean = arma::mean(input, 1);  // F x 1: each row's mean over the batch
    normalized = input;
    normalized.each_col() -= mean;
    const arma::vec variance = arma::sum(arma::square(normalized), 1) / batch;  // biased: divided by B
    std_deviation = arma::sqrt(variance + epsilon);
    normalized.each_col() /= std_deviation;
    running_mean = (1.0 - momentum) * running_mean + momentum * mean;
    if (input.n_cols > 1)  // one sample has no spread to estimate
        running_variance = (1.0 - momentum) * running_variance + momentum * batch / (batch - 1.0) * variance;
    arma::mat output = normalized;
    output.each_col() %= gamma;
    output.each_col() += beta;
    return output;
    // END SOLUTION
}

arma::mat BatchNorm::forward_evaluation(const arma::mat& input) {
    // BEGIN SOLUTION (ch05.5 BatchNorm::forward_evaluation)
    std_deviation = arma::sqrt(running_variance + epsilon);
    normalized = input;
    normalized.each_col() -= running_mean;
    normalized.each_col() /= std_deviation;
    arma::mat output = normalized;
    output.each_col() %= gamma;
    output.each_col() += beta;
    return output;
    // END SOLUTION
}

arma::mat BatchNorm::backward(const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch05.6 BatchNorm::backward)
    beta_gradient = arma::sum(output_gradient, 1);                // F x 1
    gamma_gradient = arma::sum(output_gradient % normalized, 1);  // F x 1
    arma::mat input_gradient = output_gradient;                   // F x B
    if (!training()) {  // the running averages are constants: an affine map per sample
        input_gradient.each_col() %= gamma / std_deviation;
        return input_gradient;
    }
    const double batch = static_cast<double>(output_gradient.n_cols);
    input_gradient *= batch;
    input_gradient.each_col() -= beta_gradient;                // through the mean
    input_gradient -= normalized.each_col() % gamma_gradient;  // through sigma
    input_gradient.each_col() %= gamma / (batch * std_deviation);
    return input_gradient;
    // END SOLUTION
}

}  // namespace nn
