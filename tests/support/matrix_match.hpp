// The one matrix matcher of the test suite. A failed comparison explains
// itself: a shape mismatch (with a "did you transpose?" hint), the largest
// absolute and relative differences and where they are, and the first few
// expected and actual values.
//
//   CHECK_THAT(actual, EqualsMatrix(expected, 1e-12));        // |a - e| <= 1e-12
//   CHECK_THAT(actual, EqualsMatrix(expected, 0.0, 1e-7));    // |a - e| <= 1e-7 |e|
//   CHECK_THAT(labels, EqualsLabels(expected));                // exact, for uvec
#pragma once

#include <armadillo>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

#include "catch_compat.hpp"

namespace nn_test {

inline std::string shape(arma::uword rows, arma::uword cols) {
    return std::to_string(rows) + "x" + std::to_string(cols);
}

// "[0.1, 0.2, 0.3, ...]": the first values in storage (column-major) order.
template <typename T>
std::string first_values(const arma::Mat<T>& m, arma::uword count = 6) {
    std::ostringstream out;
    out << std::setprecision(10) << '[';
    for (arma::uword i = 0; i < std::min<arma::uword>(count, m.n_elem); ++i) out << (i ? ", " : "") << m[i];
    if (m.n_elem > count) out << ", ...";
    out << ']';
    return out.str();
}

// Shape and values of a mismatch, or an empty string if the shapes agree.
inline std::string shape_problem(arma::uword ar, arma::uword ac, arma::uword er, arma::uword ec) {
    if (ar == er && ac == ec) return {};
    std::string text = "shape mismatch: expected " + shape(er, ec) + ", actual " + shape(ar, ac);
    if (ar == ec && ac == er) text += " (did you transpose? one sample per column: D x N, not N x D)";
    return text;
}

class MatrixMatcher : public nn_test_catch::MatcherBase<arma::mat> {
public:
    MatrixMatcher(arma::mat expected, double abs_tolerance, double rel_tolerance)
        : expected_(std::move(expected)), abs_(abs_tolerance), rel_(rel_tolerance) {}

    bool match(const arma::mat& actual) const override {
        report_ = shape_problem(actual.n_rows, actual.n_cols, expected_.n_rows, expected_.n_cols);
        if (!report_.empty()) return false;
        double worst_excess = 0.0, max_abs = 0.0, max_rel = 0.0;
        arma::uword worst = 0, bad = 0, nonfinite = 0, first_nonfinite = 0;
        bool ok = true;
        for (arma::uword i = 0; i < actual.n_elem; ++i) {
            const double a = actual[i], e = expected_[i];
            const double diff = std::abs(a - e);
            const double allowed = abs_ + rel_ * std::abs(e);
            const bool same_nonfinite = !std::isfinite(e) && a == e;
            if (same_nonfinite) continue;
            const bool good = std::isfinite(a) && diff <= allowed;
            const double excess = std::isfinite(diff) ? diff - allowed : HUGE_VAL;
            if (!good) {
                ++bad;
                if (ok || excess > worst_excess) worst = i, worst_excess = excess;
                ok = false;
            }
            if (!std::isfinite(a) && nonfinite++ == 0) first_nonfinite = i;
            if (std::isfinite(diff)) {
                max_abs = std::max(max_abs, diff);
                max_rel = std::max(max_rel, diff / std::max(std::abs(e), 1e-300));
            }
        }
        if (ok) return true;
        std::ostringstream out;
        out << std::setprecision(10) << bad << " of " << actual.n_elem << " elements differ (tolerance " << abs_
            << " + " << rel_ << " * |expected|)";
        // NaN and inf have no difference to measure: say so instead of a maximum that leaves them out.
        if (nonfinite)
            out << "; " << nonfinite << " actual value" << (nonfinite > 1 ? "s are" : " is")
                << " not finite (NaN or inf), the first at (" << first_nonfinite % actual.n_rows << ", "
                << first_nonfinite / actual.n_rows << "): expected " << expected_[first_nonfinite] << ", actual "
                << actual[first_nonfinite];
        if (nonfinite < bad)
            out << "; max abs diff" << (nonfinite ? " of the finite ones " : " ") << max_abs << ", max rel diff "
                << max_rel;
        out << "; worst at (" << worst % actual.n_rows << ", " << worst / actual.n_rows << "): expected "
            << expected_[worst] << ", actual " << actual[worst] << "\n  expected " << first_values(expected_)
            << "\n  actual   " << first_values(actual);
        report_ = out.str();
        return false;
    }

