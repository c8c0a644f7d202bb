/// \file
/// \brief A wall-clock stopwatch.
///
/// \ingroup infrastructure
#pragma once

#include <chrono>

namespace nn {

/// \brief Measures elapsed wall-clock time from construction or the last
/// restart().
/// \ingroup infrastructure
class Timer {
public:
    Timer() : start_(Clock::now()) {}
    /// Starts counting again from zero.
    void restart() { start_ = Clock::now(); }
    /// \return seconds since construction or the last restart().
    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point start_;
};

}  // namespace nn
