#include "nn/random.hpp"

#include <armadillo>
#include <iostream>

namespace nn {

std::uint64_t set_seed(std::uint64_t seed, std::ostream* log) {
    arma::arma_rng::set_seed(seed);
    if (log) *log << "seed: " << seed << '\n';
    return seed;
}

std::uint64_t set_seed(std::uint64_t seed) { return set_seed(seed, &std::cout); }

}  // namespace nn
