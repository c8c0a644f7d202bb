// Chapter 6: optimisers and learning-rate schedules. Your implementations of
// the functions declared in common/include/nn/optimizers.hpp (read the
// contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 6
//
// Each p in parameters has p.value (the parameter) and p.gradient (dL/dp).

#include "nn/core.hpp"
#include "nn/optimizers.hpp"

namespace nn {

void Sgd::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.1 Sgd::step)
    // For every parameter: *p.value -= learning_rate * *p.gradient.
    throw nn::NotImplemented("ch06.1 Sgd::step");
    // END YOUR CODE
}

void Momentum::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.2 Momentum::step)
    // prepare_state(velocity, parameters); then for each parameter i:
    //   v_i = momentum * v_i - learning_rate * g_i;   theta_i += v_i.
    throw nn::NotImplemented("ch06.2 Momentum::step");
    // END YOUR CODE
}

void Nesterov::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.3 Nesterov::step)
    // prepare_state(velocity, parameters); then for each parameter i:
    //   previous = v_i;  v_i = momentum * v_i - learning_rate * g_i;
    //   theta_i += -momentum * previous + (1 + momentum) * v_i.
    throw nn::NotImplemented("ch06.3 Nesterov::step");
    // END YOUR CODE
}

void Adam::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.4 Adam::step)
    // prepare_state for first_moment and second_moment; ++t; for each parameter:
    //   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g % g
    //   m_hat = m / (1 - beta1^t);     v_hat = v / (1 - beta2^t)
    //   theta -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)
    // Hint: std::pow(beta1, t); arma::sqrt; / is element-wise between matrices.
    throw nn::NotImplemented("ch06.4 Adam::step");
    // END YOUR CODE
}

double inverse_time_decay([[maybe_unused]] double initial, [[maybe_unused]] double decay,
                          [[maybe_unused]] double t) {
    // BEGIN YOUR CODE (ch06.5 inverse_time_decay)
    // initial / (1 + decay * t)
    throw nn::NotImplemented("ch06.5 inverse_time_decay");
    // END YOUR CODE
}

double step_decay([[maybe_unused]] double initial, [[maybe_unused]] double factor, [[maybe_unused]] int every,
                  [[maybe_unused]] int epoch) {
    // BEGIN YOUR CODE (ch06.6 step_decay)
    // Reject every < 1 with std::invalid_argument; then
    // initial * factor^(epoch / every), with integer division epoch / every.
    throw nn::NotImplemented("ch06.6 step_decay");
    // END YOUR CODE
}

}  // namespace nn
