#include "bounded_server.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "nn/close_on_exec.hpp"

namespace app {
namespace {

using Clock = std::chrono::steady_clock;

// Set by the pool, on the accepting thread, while it runs the job of a
// connection that found the queue full: that job refuses its connection.
thread_local bool refuse_this_connection = false;

int poll_milliseconds(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// "127.0.0.1" and 50312 for either end of a connected socket.
void socket_address(int sock, bool remote, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if ((remote ? getpeername(sock, raw, &length) : getsockname(sock, raw, &length)) != 0) return;
    char host[NI_MAXHOST], service[NI_MAXSERV];
    if (getnameinfo(raw, length, host, sizeof host, service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host;
    port = std::atoi(service);
}

}  // namespace

thread_local BoundedServer::Connection* BoundedServer::current_ = nullptr;

// ---------------------------------------------------------------------------
// One connection, as the stream httplib reads requests from and writes
// answers to. Every wait has a deadline and ends at once on stop_serving().
// ---------------------------------------------------------------------------
class BoundedServer::Connection final : public httplib::Stream {
public:
    Connection(const BoundedServer& server, socket_t sock) : server_(server), sock_(sock) {}

    // Waits up to `wait` for a request to begin; false on timeout, end of input, error or stop.
    bool wait_for_request(std::chrono::milliseconds wait) {
        return begin_ < end_ || (!ended_ && wait_until(POLLIN, Clock::now() + wait, false));
    }
    // A request begins: its own deadlines and byte budget (buffered bytes count towards it).
    void start_request() {
        read_deadline_ = Clock::now() + server_.limits_.request_time;
        writing_ = false;
        budget_ = server_.limits_.max_head_bytes + server_.limits_.max_body_bytes;
        received_ = end_ - begin_;
    }
    // The request was refused before its body was read: no further request can be found after it.
    void close_unread() { unread_ = true; }
    bool must_close() const { return unread_ || failed_ || ended_; }
    void close();

    bool is_readable() const override { return begin_ < end_ || poll_now(); }
    bool is_writable() const override { return !failed_ && (!writing_ || Clock::now() < write_deadline_); }
    ssize_t read(char* ptr, std::size_t size) override;
    ssize_t write(const char* ptr, std::size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override { socket_address(sock_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { socket_address(sock_, false, ip, port); }
    socket_t socket() const override { return sock_; }

private:
    bool wait_until(short events, Clock::time_point deadline, bool writing) const;
    bool poll_now() const {
        pollfd fd{sock_, POLLIN, 0};
        return ::poll(&fd, 1, 0) > 0;
    }
    ssize_t fail() {
        failed_ = true;
        return -1;
    }

    const BoundedServer& server_;
    socket_t sock_;
    char buffer_[16384];  // httplib reads the request line and headers a byte at a time
    std::size_t begin_ = 0, end_ = 0;
    std::size_t budget_ = 0, received_ = 0;
    Clock::time_point read_deadline_{}, write_deadline_{};
    bool writing_ = false;  // the answer has started: write_deadline_ is set
    bool unread_ = false, failed_ = false, ended_ = false;
};

// Waits for `events` on the socket until `deadline`. Once the server stops, a
// wait to read ends at once, and a wait to write gets until the stop deadline.
bool BoundedServer::Connection::wait_until(short events, Clock::time_point deadline, bool writing) const {
    for (;;) {
        const bool stopping = server_.stopping_.load();
        if (stopping && !writing) return false;
        if (stopping) deadline = std::min(deadline, Clock::time_point(Clock::duration(server_.stop_deadline_.load())));
        if (Clock::now() >= deadline) return false;
        pollfd fds[2] = {{sock_, events, 0}, {server_.wake_[0], POLLIN, 0}};
        const int ready = ::poll(fds, stopping ? 1 : 2, poll_milliseconds(deadline));
        if (ready < 0 && errno != EINTR) return false;
        if (ready > 0 && fds[0].revents != 0) return true;  // an error or a hang-up is then reported by recv or send
    }
}

ssize_t BoundedServer::Connection::read(char* ptr, std::size_t size) {
    for (;;) {
        if (begin_ < end_) {
            const std::size_t n = std::min(size, end_ - begin_);
            std::memcpy(ptr, buffer_ + begin_, n);
            begin_ += n;
            return static_cast<ssize_t>(n);
        }
        if (failed_ || ended_ || size == 0) return failed_ ? -1 : 0;
        if (received_ >= budget_) return fail();  // more than a request may hold
        if (!wait_until(POLLIN, read_deadline_, false)) return fail();
        // Large reads (a body) go straight to the caller; small ones fill the buffer.
        const bool direct = size >= sizeof buffer_;
        const std::size_t want = std::min(budget_ - received_, direct ? size : sizeof buffer_);
        const ssize_t n = ::recv(sock_, direct ? ptr : buffer_, want, MSG_DONTWAIT);
        if (n == 0) ended_ = true;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (n <= 0) return n == 0 ? 0 : fail();
        received_ += static_cast<std::size_t>(n);
        if (direct) return n;
        begin_ = 0;
        end_ = static_cast<std::size_t>(n);
    }
}

// No check that the client is still there: one that has closed only its
// sending side ("no more requests") still reads the answer.
ssize_t BoundedServer::Connection::write(const char* ptr, std::size_t size) {
    if (failed_) return -1;
    if (!writing_) {
        writing_ = true;
        write_deadline_ = Clock::now() + server_.limits_.response_time;
    }
    for (;;) {
        const ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait_until(POLLOUT, write_deadline_, true)) return fail();
    }
}

// A client may still be sending a body the server refused without reading it.
// Closing a socket with unread input sends a reset, which can destroy the
// answer before the client has read it; so that input is read and dropped
// first, for at most a second and 16 MiB.
void BoundedServer::Connection::close() {
    if (unread_ && !failed_) {
        ::shutdown(sock_, SHUT_WR);
        const auto deadline = Clock::now() + std::chrono::seconds(1);
        std::size_t dropped = 0;
        char scrap[16384];
        while (dropped < (std::size_t{16} << 20) && wait_until(POLLIN, deadline, false)) {
            const ssize_t n = ::recv(sock_, scrap, sizeof scrap, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
            if (n > 0) dropped += static_cast<std::size_t>(n);
        }
    }
    ::shutdown(sock_, SHUT_RDWR);
    ::close(sock_);
}

// ---------------------------------------------------------------------------
// The threads that serve connections, and the bounded queue in front of them.
// ---------------------------------------------------------------------------
class BoundedServer::Pool final : public httplib::TaskQueue {
public:
    Pool(std::size_t threads, std::size_t max_waiting) : capacity_(threads + max_waiting) {
        for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    }
    ~Pool() override { shutdown(); }
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // bool in newer httplib (false: it closes the connection), void in older ones.
    using Enqueued = decltype(std::declval<httplib::TaskQueue&>().enqueue(std::function<void()>()));

    Enqueued enqueue(std::function<void()> job) override {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            // Counted from enqueue to the job's end: the queue's length alone
            // would also count jobs that idle threads have not yet picked up.
            if (held_ < capacity_) {
                ++held_;
                waiting_.push_back(std::move(job));
                ready_.notify_one();
                return static_cast<Enqueued>(true);
            }
        }
        refuse_this_connection = true;  // the job answers 503 and closes, without blocking
        job();
        refuse_this_connection = false;
        return static_cast<Enqueued>(true);  // handled: answered and closed here
    }
    // Runs what is queued (on stop, each such job closes its connection at once), then ends the threads.
    void shutdown() override {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (auto& thread : threads_)
            if (thread.joinable()) thread.join();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
                if (waiting_.empty()) return;
                job = std::move(waiting_.front());
                waiting_.pop_front();
            }
            job();
            const std::lock_guard<std::mutex> lock(mutex_);
            --held_;
        }
    }

    const std::size_t capacity_;  // connections served and waiting
    std::size_t held_ = 0;
    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> waiting_;
    std::mutex mutex_;
    std::condition_variable ready_;
    bool stopping_ = false;
};

// ---------------------------------------------------------------------------
// The server.
// ---------------------------------------------------------------------------
BoundedServer::BoundedServer(const ServerLimits& limits, Refuse refuse) : limits_(limits), refuse_(std::move(refuse)) {
    if (nn::pipe_close_on_exec(wake_) != 0)
        throw std::runtime_error("cannot create a pipe: " + std::string(std::strerror(errno)));
    new_task_queue = [this] { return new Pool(limits_.connections, limits_.queued_connections); };
    // Only what httplib writes in its Keep-Alive header: the connection loop here keeps these limits.
    set_keep_alive_max_count(limits_.requests_per_connection);
    set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.idle_time).count());
    set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
        return check_framing(request, response);
    });
    // httplib sets SO_REUSEPORT, with which a second server can listen on the
    // same port and take half of the connections. SO_REUSEADDR alone still
    // allows a restart while old connections linger in TIME_WAIT.
    set_socket_options([](socket_t sock) {
        const int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    httplib::Response busy;
    refuse_(busy, 503, "too many connections at once; try again in a moment");
    busy_answer_ = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + busy.get_header_value("Content-Type") +
                   "\r\nContent-Length: " + std::to_string(busy.body.size()) +
                   "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + busy.body;
}

BoundedServer::~BoundedServer() {
    ::close(wake_[0]);
    ::close(wake_[1]);
}

int BoundedServer::open_port(const std::string& host, int port) {
    const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
    if (bound >= 0) ::listen(svr_sock_, limits_.listen_backlog);  // a second listen() only sets the backlog
    return bound;
}

void BoundedServer::stop_serving() {
    std::call_once(stop_once_, [this] {
        stop_deadline_ = (Clock::now() + limits_.stop_grace).time_since_epoch().count();
        stopping_ = true;
        const char byte = 1;  // wakes every wait; the pipe stays readable from now on
        [[maybe_unused]] const ssize_t written = ::write(wake_[1], &byte, 1);
    });
    stop();
}

template <typename Self>
bool BoundedServer::answer_request(Self& self, httplib::Stream& stream, bool last, bool& closed,
                                   const std::function<void(httplib::Request&)>& setup) {
    if constexpr (TakesAddresses<Self>::value) {
        std::string remote_address, local_address;
        int remote_port = 0, local_port = 0;
        stream.get_remote_ip_and_port(remote_address, remote_port);
        stream.get_local_ip_and_port(local_address, local_port);
        return self.process_request(stream, remote_address, remote_port, local_address, local_port, last, closed,
                                    setup);
    } else {
        return self.process_request(stream, last, closed, setup);
    }
}

// Replaces httplib's loop over a connection's requests (its own stream checks
// that the client still sends before it answers, and has no deadlines).
bool BoundedServer::process_and_close_socket(socket_t sock) {
    if (refuse_this_connection) {
        refuse_at_once(sock);
        return false;
    }
    Connection connection(*this, sock);
    current_ = &connection;
    for (std::size_t served = 0; served < limits_.requests_per_connection && !stopping_; ++served) {
        if (!connection.wait_for_request(served == 0 ? limits_.request_time : limits_.idle_time)) break;
        connection.start_request();
        const bool last = served + 1 == limits_.requests_per_connection;
        bool closed = false;
        const bool answered =
            answer_request(*this, connection, last, closed, [this](httplib::Request& request) { prepare(request); });
        if (!answered || closed || connection.must_close()) break;
    }
    current_ = nullptr;
    connection.close();
    return true;
}

// Called by httplib once the request line and headers are read, before routing.
void BoundedServer::prepare(httplib::Request& request) const {
    // Range is not served. The answers here are generated (a Range is for
    // resuming downloads of files), and a list of overlapping ranges
    // multiplies an answer: 3 KB of "0-,0-,..." made the page 9 MB.
    request.ranges.clear();
    // A request with neither a length nor a transfer coding has no body
    // (RFC 9112, 6.3); httplib would read one until the client closes.
    if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding"))
        request.set_header("Content-Length", "0");
}

// Before any byte of a body is read: a body must come with one Content-Length
// within the limit, and uncompressed. (httplib reads chunked bodies without
// a limit and inflates gzip without one.)
httplib::Server::HandlerResponse BoundedServer::check_framing(const httplib::Request& request,
                                                              httplib::Response& response) const {
    const auto refuse = [&](int status, const std::string& message) {
        refuse_(response, status, message);
        response.set_header("Connection", "close");
        if (current_) current_->close_unread();
        return HandlerResponse::Handled;
    };
    if (request.has_header("Transfer-Encoding"))
        return refuse(411, "send the body with a Content-Length header; Transfer-Encoding (chunked) is not accepted");
    const std::string coding = lowercase(request.get_header_value("Content-Encoding"));
    if (!coding.empty() && coding != "identity")
        return refuse(415, "Content-Encoding '" + coding + "' is not accepted: send the body uncompressed");
    if (request.get_header_value_count("Content-Length") != 1)
        return refuse(400, "more than one Content-Length header");
    const std::string length = request.get_header_value("Content-Length");
    if (length.empty() || length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos)
        return refuse(400, "Content-Length '" + length + "' is not a number of bytes");
    if (std::stoull(length) > limits_.max_body_bytes)
        return refuse(413, "the request body is larger than " + std::to_string(limits_.max_body_bytes >> 10) + " KiB");
    return HandlerResponse::Unhandled;
}

// On the accepting thread, so it must not block: the answer fits in the
// socket's empty send buffer. Whatever the client has sent is read first, so
// that closing sends an ordinary end of stream rather than a reset.
void BoundedServer::refuse_at_once(socket_t sock) const {
    char scrap[4096];
    for (int i = 0; i < 16 && ::recv(sock, scrap, sizeof scrap, MSG_DONTWAIT) > 0; ++i) {
    }
    [[maybe_unused]] const ssize_t sent =
        ::send(sock, busy_answer_.data(), busy_answer_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(sock, SHUT_WR);
    ::close(sock);
}

}  // namespace app
