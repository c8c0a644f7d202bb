/// \file
/// \brief The one seed of the course: every random draw (initial weights,
/// shuffled mini-batches, dropout masks) comes from Armadillo's generator,
/// seeded here.
///
/// \ingroup infrastructure
#pragma once

#include <cstdint>
#include <iosfwd>

namespace nn {

/// The seed every chapter program and test uses unless told otherwise.
inline constexpr std::uint64_t default_seed = 42;

/// \brief Seeds Armadillo's random generator (`randu`, `randn`, `randi`,
/// `randperm`, `shuffle`) and prints `seed: <seed>` to \p log.
///
/// The same seed gives the same numbers on every run of the same binary.
/// \param seed the seed.
/// \param log where to print the seed; `nullptr` prints nothing.
/// \return \p seed, so a caller can record it.
std::uint64_t set_seed(std::uint64_t seed, std::ostream* log);

/// \brief Seeds Armadillo's generator and prints the seed to standard output.
/// \param seed the seed.
/// \return \p seed.
std::uint64_t set_seed(std::uint64_t seed);

}  // namespace nn
