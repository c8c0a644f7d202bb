// A program started by a test or a tool (the HTTP server, chromedriver):
// its output read line by line with a deadline, signals, and a wait with a
// deadline. The destructor kills it if it is still running, so a failing
// test never leaves a server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace nn {

class ChildProcess {
public:
    /// What happens to the child's standard output (standard error is always inherited).
    enum class Output { capture, discard, inherit };

    /// Starts argv[0] (searched in PATH) with the arguments argv[1...].
    /// \throws std::runtime_error if it cannot be started.
    explicit ChildProcess(const std::vector<std::string>& argv, Output output = Output::capture);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }

    /// The next line of captured output (without the newline), or nothing if
    /// none arrives before \p timeout or the output ends.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);

    /// Reads lines until one contains \p text and returns it.
    /// \throws std::runtime_error with the lines read so far on timeout or exit.
    std::string wait_for_line(const std::string& text, std::chrono::milliseconds timeout);

    /// Sends \p signal (e.g. SIGINT) if the child is still running.
    void send(int signal);

    /// Waits up to \p timeout for the child to end.
    /// \return its exit code, 128 + the signal if a signal ended it, or nothing if still running.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    pid_t pid_ = -1;
    int out_ = -1;  // read end of the output pipe, or -1
    std::string pending_;
    std::optional<int> status_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (for programs that
/// cannot choose their own, such as chromedriver).
int free_loopback_port();

/// \return the first of \p names found as an executable in a folder of
/// PATH (each name is looked for in every folder before the next name), or
/// "" if none is.
std::string find_program(const std::vector<std::string>& names);

}  // namespace nn
