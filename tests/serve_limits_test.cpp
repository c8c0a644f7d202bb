// `ch08_mnist_classifier serve` against clients that break the rules: bodies
// without a length or compressed, slow and silent clients, too many of them,
// a second server on the same port, Range headers, bytes that are not UTF-8,
// half-closed connections and signals while all that goes on. Every client
// here is on loopback, and every loop is bounded in count and in time.

#include <signal.h>

#include <algorithm>
#include <memory>
#include <thread>
#include <tuple>

#include "nn/close_on_exec.hpp"
#include "nn/metrics.hpp"
#include "serve_test_support.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using nn_test::body_of;
using nn_test::RawConnection;
using nn_test::ServeProcess;
using nn_test::status_of;

ServeProcess& shared_server() {
    static ServeProcess server;
    return server;
}

std::string digit_json() {
    const arma::vec pixels = nn_test::mnist_subset().test.images.col(0);  // a 7
    return nn::Json{{"pixels", arma::conv_to<std::vector<double>>::from(pixels)}}.dump();
}

// The request line and headers of a POST /predict; each extra header ends with "\r\n".
std::string post_head(const std::string& extra_headers) {
    return "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n";
}

// The time a fresh connection takes to get /health answered, in milliseconds.
double health_milliseconds(const ServeProcess& server) {
    auto client = server.client();
    const auto start = std::chrono::steady_clock::now();
    auto result = client.Get("/health");
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    return result && result->status == 200 ? took.count() : 1e9;
}

// Connections that have sent the start of a request and then nothing more.
std::vector<std::unique_ptr<RawConnection>> slow_clients(int port, int count) {
    std::vector<std::unique_ptr<RawConnection>> clients;
    for (int i = 0; i < count; ++i) {
        clients.push_back(std::make_unique<RawConnection>(port));
        REQUIRE(clients.back()->connected());
        clients.back()->send(i % 2 ? "GET /health HTTP/1.1\r\nHo" : post_head("Content-Length: 5000\r\n") + "{\"pix");
    }
    return clients;
}

}  // namespace

TEST_CASE("a chunked body is refused with 411 before it is read, however long it is", "[serve][limits]") {
    // Up to 16 MiB of chunks; the server answers after the headers and stops reading.
    RawConnection c(shared_server().port());
    REQUIRE(c.send(post_head("Transfer-Encoding: chunked\r\n")));
    const std::string chunk = "10000\r\n" + std::string(0x10000, '7') + "\r\n";
    for (int i = 0; i < 256 && !c.readable(); ++i)
        if (!c.send(chunk)) break;
    const std::string answer = c.receive_all(5s);
    INFO(answer.substr(0, 300));
    CHECK(status_of(answer) == 411);
    CHECK_THAT(body_of(answer), ContainsSubstring("Content-Length"));
    CHECK(health_milliseconds(shared_server()) < 1000.0);
}

TEST_CASE("a body sent without any length is empty, not read until the client closes", "[serve][limits]") {
    RawConnection c(shared_server().port());
    REQUIRE(c.send(post_head("")));
    const std::string answer = c.receive_all(3s);  // the connection stays open: the answer must not wait for it
    INFO(answer.substr(0, 300));
    CHECK(status_of(answer) == 400);
    CHECK_THAT(body_of(answer), ContainsSubstring("malformed JSON"));
}

TEST_CASE("a compressed body is refused with 415, never inflated", "[serve][limits]") {
    SECTION("gzip, as httplib's client compresses it") {
        auto client = shared_server().client();
        client.set_compress(true);
        auto result = client.Post("/predict", digit_json(), "application/json");
        REQUIRE(result);
        INFO(result->body);
        CHECK(result->status == 415);
        CHECK_THAT(result->body, ContainsSubstring("Content-Encoding"));
    }
    SECTION("any other coding but identity") {
        for (const char* coding : {"deflate", "br", "x-unknown"}) {
            RawConnection c(shared_server().port());
            REQUIRE(
                c.send(post_head(std::string("Content-Encoding: ") + coding + "\r\nContent-Length: 4\r\n") + "abcd"));
            const std::string answer = c.receive_all(5s);
            INFO(coding << ": " << answer.substr(0, 300));
            CHECK(status_of(answer) == 415);
        }
        auto client = shared_server().client();
        httplib::Headers identity = {{"Content-Encoding", "identity"}};
        auto result = client.Post("/predict", identity, digit_json(), "application/json");
        REQUIRE(result);
        CHECK(result->status == 200);
    }
}

TEST_CASE("/health answers within 100 ms while 50 slow clients hold connections", "[serve][limits]") {
    auto slow = slow_clients(shared_server().port(), 50);
    std::this_thread::sleep_for(200ms);  // every slow client is now taken by the server
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) times.push_back(health_milliseconds(shared_server()));
    std::sort(times.begin(), times.end());
    INFO("fastest " << times.front() << " ms, median " << times[2] << " ms, slowest " << times.back() << " ms");
    CHECK(times[2] < 100.0);
    CHECK(times.back() < 1000.0);
}

