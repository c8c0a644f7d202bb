// Shared pieces of the chapter and infrastructure tests.
#pragma once

#include <string>

#include "catch_compat.hpp"
#include "matrix_match.hpp"
#include "nn/dataset.hpp"
#include "nn/random.hpp"

// Seeds Armadillo's generator through the course's one seed function and
// records the seed, so a failing test says which seed it ran with.
#define NN_TEST_SEED(seed)                          \
    const auto nn_test_seed = nn::set_seed((seed), nullptr); \
    INFO("seed " << nn_test_seed)

namespace nn_test {

// The small real MNIST subset committed under tests/data: 1000 training
// images (split 800 train / 200 validation) and 500 test images.
inline const nn::Splits& mnist_subset() {
    static const nn::Splits splits = nn::load_splits("mnist", NN_TEST_DATA_DIR, 200);
    return splits;
}

inline std::string test_data_path(const std::string& name) { return std::string(NN_TEST_DATA_DIR) + "/" + name; }

}  // namespace nn_test
