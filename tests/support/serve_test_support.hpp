// What the server tests share: a server started on a free loopback port, and
// a raw TCP connection for the requests no well-behaved client would send.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "nn/close_on_exec.hpp"

namespace nn_test {

using namespace std::chrono_literals;

// The program to start with `serve`: the one this test was built with, or
// $NN_SERVE_PROGRAM (to run the same tests against another build of it).
inline std::string serve_program() {
    const char* other = std::getenv("NN_SERVE_PROGRAM");
    return other && *other ? other : NN_SERVE_PROGRAM;
}

// A running server on a port it chose itself (--port 0), stopped with the process.
class ServeProcess {
public:
    explicit ServeProcess(std::vector<std::string> extra = {}) : process_(arguments(std::move(extra))) {
        const std::string line = process_.wait_for_line("Serving on http://", 60s);
        port_ = std::stoi(line.substr(line.rfind(':') + 1));
    }
    int port() const { return port_; }
    nn::ChildProcess& process() { return process_; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_connection_timeout(5s);
        c.set_read_timeout(20s);
        c.set_tcp_nodelay(true);
        return c;
    }

private:
    static std::vector<std::string> arguments(std::vector<std::string> extra) {
        std::vector<std::string> argv = {serve_program(), "serve", "--model",   NN_SERVE_MODEL,
                                         "--port",        "0",     "--threads", "8"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
    }
    nn::ChildProcess process_;
    int port_ = 0;
};

// One TCP connection to 127.0.0.1:port, closed by the destructor. Every wait
// has a deadline.
class RawConnection {
public:
    explicit RawConnection(int port) {
        fd_ = nn::socket_close_on_exec(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            close();
            return;
        }
        const timeval send_limit{2, 0};  // a send the server does not take stops after 2 s
        setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
    }
    ~RawConnection() { close(); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return fd_ >= 0; }

    // Sends all of \p data; false if the server stopped taking it (closed, reset or 2 s without progress).
    bool send(const std::string& data) {
        std::size_t sent = 0;
        while (fd_ >= 0 && sent < data.size()) {
            const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return fd_ >= 0;
    }
    void close_sending() { ::shutdown(fd_, SHUT_WR); }

    // True if the server has sent something (or closed) and it can be read now.
    bool readable(std::chrono::milliseconds wait = 0ms) const {
        pollfd p{fd_, POLLIN, 0};
        return fd_ >= 0 && ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
    }

    // Everything the server sends until it closes the connection, or until \p timeout.
    std::string receive_all(std::chrono::milliseconds timeout) {
        std::string text;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !readable(left)) break;
            char buffer[65536];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            text.append(buffer, static_cast<std::size_t>(n));
        }
        return text;
    }

    // True if the server closed the connection within \p timeout (whatever it sent first).
    bool closed_by_server(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !readable(left)) return false;
            char buffer[4096];
            if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
        }
    }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

// The status code of a raw HTTP answer ("HTTP/1.1 413 Payload Too Large..."), or 0.
inline int status_of(const std::string& answer) {
    if (answer.compare(0, 9, "HTTP/1.1 ") != 0 || answer.size() < 12) return 0;
    return std::atoi(answer.substr(9, 3).c_str());
}

// The body of a raw HTTP answer (after the blank line).
inline std::string body_of(const std::string& answer) {
    const auto end = answer.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

}  // namespace nn_test
