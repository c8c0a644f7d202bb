// One include for every test file: Catch2 v2 (Debian 12) or v3 (Debian 13,
// Ubuntu 24.04), with the names the tests use in one place. CMake defines
// NN_CATCH2_MAJOR from the Catch2 it found.
#pragma once

#if NN_CATCH2_MAJOR >= 3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
namespace nn_test_catch {
template <typename T>
using MatcherBase = Catch::Matchers::MatcherBase<T>;
}
#else
#include <catch2/catch.hpp>
namespace Catch {
using Detail::Approx;
}
namespace nn_test_catch {
template <typename T>
using MatcherBase = Catch::MatcherBase<T>;
}
#endif

using Catch::Approx;
#if NN_CATCH2_MAJOR >= 3
using Catch::Matchers::ContainsSubstring;
#else
inline Catch::Matchers::StdString::ContainsMatcher ContainsSubstring(const std::string& text) {
    return Catch::Matchers::Contains(text);
}
#endif
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
