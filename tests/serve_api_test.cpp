// The HTTP API of `ch08_mnist_classifier serve`, tested over real sockets:
// a server is started on a free loopback port with a model trained by the
// CTest fixture `serve.model`, and every answer is checked, good and bad.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

#include "child_process.hpp"
#include "nn/image.hpp"
#include "nn/metrics.hpp"
#include "serve_test_support.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

// A server on a port it chose itself (--port 0), stopped with the test process.
using Server = nn_test::ServeProcess;

Server& shared_server() {
    static Server server;
    return server;
}

nn::Json json_of(const httplib::Result& result) {
    REQUIRE(result);
    INFO(result->body);
    return nn::Json::parse(result->body);
}

std::string pixels_body(const arma::vec& pixels, double scale = 1.0) {
    nn::Json list = nn::Json::array();
    for (const double v : pixels) list.push_back(v * scale);
    return nn::Json{{"pixels", list}}.dump();
}

// A 4xx answer with a JSON error message; the server still answers afterwards.
void require_refused(const httplib::Result& result, int status, const std::string& mentions) {
    REQUIRE(result);
    INFO(result->body);
    CHECK(result->status == status);
    CHECK(result->get_header_value("Content-Type") == "application/json");
    const nn::Json body = nn::Json::parse(result->body);
    REQUIRE(body.contains("error"));
    CHECK_THAT(body["error"].get<std::string>(), ContainsSubstring(mentions));
    auto health = shared_server().client().Get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);
}

const nn::Dataset& test_digits() { return nn_test::mnist_subset().test; }

}  // namespace

TEST_CASE("GET /health describes the model", "[serve]") {
    auto result = shared_server().client().Get("/health");
    REQUIRE(result);
    CHECK(result->status == 200);
    const nn::Json health = json_of(result);
    CHECK(health["status"] == "ok");
    CHECK(health["dataset"] == "mnist");
    CHECK(health["classes"].size() == 10);
    CHECK(health["sizes"].front() == 787);  // 784 pixels + 3 extra features (deskew+stats)
    CHECK(health["sizes"].back() == 10);
    CHECK_THAT(health["architecture"].get<std::string>(), ContainsSubstring("dense(787->"));
    REQUIRE(health["test_accuracy"].is_number());  // recorded by `train` in the model file
    CHECK(health["test_accuracy"].get<double>() > 0.9);
}

TEST_CASE("GET / is the drawing page, self-contained", "[serve]") {
    auto result = shared_server().client().Get("/");
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK_THAT(result->get_header_value("Content-Type"), ContainsSubstring("text/html"));
    const std::string& page = result->body;
    CHECK_THAT(page, ContainsSubstring("<canvas id=\"pad\" width=\"280\" height=\"280\""));
    CHECK_THAT(page, ContainsSubstring("id=\"clear\""));
    CHECK_THAT(page, ContainsSubstring("id=\"preview\" width=\"28\" height=\"28\""));
    // Nothing is loaded from elsewhere: no external scripts, styles or fonts.
    CHECK(page.find("src=\"http") == std::string::npos);
    CHECK(page.find("href=\"http") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);
}

TEST_CASE("POST /predict classifies real MNIST test digits sent as pixels", "[serve]") {
    auto client = shared_server().client();
    const nn::Dataset& test = test_digits();
    int correct = 0;
    const int n = 50;
    for (int i = 0; i < n; ++i) {
        auto result = client.Post("/predict", pixels_body(test.images.col(i)), "application/json");
        REQUIRE(result);
        REQUIRE(result->status == 200);
        const nn::Json answer = nn::Json::parse(result->body);
        REQUIRE(answer["probabilities"].size() == 10);
        REQUIRE(answer["preprocessed"].size() == 784);
        double total = 0.0;
        for (const auto& p : answer["probabilities"]) total += p.get<double>();
        CHECK(total == Approx(1.0).margin(1e-9));
        CHECK(answer["label"] == std::to_string(answer["digit"].get<int>()));
        if (answer["digit"].get<arma::uword>() == test.labels[i]) ++correct;
        if (i == 0) CHECK(answer["digit"].get<arma::uword>() == test.labels[0]);  // the first test digit, a 7
    }
    INFO(correct << " of " << n << " correct");
    CHECK(correct >= 47);

    SECTION("0..255 values mean the same as 0..1") {
        auto unit = json_of(client.Post("/predict", pixels_body(test.images.col(1)), "application/json"));
        auto bytes = json_of(
            client.Post("/predict", pixels_body(arma::round(255.0 * test.images.col(1)), 1.0), "application/json"));
        CHECK(unit["digit"] == bytes["digit"]);
        for (int k = 0; k < 10; ++k)
            CHECK(unit["probabilities"][k].get<double>() ==
                  Approx(bytes["probabilities"][k].get<double>()).margin(1e-6));
    }
}

