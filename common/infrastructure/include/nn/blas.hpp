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

}  // namespace nn
