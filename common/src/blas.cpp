#include "nn/blas.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>

namespace nn {
namespace {

// OpenBLAS's own entry points, looked up in the running process: the course
// links the generic BLAS interface, which may or may not be OpenBLAS.
struct OpenBlas {
    void (*set)(int) = nullptr;
    int (*get)() = nullptr;
    OpenBlas() {
        set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (!set || !get) set = nullptr, get = nullptr;
    }
};

const OpenBlas& openblas() {
    static const OpenBlas functions;
    return functions;
}

}  // namespace

int blas_threads() { return openblas().get ? openblas().get() : 0; }

BlasThreads::BlasThreads(int threads) {
    if (threads <= 0 || !openblas().set) return;
    previous_ = openblas().get();
    if (previous_ != threads) openblas().set(threads);
    else previous_ = 0;  // nothing to undo
}

BlasThreads::~BlasThreads() {
    if (previous_ > 0) openblas().set(previous_);
}

int training_blas_threads(unsigned long batch_size, unsigned long largest_weights) {
    static const int forced = [] {
        const char* text = std::getenv("NN_BLAS_THREADS");
        return text ? std::max(0, std::atoi(text)) : -1;
    }();
    if (forced >= 0) return forced;
    const double largest_product = static_cast<double>(batch_size) * static_cast<double>(largest_weights);
    return largest_product <= 4e6 ? 1 : 0;
}

}  // namespace nn
