// The BLAS thread setting: the scoped override.

#include <armadillo>
#include <cstdlib>

#include "catch_compat.hpp"
#include "nn/blas.hpp"

TEST_CASE("BlasThreads sets the thread count for its lifetime and puts the old one back", "[infra][blas]") {
    const int before = nn::blas_threads();
    if (before == 0) {
        WARN("not checked: the BLAS in use is not OpenBLAS, so there is nothing to set");
        return;
    }
    {
        const nn::BlasThreads one(1);
        CHECK(nn::blas_threads() == 1);
        const arma::mat a(64, 64, arma::fill::ones);
        const arma::mat product = a * a;  // products still work while it is in force
        CHECK(product(0, 0) == 64.0);
    }
    CHECK(nn::blas_threads() == before);
    {
        const nn::BlasThreads unchanged(0);  // 0 leaves the setting alone
        CHECK(nn::blas_threads() == before);
    }
    CHECK(nn::blas_threads() == before);
}
