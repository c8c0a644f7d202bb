// A bounded soak check of `ch08_mnist_classifier serve`, on loopback only.
// It starts the server on a free port and, for a stated number of minutes,
// sends it at once:
//   - good requests: MNIST test digits to POST /predict, as JSON and as PNG,
//     from a few clients on kept-alive connections;
//   - bad requests, one kind after another, each with the status it must get
//     (malformed JSON, oversized, chunked, gzip, invalid UTF-8, wrong method
//     or path, a Range on the page, a half-closed connection, ...);
//   - slow clients that send a request one byte every half second, which the
//     server must cut off at its request deadline;
//   - a probe that times GET /health every 100 ms on a fresh connection.
// Then it stops the server with SIGTERM and prints what was answered, the
// latencies, the errors by class and the server's memory at start and end;
// `--json FILE` writes the settings and the same numbers (tools/results_tables
// stores them in docs/results/ for the README).
//
//   build/release/bin/serve_soak --model out/model.nnm [--minutes 3] [--json FILE]

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "child_process.hpp"
#include "nn/cli.hpp"
#include "nn/close_on_exec.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/image.hpp"
#include "nn/metrics.hpp"
#include "nn/progress.hpp"
#include "nn/timer.hpp"
#include "serve_measure.hpp"

namespace {

using nn_tools::beside_this_program;
using nn_tools::latency_json;
using nn_tools::ms;
using nn_tools::percentile;

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
    std::string server;
    std::string model = "out/model.nnm";
    std::string data_dir;
    double minutes = 3.0;
    int good_clients = 4;
    int bad_clients = 2;
    int slow_clients = 20;
    std::string json_path;
};

// Everything the clients count, behind one lock (counting is not the hot path).
class Tally {
public:
    void answered(const std::string& kind, double seconds) {
        const std::lock_guard<std::mutex> lock(mutex_);
        latencies_[kind].push_back(seconds);
    }
    void error(const std::string& what) {
        const std::lock_guard<std::mutex> lock(mutex_);
        ++errors_[what];
    }
    std::map<std::string, std::vector<double>> latencies() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return latencies_;
    }
    std::map<std::string, long> errors() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return errors_;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<double>> latencies_;
    std::map<std::string, long> errors_;
};

// The server's resident memory, from /proc: VmRSS (now) or VmHWM (peak), in MiB.
double memory_mib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.compare(0, field.size() + 1, field + ":") == 0)
            return std::stod(line.substr(field.size() + 1)) / 1024.0;
    return 0.0;
}