TEST_CASE("POST /predict with a PNG preprocesses it as `predict` does", "[serve]") {
    auto client = shared_server().client();
    const nn::Dataset& test = test_digits();
    // The first test digit drawn 10x larger, dark ink on a white page, off-centre:
    // the server must invert, crop, scale and centre it back to MNIST form.
    const int scale = 10;
    nn::Image page(400, 360, 1, 255);
    const nn::Image digit = nn::gray_image(test.images.col(0), 28, 28, scale);
    for (int y = 0; y < digit.height; ++y)
        for (int x = 0; x < digit.width; ++x)
            page.bytes[(y + 50) * page.width + x + 90] =
                static_cast<std::uint8_t>(255 - digit.bytes[y * digit.width + x]);
    auto result = client.Post("/predict", nn::encode_png(page), "image/png");
    const nn::Json answer = json_of(result);
    REQUIRE(result->status == 200);
    CHECK(answer["digit"].get<arma::uword>() == test.labels[0]);
    // The preprocessed input is in MNIST form: 784 values in [0, 1], ink near the centre.
    REQUIRE(answer["preprocessed"].size() == 784);
    double mass = 0.0, cx = 0.0, cy = 0.0;
    for (int i = 0; i < 784; ++i) {
        const double v = answer["preprocessed"][i].get<double>();
        REQUIRE(v >= 0.0);
        REQUIRE(v <= 1.0);
        mass += v, cx += v * (i % 28), cy += v * (i / 28);
    }
    REQUIRE(mass > 0.0);
    CHECK(cx / mass == Approx(14.0).margin(1.0));
    CHECK(cy / mass == Approx(14.0).margin(1.0));
}

TEST_CASE("bad requests get a 4xx with a JSON error, and the server carries on", "[serve]") {
    auto client = shared_server().client();
    const std::string ok_pixels = pixels_body(test_digits().images.col(0));

    SECTION("malformed JSON") {
        require_refused(client.Post("/predict", "{\"pixels\": [0.1, 0.2", "application/json"), 400, "malformed JSON");
        require_refused(client.Post("/predict", "", "application/json"), 400, "malformed JSON");
    }
    SECTION("JSON of the wrong shape") {
        require_refused(client.Post("/predict", "[1, 2, 3]", "application/json"), 400, "\"pixels\"");
        require_refused(client.Post("/predict", "{\"pixels\": \"0,0,0\"}", "application/json"), 400, "\"pixels\"");
        require_refused(client.Post("/predict", "{\"image\": []}", "application/json"), 400, "\"pixels\"");
    }
    SECTION("the wrong number of pixels") {
        require_refused(client.Post("/predict", pixels_body(arma::zeros(783)), "application/json"), 400, "got 783");
        require_refused(client.Post("/predict", pixels_body(arma::zeros(785)), "application/json"), 400, "got 785");
        require_refused(client.Post("/predict", "{\"pixels\": []}", "application/json"), 400, "got 0");
    }
    SECTION("NaN, infinity, text and out-of-range values") {
        // 784 values, the first one given as text.
        const auto with_first = [](const std::string& first) {
            std::string body = "{\"pixels\": [" + first;
            for (int i = 1; i < 784; ++i) body += ", 0";
            return body + "]}";
        };
        // NaN and 1e999 are not JSON numbers (JSON has no NaN, and 1e999 overflows a double).
        require_refused(client.Post("/predict", with_first("NaN"), "application/json"), 400, "malformed JSON");
        require_refused(client.Post("/predict", with_first("1e999"), "application/json"), 400, "malformed JSON");
        require_refused(client.Post("/predict", with_first("\"0.5\""), "application/json"), 400,
                        "pixel 0 is not a number");
        require_refused(client.Post("/predict", with_first("null"), "application/json"), 400,
                        "pixel 0 is not a number");
        require_refused(client.Post("/predict", with_first("[0.5]"), "application/json"), 400,
                        "pixel 0 is not a number");
        CHECK(client.Post("/predict", with_first("0.5"), "application/json")->status == 200);
        arma::vec pixels = test_digits().images.col(0);
        pixels[5] = -0.5;
        require_refused(client.Post("/predict", pixels_body(pixels), "application/json"), 400, "pixel 5 is -0.5");
        pixels[5] = 256.0;
        require_refused(client.Post("/predict", pixels_body(pixels), "application/json"), 400, "pixel 5 is 256");
        pixels[5] = 1e308;
        require_refused(client.Post("/predict", pixels_body(pixels), "application/json"), 400, "pixel 5");
    }
    SECTION("a content type that is neither JSON nor an image") {
        require_refused(client.Post("/predict", ok_pixels, "text/plain"), 415, "unsupported content type");
        require_refused(client.Post("/predict", ok_pixels, "application/x-www-form-urlencoded"), 415,
                        "unsupported content type");
    }
    SECTION("a body that is not an image") {
        require_refused(client.Post("/predict", "this is not a PNG", "image/png"), 400, "not a readable image");
        const std::string png = nn::encode_png(nn::gray_image(test_digits().images.col(0)));
        require_refused(client.Post("/predict", png.substr(0, png.size() / 2), "image/png"), 400, "request body");
    }
    SECTION("an image with no ink") {
        require_refused(client.Post("/predict", nn::encode_png(nn::Image(64, 64, 1, 0)), "image/png"), 400, "blank");
        require_refused(client.Post("/predict", nn::encode_png(nn::Image(64, 64, 1, 255)), "image/png"), 400, "blank");
        require_refused(client.Post("/predict", pixels_body(arma::zeros(784)), "application/json"), 400, "blank");
    }
    SECTION("an image that claims to be huge") {
        // A small PNG whose header claims a size: refused from the header, before any decoding.
        const auto claiming = [](unsigned side) {
            std::string png = nn::encode_png(nn::Image(8, 8, 1, 0));
            const char big_endian[4] = {static_cast<char>(side >> 24), static_cast<char>(side >> 16),
                                        static_cast<char>(side >> 8), static_cast<char>(side)};
            png.replace(16, 4, big_endian, 4);  // IHDR width
            png.replace(20, 4, big_endian, 4);  // IHDR height
            return png;
        };
        require_refused(client.Post("/predict", claiming(20000), "image/png"), 400, "20000x20000 pixels is too large");
        require_refused(client.Post("/predict", claiming(60000), "image/png"), 400, "request body");  // refused by stb
    }
    SECTION("an oversized body") {
        require_refused(client.Post("/predict", std::string(3u << 20, '7'), "application/json"), 413, "larger than");
    }
    SECTION("deeply nested JSON") {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        require_refused(client.Post("/predict", deep, "application/json"), 400, "\"pixels\"");
    }
    SECTION("unknown paths and wrong methods") {
        require_refused(client.Get("/nowhere"), 404, "no such page");
        auto get_predict = client.Get("/predict");
        require_refused(get_predict, 405, "use POST");
        CHECK(get_predict->get_header_value("Allow") == "POST");
        require_refused(client.Post("/health", "", "application/json"), 405, "use GET");
        require_refused(client.Get("/health?" + std::string(20000, 'q')), 414, "too long");
    }
}

