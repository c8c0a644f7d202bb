// Chapter 6: optimisers and learning-rate schedules. Your implementations of
// the functions declared in common/contracts/nn/optimizers.hpp (read the
// contracts there).
//
// Write your code between BEGIN YOUR CODE and END YOUR CODE, replacing the
// `throw` line. Check your work with:   ./course check 6
//
// Hints are on demand, three per task: ./course hint ch06.1 shows the
// idea, the next call the Armadillo you need, the last pseudocode.
// ./course hint alone picks your first unfinished task.
//
// Each p in parameters has p.value (the parameter) and p.gradient (dL/dp).

#include "nn/core.hpp"
#include "nn/optimizers.hpp"

namespace nn {

void Sgd::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.1 Sgd::step)
    // Task ch06.1: one step of plain SGD.
    // Contract: nn::Sgd::step in common/contracts/nn/optimizers.hpp
    // Shapes: each *p.value and *p.gradient the same shape; updated in place.
    // Hints: ./course hint ch06.1
    throw nn::NotImplemented("ch06.1 Sgd::step");
    // END YOUR CODE
}

void Momentum::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.2 Momentum::step)
    // Task ch06.2: one step of SGD with momentum.
    // Contract: nn::Momentum::step in common/contracts/nn/optimizers.hpp
    // Shapes: velocity[i] the shape of parameter i; updated in place.
    // Hints: ./course hint ch06.2
    throw nn::NotImplemented("ch06.2 Momentum::step");
    // END YOUR CODE
}

void Nesterov::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.3 Nesterov::step)
    // Task ch06.3: one step of Nesterov momentum.
    // Contract: nn::Nesterov::step in common/contracts/nn/optimizers.hpp
    // Shapes: velocity[i] the shape of parameter i; updated in place.
    // Hints: ./course hint ch06.3
    throw nn::NotImplemented("ch06.3 Nesterov::step");
    // END YOUR CODE
}

void Adam::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.4 Adam::step)
    // Task ch06.4: one step of Adam.
    // Contract: nn::Adam::step in common/contracts/nn/optimizers.hpp
    // Shapes: first_moment[i], second_moment[i] the shape of parameter i.
    // Hints: ./course hint ch06.4
    throw nn::NotImplemented("ch06.4 Adam::step");
    // END YOUR CODE
}

double inverse_time_decay([[maybe_unused]] double initial, [[maybe_unused]] double decay, [[maybe_unused]] double t) {
    // BEGIN YOUR CODE (ch06.5 inverse_time_decay)
    // Task ch06.5: inverse-time decay of the learning rate.
    // Contract: nn::inverse_time_decay in common/contracts/nn/optimizers.hpp
    // Shapes: numbers -> a number.
    // Hints: ./course hint ch06.5
    throw nn::NotImplemented("ch06.5 inverse_time_decay");
    // END YOUR CODE
}

double step_decay([[maybe_unused]] double initial, [[maybe_unused]] double factor, [[maybe_unused]] int every,
                  [[maybe_unused]] int epoch) {
    // BEGIN YOUR CODE (ch06.6 step_decay)
    // Task ch06.6: step decay of the learning rate.
    // Contract: nn::step_decay in common/contracts/nn/optimizers.hpp
    // Shapes: numbers -> a number.
    // Hints: ./course hint ch06.6
    throw nn::NotImplemented("ch06.6 step_decay");
    // END YOUR CODE
}

void RmsProp::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.7 RmsProp::step)
    // Task ch06.7: one step of RMSProp.
    // Contract: nn::RmsProp::step in common/contracts/nn/optimizers.hpp
    // Shapes: mean_square[i] the shape of parameter i; updated in place.
    // Hints: ./course hint ch06.7
    throw nn::NotImplemented("ch06.7 RmsProp::step");
    // END YOUR CODE
}

void Adagrad::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.8 Adagrad::step)
    // Task ch06.8: one step of Adagrad.
    // Contract: nn::Adagrad::step in common/contracts/nn/optimizers.hpp
    // Shapes: sum_of_squares[i] the shape of parameter i; updated in place.
    // Hints: ./course hint ch06.8
    throw nn::NotImplemented("ch06.8 Adagrad::step");
    // END YOUR CODE
}

void AdamW::step([[maybe_unused]] const std::vector<Parameter>& parameters) {
    // BEGIN YOUR CODE (ch06.9 AdamW::step)
    // Task ch06.9: one step of AdamW (Adam with decoupled weight decay).
    // Contract: nn::AdamW::step in common/contracts/nn/optimizers.hpp
    // Shapes: first_moment[i], second_moment[i] the shape of parameter i.
    // Hints: ./course hint ch06.9
    throw nn::NotImplemented("ch06.9 AdamW::step");
    // END YOUR CODE
}

double l2_penalty([[maybe_unused]] const std::vector<Parameter>& parameters, [[maybe_unused]] double lambda) {
    // BEGIN YOUR CODE (ch06.10 l2_penalty)
    // Task ch06.10: the L2 penalty of the weights (biases excluded).
    // Contract: nn::l2_penalty in common/contracts/nn/optimizers.hpp
    // Shapes: the parameters' values (any shapes) -> a number; nothing changes.
    // Hints: ./course hint ch06.10
    throw nn::NotImplemented("ch06.10 l2_penalty");
    // END YOUR CODE
}

void add_l2_gradient([[maybe_unused]] const std::vector<Parameter>& parameters, [[maybe_unused]] double lambda) {
    // BEGIN YOUR CODE (ch06.11 add_l2_gradient)
    // Task ch06.11: add the L2 penalty's gradient to the weights' gradients.
    // Contract: nn::add_l2_gradient in common/contracts/nn/optimizers.hpp
    // Shapes: each *p.gradient the shape of its *p.value; updated in place.
    // Hints: ./course hint ch06.11
    throw nn::NotImplemented("ch06.11 add_l2_gradient");
    // END YOUR CODE
}

}  // namespace nn
