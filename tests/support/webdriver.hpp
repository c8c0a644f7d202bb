// A small W3C WebDriver client for the tests: headless Chromium driven
// through chromedriver over HTTP (sessions, scripts, clicks, pointer strokes,
// screenshots), and the search for the two programs.
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "nn/metrics.hpp"

namespace nn_test {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

/// \return the bytes that base64 \p text encodes (padding and line breaks ignored).
inline std::string decode_base64(const std::string& text) {
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (const char c : text) {
        int d;
        if (c >= 'A' && c <= 'Z')
            d = c - 'A';
        else if (c >= 'a' && c <= 'z')
            d = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            d = c - '0' + 52;
        else if (c == '+')
            d = 62;
        else if (c == '/')
            d = 63;
        else
            continue;  // padding, line breaks
        value = (value << 6) | static_cast<unsigned>(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((value >> bits) & 0xFF));
        }
    }
    return out;
}

// One browser session through chromedriver's W3C WebDriver endpoint.
class Browser {
public:
    Browser(const std::string& chromedriver, const std::string& chromium)
        : port_(nn::free_loopback_port()),
          driver_({chromedriver, "--port=" + std::to_string(port_)}, nn::ChildProcess::Output::discard),
          http_("127.0.0.1", port_),
          profile_(fs::temp_directory_path() / ("nn_browser_test_" + std::to_string(getpid()))) {
        http_.set_read_timeout(60s);
        for (int i = 0; i < 200; ++i) {  // up to 10 s for chromedriver to listen
            if (auto r = http_.Get("/status"); r && r->status == 200) break;
            std::this_thread::sleep_for(50ms);
        }
        const nn::Json capabilities = {
            {"capabilities",
             {{"alwaysMatch",
               {{"browserName", "chrome"},
                {"goog:chromeOptions",
                 {{"binary", chromium},
                  {"args",
                   {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--hide-scrollbars", "--window-size=900,720",
                    // chromedriver talks to Chromium over a pipe instead of
                    // ws://localhost:PORT: a system without /etc/hosts (a fresh
                    // debootstrap root) cannot resolve localhost, and the session
                    // then fails with "unable to connect to renderer".
                    "--remote-debugging-pipe", "--force-device-scale-factor=1",
                    "--user-data-dir=" + profile_.string()}}}}}}}}};
        const nn::Json answer = call("POST", "/session", capabilities);
        session_ = answer["value"]["sessionId"].get<std::string>();
    }
    ~Browser() {
        if (!session_.empty()) http_.Delete("/session/" + session_);
        std::error_code ignored;
        fs::remove_all(profile_, ignored);
    }

    nn::Json call(const std::string& method, const std::string& path, const nn::Json& body = nn::Json::object()) {
        httplib::Result r = method == "GET"      ? http_.Get(path)
                            : method == "DELETE" ? http_.Delete(path)
                                                 : http_.Post(path, body.dump(), "application/json");
        if (!r) throw std::runtime_error("chromedriver did not answer " + method + " " + path);
        nn::Json answer = nn::Json::parse(r->body);
        if (r->status != 200) throw std::runtime_error("WebDriver " + method + " " + path + ": " + r->body);
        return answer;
    }
    nn::Json session_call(const std::string& method, const std::string& path,
                          const nn::Json& body = nn::Json::object()) {
        return call(method, "/session/" + session_ + path, body);
    }
    nn::Json script(const std::string& code) {
        return session_call("POST", "/execute/sync", {{"script", code}, {"args", nn::Json::array()}})["value"];
    }
    // Polls a script until it returns true.
    bool wait_for(const std::string& condition, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (script("return Boolean(" + condition + ");") == true) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }
    void open(const std::string& url) { session_call("POST", "/url", {{"url", url}}); }
    void click(const std::string& css) {
        const nn::Json element = session_call("POST", "/element", {{"using", "css selector"}, {"value", css}})["value"];
        const std::string id = element.begin().value().get<std::string>();  // {"element-6066-...": id}
        session_call("POST", "/element/" + id + "/click");
    }
    // Presses, moves along and lifts a pointer for each stroke (viewport pixels).
    void draw(const std::vector<std::vector<std::pair<int, int>>>& strokes, const std::string& pointer_type) {
        nn::Json steps = nn::Json::array();
        for (const auto& stroke : strokes) {
            steps.push_back({{"type", "pointerMove"},
                             {"duration", 0},
                             {"origin", "viewport"},
                             {"x", stroke.front().first},
                             {"y", stroke.front().second}});
            steps.push_back({{"type", "pointerDown"}, {"button", 0}});
            for (const auto& [x, y] : stroke)
                steps.push_back(
                    {{"type", "pointerMove"}, {"duration", 10}, {"origin", "viewport"}, {"x", x}, {"y", y}});
            steps.push_back({{"type", "pointerUp"}, {"button", 0}});
        }
        const nn::Json actions = {{"actions",
                                   {{{"type", "pointer"},
                                     {"id", "pen-" + pointer_type},
                                     {"parameters", {{"pointerType", pointer_type}}},
                                     {"actions", steps}}}}};
        session_call("POST", "/actions", actions);
        session_call("DELETE", "/actions");
    }
    std::string screenshot_png() {
        return decode_base64(session_call("GET", "/screenshot")["value"].get<std::string>());
    }

private:
    int port_;
    nn::ChildProcess driver_;
    httplib::Client http_;
    fs::path profile_;
    std::string session_;
};

// A browser session, or why none can start on this machine: no Chromium or
// chromedriver, or a Chromium that does not come up (no display libraries,
// a sandbox it cannot leave...).
inline std::unique_ptr<Browser> start_browser(std::string& why_not) {
    const std::string chromedriver = nn::find_program({"chromedriver"});
    const std::string chromium = nn::find_program({"chromium", "chromium-browser", "google-chrome"});
    if (chromedriver.empty() || chromium.empty()) {
        why_not =
            "Chromium and chromedriver are not both installed (run ./course setup; "
            "Debian: apt-get install chromium chromium-driver)";
        return nullptr;
    }
    try {
        return std::make_unique<Browser>(chromedriver, chromium);
    } catch (const std::exception& e) {
        why_not = std::string("Chromium did not start a WebDriver session: ") + e.what();
        return nullptr;
    }
}

}  // namespace nn_test
