// The test suite's matrix matcher: what a failed comparison says. A learner
// reads these messages more than any other output of the course.

#include <cmath>
#include <string>

#include "test_support.hpp"

namespace {

// The matcher's report on a comparison that must fail.
std::string report_of(const arma::mat& actual, const arma::mat& expected, double tolerance) {
    const auto matcher = EqualsMatrix(expected, tolerance);
    REQUIRE_FALSE(matcher.match(actual));
    return matcher.describe();
}

}  // namespace

TEST_CASE("the matcher names the largest difference and where it is", "[infra][matcher]") {
    const arma::mat expected = {{1.0, 2.0}, {3.0, 4.0}};
    arma::mat actual = expected;
    actual(1, 0) = 3.5;
    const std::string report = report_of(actual, expected, 1e-12);
    CHECK_THAT(report, ContainsSubstring("1 of 4 elements differ"));
    CHECK_THAT(report, ContainsSubstring("max abs diff 0.5"));
    CHECK_THAT(report, ContainsSubstring("worst at (1, 0): expected 3, actual 3.5"));
}

TEST_CASE("the matcher says NaN where values are NaN, not a difference of 0", "[infra][matcher]") {
    const arma::mat expected = {{1.0, 2.0}, {3.0, 4.0}};
    arma::mat actual = expected;
    actual(0, 1) = NAN;
    actual(1, 1) = NAN;
    const std::string report = report_of(actual, expected, 1e-12);
    CHECK_THAT(report, ContainsSubstring("2 actual values are not finite (NaN or inf), the first at (0, 1)"));
    CHECK_THAT(report, !ContainsSubstring("max abs diff 0"));
}

TEST_CASE("the matcher reports a transposed shape with a hint", "[infra][matcher]") {
    const std::string report = report_of(arma::mat(3, 2, arma::fill::zeros), arma::mat(2, 3, arma::fill::zeros), 0.0);
    CHECK_THAT(report, ContainsSubstring("expected 2x3, actual 3x2 (did you transpose?"));
}