    std::string describe() const override {
        return "equals the " + shape(expected_.n_rows, expected_.n_cols) + " matrix expected\n  " +
               (report_.empty() ? std::string("(matched)") : report_);
    }

private:
    arma::mat expected_;
    double abs_, rel_;
    mutable std::string report_;
};

// Element-wise |actual - expected| <= abs_tolerance + rel_tolerance * |expected|.
inline MatrixMatcher EqualsMatrix(const arma::mat& expected, double abs_tolerance, double rel_tolerance = 0.0) {
    return MatrixMatcher(expected, abs_tolerance, rel_tolerance);
}

class LabelsMatcher : public nn_test_catch::MatcherBase<arma::uvec> {
public:
    explicit LabelsMatcher(arma::uvec expected) : expected_(std::move(expected)) {}

    bool match(const arma::uvec& actual) const override {
        report_ = shape_problem(actual.n_rows, actual.n_cols, expected_.n_rows, expected_.n_cols);
        if (!report_.empty()) return false;
        const arma::uvec wrong = arma::find(actual != expected_);
        if (wrong.is_empty()) return true;
        const arma::uword at = wrong[0];
        report_ = std::to_string(wrong.n_elem) + " of " + std::to_string(actual.n_elem) + " differ; first at index " +
                  std::to_string(at) + ": expected " + std::to_string(expected_[at]) + ", actual " +
                  std::to_string(actual[at]) + "\n  expected " + first_values<arma::uword>(expected_) +
                  "\n  actual   " + first_values<arma::uword>(actual);
        return false;
    }

    std::string describe() const override {
        return "equals the " + std::to_string(expected_.n_elem) + " labels expected\n  " +
               (report_.empty() ? std::string("(matched)") : report_);
    }

private:
    arma::uvec expected_;
    mutable std::string report_;
};

inline LabelsMatcher EqualsLabels(const arma::uvec& expected) { return LabelsMatcher(expected); }

// For INFO next to a check of is_finite(): "all 6 values are finite", or "2 of
// 6 values are not finite, the first at (0, 1): nan", so that a failure says
// more than `false`.
template <typename T>
std::string finiteness(const arma::Mat<T>& m) {
    const arma::uvec bad = arma::find_nonfinite(m);
    std::ostringstream out;
    if (bad.is_empty()) {
        out << "all " << m.n_elem << " values are finite";
    } else {
        const arma::uword at = bad[0];
        out << bad.n_elem << " of " << m.n_elem << " values are not finite, the first at (" << at % m.n_rows << ", "
            << at / m.n_rows << "): " << m[at];
    }
    return out.str();
}

}  // namespace nn_test

// Catch2 prints the value under test: keep matrices to their shape and first values.
namespace Catch {
template <typename T>
struct StringMaker<arma::Mat<T>> {
    static std::string convert(const arma::Mat<T>& m) {
        return nn_test::shape(m.n_rows, m.n_cols) + " matrix " + nn_test::first_values(m);
    }
};
template <typename T>
struct StringMaker<arma::Col<T>> {
    static std::string convert(const arma::Col<T>& m) {
        return std::to_string(m.n_elem) + "-vector " + nn_test::first_values<T>(m);
    }
};
template <typename T>
struct StringMaker<arma::Row<T>> {
    static std::string convert(const arma::Row<T>& m) {
        return "1x" + std::to_string(m.n_elem) + " row " + nn_test::first_values<T>(m);
    }
};
}  // namespace Catch

using nn_test::EqualsLabels;
using nn_test::EqualsMatrix;
