// Course code every build shares: making an optimiser by name.

#include <stdexcept>

#include "nn/optimizers.hpp"

namespace nn {

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double learning_rate) {
    if (name == "sgd") return std::make_unique<Sgd>(learning_rate);
    if (name == "momentum") return std::make_unique<Momentum>(learning_rate);
    if (name == "nesterov") return std::make_unique<Nesterov>(learning_rate);
    if (name == "adam") return std::make_unique<Adam>(learning_rate);
    if (name == "rmsprop") return std::make_unique<RmsProp>(learning_rate);
    if (name == "adagrad") return std::make_unique<Adagrad>(learning_rate);
    if (name == "adamw") return std::make_unique<AdamW>(learning_rate);
    throw std::invalid_argument("unknown optimizer '" + name +
                                "': expected sgd, momentum, nesterov, adam, rmsprop, adagrad or adamw");
}

}  // namespace nn