TEST_CASE("a client that sends one byte at a time is cut off by the request deadline", "[serve][limits]") {
    // The server gives a request 5 s from its first byte; each byte here comes
    // well within any per-read timeout, and the request would never end.
    RawConnection c(shared_server().port());
    REQUIRE(c.send("G"));
    const auto start = std::chrono::steady_clock::now();
    bool closed = false;
    for (int i = 0; i < 40 && !closed; ++i) {  // at most 40 x 250 ms
        closed = c.closed_by_server(250ms);
        if (!closed) c.send("E");
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    INFO("closed after " << took.count() << " s");
    CHECK(closed);
    CHECK(took.count() < 8.0);
}

TEST_CASE("more connections than the server holds are refused with 503 at once", "[serve][limits]") {
    ServeProcess server;  // its own: the shared one must not be starved for other tests
    // 64 connections get a thread and 64 wait for one; the server drops the
    // slow ones after its request deadline (5 s), so the refusal is checked first.
    auto slow = slow_clients(server.port(), 140);
    std::this_thread::sleep_for(200ms);
    RawConnection extra(server.port());
    REQUIRE(extra.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = extra.receive_all(3s);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    INFO(answer.substr(0, 300));
    CHECK(status_of(answer) == 503);
    CHECK_THAT(body_of(answer), ContainsSubstring("too many connections"));
    CHECK(took.count() < 1000.0);
    slow.clear();  // the clients go; the server answers again
    double health = 1e9;
    for (int i = 0; i < 50 && health > 1000.0; ++i) {
        std::this_thread::sleep_for(100ms);
        health = health_milliseconds(server);
    }
    CHECK(health < 1000.0);
}

TEST_CASE("SIGTERM and SIGINT stop the server within 2 s whatever the clients do", "[serve][limits]") {
    const int signal = GENERATE(SIGTERM, SIGINT);
    ServeProcess server;
    auto slow = slow_clients(server.port(), 50);
    // A client that asks for the page again and again and never reads the answers:
    // the server's writes block once the socket buffers are full.
    RawConnection deaf(server.port());
    std::string requests;
    for (int i = 0; i < 100; ++i) requests += "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(deaf.send(requests));
    std::this_thread::sleep_for(300ms);
    const auto start = std::chrono::steady_clock::now();
    server.process().send(signal);
    const auto status = server.process().wait(2s);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    INFO("signal " << signal << ", stopped after " << took.count() << " s");
    REQUIRE(status.has_value());
    CHECK(*status == 0);
}

TEST_CASE("a second server on a port in use refuses to start", "[serve][limits]") {
    SECTION("another instance of the server") {
        nn::ChildProcess second({nn_test::serve_program(), "serve", "--model", NN_SERVE_MODEL, "--port",
                                 std::to_string(shared_server().port())});
        const auto status = second.wait(20s);
        REQUIRE(status.has_value());  // it did not start listening beside the first one
        CHECK(*status == 2);
    }
    SECTION("any other program") {
        const int port = nn::free_loopback_port();
        const int fd = nn::socket_close_on_exec(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(listen(fd, 4) == 0);
        nn::ChildProcess second(
            {nn_test::serve_program(), "serve", "--model", NN_SERVE_MODEL, "--port", std::to_string(port)});
        const auto status = second.wait(20s);
        close(fd);
        REQUIRE(status.has_value());
        CHECK(*status == 2);
    }
}

TEST_CASE("Range headers are ignored: a generated page is sent whole, once", "[serve][limits]") {
    auto client = shared_server().client();
    auto page = client.Get("/");
    REQUIRE(page);
    REQUIRE(page->status == 200);
    std::string many = "bytes=0-";
    while (many.size() < 3000) many += ",0-";
    for (const std::string& range : {std::string("bytes=0-10"), std::string("bytes=-5"), many}) {
        auto result = client.Get("/", {{"Range", range}});
        REQUIRE(result);
        INFO("Range: " << range.substr(0, 40));
        CHECK(result->status == 200);
        CHECK_FALSE(result->has_header("Content-Range"));
        CHECK(result->body.size() == page->body.size());
    }
    // One that cannot be parsed is refused by the HTTP library before the server sees it: a short 416.
    auto malformed = client.Get("/", {{"Range", "bytes=abc"}});
    REQUIRE(malformed);
    CHECK(malformed->status == 416);
    CHECK(malformed->body.size() < 200);
    auto health = client.Get("/health", {{"Range", many}});
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK_NOTHROW(std::ignore = nn::Json::parse(health->body));
}

TEST_CASE("bytes that are not UTF-8 get a 400 or 415 with a valid JSON error, never a 500", "[serve][limits]") {
    auto client = shared_server().client();
    SECTION("in a JSON string") {
        for (const std::string& body : {std::string("{\"pixels\": \"\xff\xfe\"}"), std::string("{\"pix\xc3\x28\": []}"),
                                        std::string("[\"\xed\xa0\x80\"]")}) {
            auto result = client.Post("/predict", body, "application/json");
            REQUIRE(result);
            INFO(result->body);
            CHECK(result->status == 400);
            CHECK_NOTHROW(std::ignore = nn::Json::parse(result->body));
        }
    }
    SECTION("in the content type") {
        auto result = client.Post("/predict", digit_json(), "text/\xff\xfe");
        REQUIRE(result);
        INFO(result->body);
        CHECK(result->status == 415);
        CHECK_NOTHROW(std::ignore = nn::Json::parse(result->body));
    }
}

TEST_CASE("a client that half-closes after its request still gets the answer", "[serve][limits]") {
    const std::string predict =
        post_head("Content-Length: " + std::to_string(digit_json().size()) + "\r\n") + digit_json();
    int answered = 0;
    const int tries = 20;
    for (int i = 0; i < tries; ++i) {
        RawConnection c(shared_server().port());
        REQUIRE(c.send(i % 2 ? predict : "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        c.close_sending();  // "no more requests", as `curl` or a proxy may say it
        const std::string answer = c.receive_all(5s);
        if (status_of(answer) == 200) ++answered;
    }
    CHECK(answered == tries);
}
