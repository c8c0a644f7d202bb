// The BLAS thread setting: the rule training uses, and the scoped override.

#include <armadillo>
#include <cstdlib>

#include "catch_compat.hpp"
#include "nn/blas.hpp"

TEST_CASE("training_blas_threads keeps small products on one thread", "[infra][blas]") {
    if (std::getenv("NN_BLAS_THREADS")) {
        WARN("not checked: NN_BLAS_THREADS is set and overrides the rule");
        return;
    }
    const unsigned long bench_first_layer = 784 * 128, classifier_first_layer = 787 * 256;
    CHECK(nn::training_blas_threads(32, bench_first_layer) == 1);       // 3.2 million multiply-adds
    CHECK(nn::training_blas_threads(64, bench_first_layer) == 0);       // 6.4 million
    CHECK(nn::training_blas_threads(128, bench_first_layer) == 0);
    CHECK(nn::training_blas_threads(64, classifier_first_layer) == 0);  // 12.9 million
    CHECK(nn::training_blas_threads(1, 4000000) == 1);                  // the boundary is inclusive
    CHECK(nn::training_blas_threads(1, 4000001) == 0);
    CHECK(nn::training_blas_threads(0, 0) == 1);
}

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