TEST_CASE("concurrent requests all get their own right answer", "[serve]") {
    const nn::Dataset& test = test_digits();
    const int clients = 12, each = 20;
    // Expected answers, one request at a time.
    std::vector<std::string> bodies;
    std::vector<nn::Json> expected;
    auto client = shared_server().client();
    for (int i = 0; i < clients; ++i) {
        bodies.push_back(pixels_body(test.images.col(i)));
        expected.push_back(json_of(client.Post("/predict", bodies.back(), "application/json")));
    }
    std::atomic<int> ok{0}, wrong{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t)
        threads.emplace_back([&, t] {
            auto c = shared_server().client();
            for (int r = 0; r < each; ++r) {
                auto result = c.Post("/predict", bodies[t], "application/json");
                if (!result || result->status != 200) {
                    ++failed;
                    continue;
                }
                const nn::Json answer = nn::Json::parse(result->body);
                (answer == expected[t] ? ok : wrong)++;
            }
        });
    for (auto& thread : threads) thread.join();
    CHECK(failed == 0);
    CHECK(wrong == 0);  // no request saw another's activations
    CHECK(ok == clients * each);
}

TEST_CASE("clients that stop sending cannot hang the server", "[serve]") {
    // More half-sent requests than --threads (8): they hold connections, not
    // the work slots, and each is dropped at the request deadline; a normal
    // request is answered meanwhile (serve.limits times it).
    std::vector<int> sockets;
    const std::string partial =
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"pix";
    for (int i = 0; i < 10; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(shared_server().port()));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(send(fd, partial.data(), partial.size(), 0) == static_cast<ssize_t>(partial.size()));
        sockets.push_back(fd);
    }
    auto result = shared_server().client().Get("/health");  // the client waits up to 20 s
    CHECK(result);
    if (result) CHECK(result->status == 200);
    for (const int fd : sockets) close(fd);
}

TEST_CASE("Ctrl-C stops the server cleanly", "[serve]") {
    Server server;  // its own, so the shared one keeps running
    auto client = server.client();
    auto before = client.Get("/health");
    REQUIRE(before);
    REQUIRE(before->status == 200);
    server.process().send(SIGINT);
    const auto status = server.process().wait(10s);
    REQUIRE(status.has_value());
    CHECK(*status == 0);
    CHECK(server.process().wait_for_line("Stopped.", 1s) == "Stopped.");
    CHECK_FALSE(server.client().Get("/health"));  // nobody listens any more
}

TEST_CASE("a missing or broken model file is a clear error, not a crash", "[serve]") {
    nn::ChildProcess missing({nn_test::serve_program(), "serve", "--model", "/nonexistent/model.nnm", "--port", "0"},
                             nn::ChildProcess::Output::discard);
    const auto status = missing.wait(10s);
    REQUIRE(status.has_value());
    CHECK(*status == 2);  // nn::InputError
}
