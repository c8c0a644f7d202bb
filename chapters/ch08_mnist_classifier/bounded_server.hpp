// An HTTP server that bounds what any client can take from it: bytes, time,
// threads and connections. cpp-httplib parses the requests and calls the
// handlers; this class owns the connections around that.
//
// cpp-httplib 0.11 (Debian 12) leaves a few doors open. It reads a chunked
// body, or one without a length, to its end whatever its size; it inflates
// gzip bodies without a limit; its per-read timeouts never fire for a client
// that sends a byte now and then; its queue of connections has no bound, and
// stopping waits for every queued connection; it binds with SO_REUSEPORT, so
// a second server shares the port; it serves Range requests from any answer;
// and it does not answer a client that has closed its sending side. So:
//
// - each request has a deadline to arrive whole, each answer a deadline to
//   leave, and a kept-alive connection an idle deadline;
// - a body must have a Content-Length of at most max_body_bytes (chunked and
//   compressed bodies are refused before a byte of them is read), and a
//   request line with its headers at most max_head_bytes;
// - `connections` threads serve one connection each; at most
//   `queued_connections` more wait for a thread; any further connection gets
//   a 503 at once from the accepting thread;
// - stop_serving() ends every wait for a request at once and gives answers already
//   being written `stop_grace` to finish;
// - the listening socket is bound without SO_REUSEPORT, so a port in use is
//   an error, and with a backlog of more than httplib's 5 (a full backlog
//   drops new connections, which then retry after a second).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

namespace app {

struct ServerLimits {
    std::size_t max_body_bytes = std::size_t{1} << 20;   // a request's body (its Content-Length)
    std::size_t max_head_bytes = std::size_t{64} << 10;  // its request line and headers
    std::size_t connections = 64;                        // served at once, one thread each
    std::size_t queued_connections = 64;                 // accepted, waiting for a thread
    std::size_t requests_per_connection = 100;           // then the connection is closed
    int listen_backlog = 128;                            // connections the kernel holds before accept
    std::chrono::milliseconds request_time{5000};        // for a whole request to arrive
    std::chrono::milliseconds response_time{5000};       // for a whole answer to leave
    std::chrono::milliseconds idle_time{2000};           // between requests on a kept-alive connection
    std::chrono::milliseconds stop_grace{1000};          // for answers in progress after stop()
};

class BoundedServer : public httplib::Server {
public:
    /// Writes an error answer (status and body) for a request refused by the server itself.
    using Refuse = std::function<void(httplib::Response&, int status, const std::string& message)>;

    BoundedServer(const ServerLimits& limits, Refuse refuse);
    ~BoundedServer() override;
    BoundedServer(const BoundedServer&) = delete;
    BoundedServer& operator=(const BoundedServer&) = delete;

    /// Listens on \p host : \p port (0: any free port), without SO_REUSEPORT.
    /// \return the port, or -1 if it cannot (the port is in use, or the host is not of this machine).
    int open_port(const std::string& host, int port);

    /// Stops accepting connections and ends every wait for a request at once;
    /// answers being written get `stop_grace` to finish. Safe from any thread,
    /// before or during listen_after_bind(); not from a signal handler.
    void stop_serving();

    const ServerLimits& limits() const { return limits_; }

private:
    class Connection;
    class Pool;

    bool process_and_close_socket(socket_t sock) override;
    // httplib's own reading and answering of one request. Its arguments differ
    // between versions (newer ones also take the peer's and our address and
    // port); the call is chosen by which one compiles.
    template <typename Self, typename = void>
    struct TakesAddresses : std::false_type {};
    template <typename Self>
    struct TakesAddresses<Self, std::void_t<decltype(std::declval<Self&>().process_request(
                                    std::declval<httplib::Stream&>(), std::string(), 0, std::string(), 0, false,
                                    std::declval<bool&>(), std::function<void(httplib::Request&)>()))>>
        : std::true_type {};
    template <typename Self>
    static bool answer_request(Self& self, httplib::Stream& stream, bool last, bool& closed,
                               const std::function<void(httplib::Request&)>& setup);
    void prepare(httplib::Request& request) const;
    HandlerResponse check_framing(const httplib::Request& request, httplib::Response& response) const;
    void refuse_at_once(socket_t sock) const;

    static thread_local Connection* current_;  // the connection this thread is serving, if any

    ServerLimits limits_;
    Refuse refuse_;
    std::string busy_answer_;  // the whole 503 answer, prepared once
    int wake_[2] = {-1, -1};   // readable once stop_serving() has been called
    std::once_flag stop_once_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::chrono::steady_clock::rep> stop_deadline_{0};  // time_since_epoch of the last write allowed
};

}  // namespace app
