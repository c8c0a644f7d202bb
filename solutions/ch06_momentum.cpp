// Chapter 6 reference solutions: see common/contracts/nn/optimizers.hpp.

#include <cmath>
#include <stdexcept>

#include "nn/optimizers.hpp"

namespace nn {

void Sgd::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.1 Sgd::step)
    for (const Parameter& p : parameters) *p.value -= learning_rate * *p.gradient;
    // END SOLUTION
}

void Momentum::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.2 Momentum::step)
    prepare_state(velocity, parameters);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        velocity[i] = momentum * velocity[i] - learning_rate * *parameters[i].gradient;
        *parameters[i].value += velocity[i];
    }
    // END SOLUTION
}

void Nesterov::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.3 Nesterov::step)
    prepare_state(velocity, parameters);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const arma::mat previous = velocity[i];
        velocity[i] = momentum * velocity[i] - learning_rate * *parameters[i].gradient;
        *parameters[i].value += (1.0 + momentum) * velocity[i] - momentum * previous;
    }
    // END SOLUTION
}

void Adam::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.4 Adam::step)
    prepare_state(first_moment, parameters);
    prepare_state(second_moment, parameters);
    ++t;
    const double correction1 = 1.0 - std::pow(beta1, static_cast<double>(t));
    const double correction2 = 1.0 - std::pow(beta2, static_cast<double>(t));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const arma::mat& g = *parameters[i].gradient;
        first_moment[i] = beta1 * first_moment[i] + (1.0 - beta1) * g;
        second_moment[i] = beta2 * second_moment[i] + (1.0 - beta2) * arma::square(g);
        *parameters[i].value -=
            learning_rate * (first_moment[i] / correction1) / (arma::sqrt(second_moment[i] / correction2) + epsilon);
    }
    // END SOLUTION
}

double inverse_time_decay(double initial, double decay, double t) {
    // BEGIN SOLUTION (ch06.5 inverse_time_decay)
    return initial / (1.0 + decay * t);
    // END SOLUTION
}

double step_decay(double initial, double factor, int every, int epoch) {
    // BEGIN SOLUTION (ch06.6 step_decay)
    if (every < 1) throw std::invalid_argument("step_decay: 'every' must be at least 1, got " + std::to_string(every));
    return initial * std::pow(factor, epoch / every);
    // END SOLUTION
}

void RmsProp::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.7 RmsProp::step)
    prepare_state(mean_square, parameters);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const arma::mat& g = *parameters[i].gradient;
        mean_square[i] = rho * mean_square[i] + (1.0 - rho) * arma::square(g);
        *parameters[i].value -= learning_rate * g / (arma::sqrt(mean_square[i]) + epsilon);
    }
    // END SOLUTION
}

void Adagrad::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.8 Adagrad::step)
    prepare_state(sum_of_squares, parameters);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const arma::mat& g = *parameters[i].gradient;
        sum_of_squares[i] += arma::square(g);
        *parameters[i].value -= learning_rate * g / (arma::sqrt(sum_of_squares[i]) + epsilon);
    }
    // END SOLUTION
}

void AdamW::step(const std::vector<Parameter>& parameters) {
    // BEGIN SOLUTION (ch06.9 AdamW::step)
    prepare_state(first_moment, parameters);
    prepare_state(second_moment, parameters);
    ++t;
    const double correction1 = 1.0 - std::pow(beta1, static_cast<double>(t));
    const double correction2 = 1.0 - std::pow(beta2, static_cast<double>(t));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const arma::mat& g = *parameters[i].gradient;
        arma::mat& theta = *parameters[i].value;
        first_moment[i] = beta1 * first_moment[i] + (1.0 - beta1) * g;
        second_moment[i] = beta2 * second_moment[i] + (1.0 - beta2) * arma::square(g);
        // The decay uses the weights before this step's Adam move, and never enters the moments.
        if (is_weight(parameters[i])) theta -= learning_rate * weight_decay * theta;
        theta -=
            learning_rate * (first_moment[i] / correction1) / (arma::sqrt(second_moment[i] / correction2) + epsilon);
    }
    // END SOLUTION
}

double l2_penalty(const std::vector<Parameter>& parameters, double lambda) {
    // BEGIN SOLUTION (ch06.10 l2_penalty)
    double sum_of_squares = 0.0;
    for (const Parameter& p : parameters)
        if (is_weight(p)) sum_of_squares += arma::accu(arma::square(*p.value));
    return 0.5 * lambda * sum_of_squares;
    // END SOLUTION
}

void add_l2_gradient(const std::vector<Parameter>& parameters, double lambda) {
    // BEGIN SOLUTION (ch06.11 add_l2_gradient)
    for (const Parameter& p : parameters)
        if (is_weight(p)) *p.gradient += lambda * *p.value;
    // END SOLUTION
}

}  // namespace nn
