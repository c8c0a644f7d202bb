/// \file
/// \brief Basics every part of the course uses: the error types and the
/// guard that turns them into a clear message and an exit code.
///
/// \ingroup infrastructure

/// \defgroup course Course contracts (your tasks)
/// \brief The headers you implement, chapter by chapter, and their classes:
/// every function marked **Task chNN.K** has its stub in `exercises/`.

/// \defgroup infrastructure Infrastructure
/// \brief Provided code you use but do not write: data loading, training
/// loops, reports, charts, the command line and the model files.

#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>

namespace nn {

/// \brief Thrown by an exercise stub that has not been written yet.
///
/// The message names the task, the file to edit and the chapter, e.g.
/// `ch02.1 softmax is not implemented yet: write it in
/// exercises/ch02_softmax_regression.cpp (chapter 2)`.
///
/// It derives from std::exception only, so a test that expects a function to
/// reject bad input with std::invalid_argument is never satisfied by a stub.
/// \ingroup infrastructure
class NotImplemented : public std::exception {
public:
    /// \param task the task id and function, e.g. `"ch02.1 softmax"`.
    /// \param file the source file of the stub; the default is the caller's.
    explicit NotImplemented(const std::string& task, const char* file = __builtin_FILE());
    /// \return the message.
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string message_;
};

/// \brief A problem with input the program was given: a missing or corrupt
/// file, an absurd size, an unreadable image. The message says what is wrong
/// and, where it can, how to fix it.
/// \ingroup infrastructure
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// \brief Writes \p size bytes to \p path atomically: to a temporary file
/// beside it (named after this process), flushed to disk, then renamed into
/// place. Readers see the old file or the new one, never half of one. A
/// process killed while writing leaves its temporary file behind
/// (`<path>.tmp.<pid>`); the next write of \p path removes those of
/// processes that no longer exist.
/// \param path the file; \param data the bytes; \param size their count;
/// \param what the kind of file, for error messages (e.g. `"model file"`).
/// \throws nn::InputError if it cannot be written; an old file at \p path is then untouched.
void write_file_atomically(const std::string& path, const void* data, std::size_t size, const std::string& what);

/// \brief Runs a program body and turns every exception into one clear line
/// on standard error and a non-zero exit code (never a stack trace or abort).
///
/// Exit codes: the body's own result; 2 for an nn::InputError; 3 for
/// nn::NotImplemented (an exercise still to write); 1 for anything else.
/// \param body the program; returns its exit code.
/// \param errors where the message goes (standard error by default).
/// \return the exit code for `main` to return.
int guarded_main(const std::function<int()>& body, std::ostream& errors);

/// \brief guarded_main() reporting to standard error.
/// \param body the program; returns its exit code.
/// \return the exit code for `main` to return.
int guarded_main(const std::function<int()>& body);

}  // namespace nn

namespace nn {

/// \brief Training produced a loss that is NaN or infinite.
/// \ingroup infrastructure
class TrainingDiverged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// \brief Stops training with a clear message if \p loss is NaN or infinite.
/// \param loss the mean loss of the epoch.
/// \param epoch the epoch it came from (1-based).
/// \param learning_rate the learning rate in use, quoted in the advice.
/// \throws nn::TrainingDiverged suggesting a smaller learning rate.
void require_finite_loss(double loss, int epoch, double learning_rate);

}  // namespace nn