// One raw HTTP exchange on a new connection: sends `request` (optionally
// closing the sending side after it), reads until the server closes or
// `timeout`, returns the status (0 if none).
int raw_exchange(int port, const std::string& request, bool half_close, std::chrono::milliseconds timeout) {
    const int fd = nn::socket_close_on_exec(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const timeval limit{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    std::string answer;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        for (std::size_t sent = 0; sent < request.size();) {
            const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;  // refused before the end: the answer may be waiting
            sent += static_cast<std::size_t>(n);
        }
        if (half_close) shutdown(fd, SHUT_WR);
        const auto deadline = Clock::now() + timeout;
        for (char buffer[16384];;) {
            pollfd p{fd, POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
            const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            answer.append(buffer, static_cast<std::size_t>(n));
        }
    }
    close(fd);
    return answer.compare(0, 9, "HTTP/1.1 ") == 0 && answer.size() >= 12 ? std::atoi(answer.substr(9, 3).c_str()) : 0;
}

struct BadRequest {
    std::string name;
    std::string request;
    int expected;
    bool half_close = false;
};

std::vector<BadRequest> bad_requests(const std::string& good_json) {
    const auto post = [](const std::string& type, const std::string& headers, const std::string& body) {
        return "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + type + "\r\n" +
               headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    const auto get = [](const std::string& path, const std::string& headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n";
    };
    std::string ranges = "Range: bytes=0-";
    while (ranges.size() < 3000) ranges += ",0-";
    return {
        {"malformed JSON", post("application/json", "", "{\"pixels\": [0.1,"), 400},
        {"784 -> 3 pixels", post("application/json", "", "{\"pixels\": [0.1, 0.2, 0.3]}"), 400},
        {"invalid UTF-8", post("application/json", "", "{\"pixels\": \"\xff\xfe\"}"), 400},
        {"not an image", post("image/png", "", "this is not a PNG"), 400},
        {"text/plain", post("text/plain", "", good_json), 415},
        {"gzip body", post("application/json", "Content-Encoding: gzip\r\n", std::string(1000, 'x')), 415},
        {"2 MiB body", post("application/json", "", std::string(2u << 20, '7')), 413},
        {"chunked body",
         "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string("100\r\n") +
             std::string(256, '7') + "\r\n0\r\n\r\n",
         411},
        {"unknown path", get("/admin", ""), 404},
        {"wrong method", get("/predict", ""), 405},
        {"3 KB Range on /", get("/", ranges + "\r\n"), 200},
        {"half-closed", post("application/json", "", good_json), 200, true},
    };
}

// The good clients: digits as JSON (even clients) or PNG (odd), on kept-alive connections.
void good_client(int c, int port, const nn::Dataset& test, const std::atomic<bool>& stop, Tally& tally) {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(10s);
    for (std::size_t i = static_cast<std::size_t>(c) * 97; !stop; ++i) {
        const arma::vec pixels = test.images.col(i % test.images.n_cols);
        const bool png = c % 2 == 1;
        const std::string body = png ? nn::encode_png(nn::gray_image(pixels, 28, 28, 4))
                                     : nn::Json{{"pixels", arma::conv_to<std::vector<double>>::from(pixels)}}.dump();
        const auto start = Clock::now();
        auto result = client.Post("/predict", body, png ? "image/png" : "application/json");
        const std::chrono::duration<double> took = Clock::now() - start;
        if (!result)
            tally.error("good request: no answer (" + httplib::to_string(result.error()) + ")");
        else if (result->status != 200)
            tally.error("good request: status " + std::to_string(result->status));
        else
            tally.answered("good", took.count());
    }
}

void bad_client(int c, int port, const std::vector<BadRequest>& bad, const std::atomic<bool>& stop, Tally& tally) {
    for (std::size_t i = static_cast<std::size_t>(c); !stop; ++i) {
        const BadRequest& r = bad[i % bad.size()];
        const auto start = Clock::now();
        const int status = raw_exchange(port, r.request, r.half_close, 10s);
        const std::chrono::duration<double> took = Clock::now() - start;
        if (status == r.expected)
            tally.answered("bad", took.count());
        else
            tally.error(r.name + ": status " + std::to_string(status) + " instead of " + std::to_string(r.expected));
    }
}

// Sends "GET /health HTTP/1.1..." one byte every 500 ms until the server closes
// the connection; records how long the server took to cut it off.
void slow_client(int port, const std::atomic<bool>& stop, Tally& tally) {
    const std::string request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(200, 'p');
    while (!stop) {
        const int fd = nn::socket_close_on_exec(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            tally.error("slow client: cannot connect");
            close(fd);
            std::this_thread::sleep_for(500ms);
            continue;
        }
        const auto start = Clock::now();
        bool cut = false;
        for (std::size_t i = 0; i < request.size() && !stop && !cut; ++i) {
            send(fd, &request[i], 1, MSG_NOSIGNAL);
            pollfd p{fd, POLLIN, 0};
            char byte;
            cut = poll(&p, 1, 500) > 0 && recv(fd, &byte, 1, 0) <= 0;
        }
        const std::chrono::duration<double> took = Clock::now() - start;
        close(fd);
        if (cut)
            tally.answered("slow cut off", took.count());
        else if (!stop)
            tally.error("slow client: never cut off");
    }
}

void health_probe(int port, const std::atomic<bool>& stop, Tally& tally) {
    while (!stop) {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(5s);
        const auto start = Clock::now();
        auto result = client.Get("/health");
        const std::chrono::duration<double> took = Clock::now() - start;
        if (result && result->status == 200)
            tally.answered("health", took.count());
        else
            tally.error("health: " + (result ? "status " + std::to_string(result->status) : std::string("no answer")));
        std::this_thread::sleep_for(100ms);
    }
}

int run(const Config& config) {
    const nn::Dataset test = nn::load_splits("mnist", nn::resolve_data_dir(config.data_dir), 0).test;

    nn::ChildProcess server({config.server, "serve", "--model", config.model, "--port", "0"});
    const std::string line = server.wait_for_line("Serving on http://", 60s);
    const int port = std::stoi(line.substr(line.rfind(':') + 1));
    const double rss_start = memory_mib(server.pid(), "VmRSS");

    std::atomic<bool> stop{false};
    Tally tally;
    const std::vector<BadRequest> bad =
        bad_requests(nn::Json{{"pixels", arma::conv_to<std::vector<double>>::from(test.images.col(0))}}.dump());
    std::vector<std::thread> clients;
    for (int c = 0; c < config.good_clients; ++c)
        clients.emplace_back([&, c] { good_client(c, port, test, stop, tally); });
    for (int c = 0; c < config.bad_clients; ++c)
        clients.emplace_back([&, c] { bad_client(c, port, bad, stop, tally); });
    for (int c = 0; c < config.slow_clients; ++c) clients.emplace_back([&] { slow_client(port, stop, tally); });
    clients.emplace_back([&] { health_probe(port, stop, tally); });

    nn::Timer wall;
    const auto end = Clock::now() + std::chrono::duration<double>(60.0 * config.minutes);
    std::vector<double> rss_by_half_minute;  // does the memory level off?
    for (auto next = Clock::now() + 30s; Clock::now() < end; std::this_thread::sleep_for(200ms))
        if (Clock::now() >= next) {
            rss_by_half_minute.push_back(memory_mib(server.pid(), "VmRSS"));
            next += 30s;
        }
    const double rss_end = memory_mib(server.pid(), "VmRSS");
    const double rss_peak = memory_mib(server.pid(), "VmHWM");
    stop = true;
    for (auto& t : clients) t.join();
    const double elapsed = wall.seconds();

    nn::Timer stopping;
    server.send(SIGTERM);
    const auto status = server.wait(30s);
    const double stop_seconds = stopping.seconds();

    const auto latencies = tally.latencies();
    const auto errors = tally.errors();
    const auto count = [&](const std::string& kind) {
        const auto it = latencies.find(kind);
        return it == latencies.end() ? std::vector<double>() : it->second;
    };
    const auto row = [](const std::string& name, const std::string& value) {
        std::cout << std::left << std::setw(30) << name << value << '\n';
    };
    long failed = 0;
    for (const auto& e : errors) failed += e.second;
    std::cout << "Soak check of " << fs::path(config.server).filename().string() << " serve (loopback, "
              << config.minutes << " min: " << config.good_clients << " good, " << config.bad_clients << " bad, "
              << config.slow_clients << " slow clients, a /health probe)\n"
              << std::string(78, '-') << '\n';
    const std::vector<double> good = count("good"), bad_answered = count("bad"), health = count("health"),
                              slow = count("slow cut off");
    row("good requests answered",
        std::to_string(good.size()) + " (" + std::to_string(static_cast<long>(good.size() / elapsed)) + "/s)");
    row("  latency p50 / p99 / max",
        ms(percentile(good, 0.5)) + " / " + ms(percentile(good, 0.99)) + " / " + ms(percentile(good, 1.0)));
    row("bad requests answered as due",
        std::to_string(bad_answered.size()) + " (" + std::to_string(bad.size()) + " kinds)");
    row("  latency p50 / p99 / max", ms(percentile(bad_answered, 0.5)) + " / " + ms(percentile(bad_answered, 0.99)) +
                                         " / " + ms(percentile(bad_answered, 1.0)));
    row("/health answered", std::to_string(health.size()));
    row("  latency p50 / p99 / max",
        ms(percentile(health, 0.5)) + " / " + ms(percentile(health, 0.99)) + " / " + ms(percentile(health, 1.0)));
    row("slow clients cut off", std::to_string(slow.size()) + ", after " + ms(percentile(slow, 0.5)) + " (p50) / " +
                                    ms(percentile(slow, 1.0)) + " (max)");
    row("errors", failed == 0 ? std::string("none") : std::to_string(failed));
    for (const auto& e : errors) row("  " + std::to_string(e.second) + " x", e.first);
    std::ostringstream memory;
    memory << std::fixed << std::setprecision(1) << rss_start << " MiB at start, " << rss_end << " MiB at end, peak "
           << rss_peak << " MiB";
    row("server memory (RSS)", memory.str());
    if (!rss_by_half_minute.empty()) {
        std::ostringstream series;
        series << std::fixed << std::setprecision(1);
        for (const double mib : rss_by_half_minute) series << mib << ' ';
        row("  every 30 s (MiB)", series.str());
    }
    row("stop on SIGTERM",
        status ? ms(stop_seconds) + ", exit code " + std::to_string(*status) : "did not stop in 30 s");
    if (!config.json_path.empty()) {
        nn::Json kinds = nn::Json::array();
        for (const BadRequest& r : bad) kinds.push_back({{"name", r.name}, {"expected_status", r.expected}});
        nn::write_json(
            config.json_path,
            {{"server", fs::path(config.server).filename().string()},
             {"model", config.model},
             {"minutes", config.minutes},
             {"good_clients", config.good_clients},
             {"bad_clients", config.bad_clients},
             {"slow_clients", config.slow_clients},
             {"bad_request_kinds", kinds},
             {"elapsed_seconds", elapsed},
             {"good", {{"per_second", good.size() / elapsed}, {"latency_seconds", latency_json(good, {50, 99})}}},
             {"bad", {{"latency_seconds", latency_json(bad_answered, {50, 99})}}},
             {"health", {{"latency_seconds", latency_json(health, {50, 99})}}},
             {"slow_cut_off", {{"seconds", latency_json(slow, {50})}}},
             {"errors", errors},
             {"rss_mib",
              {{"start", rss_start}, {"every_30_s", rss_by_half_minute}, {"end", rss_end}, {"peak", rss_peak}}},
             {"stop_seconds", stop_seconds},
             {"exit_code", status ? nn::Json(*status) : nn::Json()}});
    }
    return failed == 0 && status == 0 && !good.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Config config;
    config.server = beside_this_program("ch08_mnist_classifier_reference");
    CLI::App app{"A bounded soak check of the classifier's HTTP server, on loopback"};
    app.add_option("--model", config.model, "The model file to serve")->capture_default_str();
    app.add_option("--server", config.server, "The program to start with `serve`")->capture_default_str();
    app.add_option("--data-dir", config.data_dir, "Folder holding mnist/ (the digits to send)");
    app.add_option("--minutes", config.minutes, "How long to run")->check(CLI::Range(0.1, 30.0))->capture_default_str();
    app.add_option("--good-clients", config.good_clients, "Clients sending digits")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    app.add_option("--bad-clients", config.bad_clients, "Clients sending bad requests")
        ->check(CLI::Range(0, 16))
        ->capture_default_str();
    app.add_option("--slow-clients", config.slow_clients, "Clients sending a byte every 500 ms")
        ->check(CLI::Range(0, 60))
        ->capture_default_str();
    app.add_option("--json", config.json_path, "Write the settings and the numbers as JSON to this file");
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(config); });
}
