// Shared pieces of the chapter and infrastructure tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "catch_compat.hpp"
#include "matrix_match.hpp"
#include "nn/dataset.hpp"
#include "nn/random.hpp"

// Seeds Armadillo's generator through the course's one seed function and
// records the seed, so a failing test says which seed it ran with.
#define NN_TEST_SEED(seed)                                   \
    const auto nn_test_seed = nn::set_seed((seed), nullptr); \
    INFO("seed " << nn_test_seed)

namespace nn_test {

// The small real MNIST subset committed under tests/data: 1000 training
// images (split 800 train / 200 validation) and 500 test images.
inline const nn::Splits& mnist_subset() {
    static const nn::Splits splits = nn::load_splits("mnist", NN_TEST_DATA_DIR, 200);
    return splits;
}

// Central differences of f at x, element by element: the tests' own
// numerical gradient, independent of the course's (chapter 4).
template <typename F>
arma::mat central_differences(F f, arma::mat x, double h = 1e-5) {
    arma::mat g(arma::size(x));
    for (arma::uword i = 0; i < x.n_elem; ++i) {
        const double saved = x[i];
        x[i] = saved + h;
        const double plus = f(x);
        x[i] = saved - h;
        const double minus = f(x);
        x[i] = saved;
        g[i] = (plus - minus) / (2 * h);
    }
    return g;
}

// A 1 x 1 matrix (arma::mat{{x}} is ambiguous).
inline arma::mat scalar(double value) { return arma::mat(1, 1, arma::fill::value(value)); }

inline std::string test_data_path(const std::string& name) { return std::string(NN_TEST_DATA_DIR) + "/" + name; }

// A path for a scratch file: <temp>/nn_<group>_test_<pid>/<name>, the folder created.
inline std::string temp_path(const std::string& group, const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("nn_" + group + "_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

}  // namespace nn_test
