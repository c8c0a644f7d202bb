#include "nn/blas.hpp"

#include <dlfcn.h>

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
    if (previous_ != threads)
        openblas().set(threads);
    else
        previous_ = 0;  // nothing to undo
}

BlasThreads::~BlasThreads() {
    if (previous_ > 0) openblas().set(previous_);
}

}  // namespace nn
