#include "child_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "nn/close_on_exec.hpp"

extern char** environ;

namespace nn {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, Output output) {
    if (argv.empty()) throw std::invalid_argument("ChildProcess: no program");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int pipe_fds[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (output == Output::capture) {
        if (nn::pipe_close_on_exec(pipe_fds) != 0)
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    } else if (output == Output::discard) {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    }
    // The child starts with default signal handling and nothing blocked,
    // whatever the parent does with its own signals.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    const int error = posix_spawnp(&pid_, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (pipe_fds[1] >= 0) close(pipe_fds[1]);
    if (error != 0) {
        if (pipe_fds[0] >= 0) close(pipe_fds[0]);
        pid_ = -1;
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    }
    out_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !wait(std::chrono::milliseconds(0))) {
        kill(pid_, SIGKILL);
        wait(std::chrono::milliseconds(5000));
    }
    if (out_ >= 0) close(out_);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto newline = pending_.find('\n');
        if (newline != std::string::npos) {
            std::string line = pending_.substr(0, newline);
            pending_.erase(0, newline + 1);
            return line;
        }
        if (out_ < 0) return std::nullopt;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd fd{out_, POLLIN, 0};
        const int ready = poll(&fd, 1, static_cast<int>(std::max<long long>(0, left.count())));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::read(out_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {  // the output ended: hand out a last unterminated line, if any
            close(out_);
            out_ = -1;
            if (pending_.empty()) return std::nullopt;
            std::string line;
            line.swap(pending_);
            return line;
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string ChildProcess::wait_for_line(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        const auto line = read_line(left);
        if (!line) break;
        if (line->find(text) != std::string::npos) return *line;
        seen += *line + '\n';
    }
    throw std::runtime_error("no line with \"" + text + "\" from the program (pid " + std::to_string(pid_) +
                             "); it printed:\n" + seen);
}

void ChildProcess::send(int signal) {
    if (pid_ > 0 && !status_) kill(pid_, signal);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (status_ || pid_ <= 0) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int raw = 0;
        const pid_t done = waitpid(pid_, &raw, WNOHANG);
        if (done == pid_) {
            status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
            return status_;
        }
        if (done < 0 && errno != EINTR) return std::nullopt;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

int free_loopback_port() {
    const int fd = socket_close_on_exec(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const std::string reason = std::strerror(errno);
        close(fd);
        throw std::runtime_error("cannot find a free port: " + reason);
    }
    close(fd);
    return ntohs(address.sin_port);
}

std::string find_program(const std::vector<std::string>& names) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (const auto& name : names) {
        std::size_t begin = 0;
        while (begin <= dirs.size()) {
            const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
            const std::filesystem::path candidate = std::filesystem::path(dirs.substr(begin, end - begin)) / name;
            if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
            begin = end + 1;
        }
    }
    return {};
}

}  // namespace nn
