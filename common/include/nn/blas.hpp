/// \file
/// \brief How many threads the BLAS library uses for matrix products.
///
/// Armadillo hands every matrix product to the system's BLAS. OpenBLAS, the
/// one the course installs, splits a product over all cores. That pays for
/// large products; for the small ones of mini-batch training (a batch of 32
/// images through a 784-128-64-10 network) the hand-offs between threads cost
/// more than the second core gains. The functions here change the setting
/// when the BLAS in use is OpenBLAS (found at run time) and do nothing with
/// any other BLAS.
///
/// \ingroup infrastructure
#pragma once

namespace nn {

/// \return the threads OpenBLAS uses, or 0 if the BLAS is not OpenBLAS.
int blas_threads();

/// \brief Sets the threads OpenBLAS uses for as long as this object lives, then puts the old number back.
/// \ingroup infrastructure
class BlasThreads {
public:
    /// \param threads the number to use; 0 leaves the setting alone.
    explicit BlasThreads(int threads);
    ~BlasThreads();
    BlasThreads(const BlasThreads&) = delete;
    BlasThreads& operator=(const BlasThreads&) = delete;

private:
    int previous_ = 0;
};

/// \brief The BLAS threads worth using to train with mini-batches of
/// \p batch_size when the largest weight matrix has \p largest_weights
/// entries: 1 if the largest product of a step, batch_size x largest_weights
/// multiply-adds, is at most 4 million; else 0 (the library's own choice).
///
/// Measured on two cores (\ref ch08_speed "chapter 8"): `bench`'s
/// 784-128-64-10 network trains faster on one thread at batch 32 (3.2 million
/// multiply-adds in its largest product) and faster on two at batch 64 (6.4
/// million); chapter 8's 787-256-128-10 classifier at batch 64 (12.9 million)
/// is faster on two. The environment variable `NN_BLAS_THREADS`, if set,
/// overrides the choice (0: the library's choice), e.g. to measure the
/// difference with `bench`.
int training_blas_threads(unsigned long batch_size, unsigned long largest_weights);

}  // namespace nn
