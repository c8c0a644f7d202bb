// The drawing page in a real browser: headless Chromium, driven through
// chromedriver (W3C WebDriver over HTTP), draws real MNIST test digits on the
// page's canvas with pointer input along the strokes of each digit, and
// checks that the page shows that digit and ten probability bars. A
// screenshot of the page is saved as a test artifact.

#include <httplib.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "nn/metrics.hpp"
#include "test_support.hpp"
#include "webdriver.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// ---------------------------------------------------------------- strokes of a digit

using Grid = std::array<std::array<bool, 28>, 28>;  // [y][x]
struct Point {
    int x, y;
};

// The 8 neighbours in the order of Zhang and Suen: N, NE, E, SE, S, SW, W, NW.
constexpr int dx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
constexpr int dy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

bool at(const Grid& g, int x, int y) { return x >= 0 && y >= 0 && x < 28 && y < 28 && g[y][x]; }

// Zhang-Suen thinning: peels the ink down to a one-pixel-wide skeleton, the
// path a pen tip took.
Grid skeleton(Grid g) {
    for (bool changed = true; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            std::vector<Point> remove;
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x) {
                    if (!g[y][x]) continue;
                    bool p[8];
                    int neighbours = 0, transitions = 0;
                    for (int k = 0; k < 8; ++k) neighbours += (p[k] = at(g, x + dx[k], y + dy[k]));
                    for (int k = 0; k < 8; ++k) transitions += !p[k] && p[(k + 1) % 8];
                    if (neighbours < 2 || neighbours > 6 || transitions != 1) continue;
                    const bool keep = pass == 0 ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6])
                                                : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]);
                    if (!keep) remove.push_back({x, y});
                }
            for (const Point& q : remove) g[q.y][q.x] = false;
            changed = changed || !remove.empty();
        }
    }
    return g;
}

int degree(const Grid& g, Point q) {
    int n = 0;
    for (int k = 0; k < 8; ++k) n += at(g, q.x + dx[k], q.y + dy[k]);
    return n;
}

// The skeleton as pen strokes: walk from loose ends (then from anything left,
// e.g. the loop of a 0) through unvisited neighbours, straight ones first.
std::vector<std::vector<Point>> strokes_of(const arma::vec& pixels) {
    Grid ink{};
    for (int i = 0; i < 784; ++i) ink[i / 28][i % 28] = pixels[i] >= 0.4;
    const Grid bone = skeleton(ink);
    Grid visited{};
    std::vector<std::vector<Point>> strokes;
    const auto next_start = [&](bool ends_only) -> std::optional<Point> {
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                if (bone[y][x] && !visited[y][x] && (!ends_only || degree(bone, {x, y}) <= 1)) return Point{x, y};
        return std::nullopt;
    };
    for (;;) {
        auto start = next_start(true);
        if (!start) start = next_start(false);
        if (!start) break;
        std::vector<Point> stroke;
        // Begin at a visited neighbour, if any, so that branches join their trunk.
        for (int k = 0; k < 8; ++k)
            if (at(visited, start->x + dx[k], start->y + dy[k])) {
                stroke.push_back({start->x + dx[k], start->y + dy[k]});
                break;
            }
        Point q = *start;
        for (;;) {
            visited[q.y][q.x] = true;
            stroke.push_back(q);
            std::optional<Point> step;
            for (const int k : {0, 2, 4, 6, 1, 3, 5, 7}) {
                const Point r{q.x + dx[k], q.y + dy[k]};
                if (at(bone, r.x, r.y) && !visited[r.y][r.x]) {
                    step = r;
                    break;
                }
            }
            if (!step) {  // close a loop if it ends next to its own start
                if (stroke.size() > 3 && std::abs(stroke.front().x - q.x) <= 1 && std::abs(stroke.front().y - q.y) <= 1)
                    stroke.push_back(stroke.front());
                break;
            }
            q = *step;
        }
        strokes.push_back(stroke);
    }
    return strokes;
}

}  // namespace

// Whether a browser can run is a fact about the machine, not about the course:
// where none starts, this test prints the reason on a line that CTest reports
// as skipped (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt), so a learner's
// ./course test stays green. NN_REQUIRE_BROWSER=1 (CI) makes it a failure.
TEST_CASE("the drawing page recognises MNIST digits drawn on it in Chromium", "[serve][browser]") {
    std::string why_not;
    const std::unique_ptr<nn_test::Browser> started = nn_test::start_browser(why_not);
    if (!started) {
        const char* require = std::getenv("NN_REQUIRE_BROWSER");
        if (require && std::string(require) == "1")
            FAIL("NN_REQUIRE_BROWSER=1 and the browser test cannot run: " << why_not);
        std::cout << "SKIPPED: the browser test cannot run here: " << why_not << std::endl;
        return;
    }
    nn_test::Browser& browser = *started;

    nn::ChildProcess server({NN_SERVE_PROGRAM, "serve", "--model", NN_SERVE_MODEL, "--port", "0"});
    const std::string line = server.wait_for_line("Serving on http://", 30s);
    const std::string url = line.substr(line.find("http://"), line.find("/ ") - line.find("http://") + 1);

    browser.open(url);
    REQUIRE(browser.wait_for("document.body.dataset.ready === 'true'", 10s));
    CHECK(browser.script("return document.querySelectorAll('#bars .bar').length;") == 10);
    const nn::Json pad = browser.script(
        "const r = document.getElementById('pad').getBoundingClientRect();"
        "return {x: r.left, y: r.top, width: r.width, height: r.height};");
    REQUIRE(pad["width"] == 280);
    REQUIRE(pad["height"] == 280);
    const double left = pad["x"].get<double>(), top = pad["y"].get<double>();

    // The first test digit of each class, drawn 10x larger on the 280x280 canvas:
    // with the mouse, and every other one with touch input.
    const nn::Dataset& test = nn_test::mnist_subset().test;
    const fs::path artifacts = NN_ARTIFACT_DIR;
    fs::create_directories(artifacts);
    for (arma::uword digit = 0; digit < 10; ++digit) {
        const arma::uvec where = arma::find(test.labels == digit, 1);
        REQUIRE(where.n_elem == 1);
        const arma::uword index = where[0];
        // Pixel centres to canvas pixels, each point averaged with its neighbours
        // along the stroke so that the pen moves smoothly rather than in stairs.
        std::vector<std::vector<std::pair<int, int>>> strokes;
        for (const auto& stroke : strokes_of(test.images.col(index))) {
            strokes.emplace_back();
            const int n = static_cast<int>(stroke.size());
            for (int i = 0; i < n; ++i) {
                double x = 0.0, y = 0.0;
                int count = 0;
                for (int j = std::max(0, i - 1); j <= std::min(n - 1, i + 1); ++j)
                    x += stroke[j].x, y += stroke[j].y, ++count;
                strokes.back().emplace_back(static_cast<int>(std::lround(left + 10 * x / count + 5)),
                                            static_cast<int>(std::lround(top + 10 * y / count + 5)));
            }
        }
        const std::string pointer = digit % 2 ? "touch" : "mouse";
        INFO("test image " << index << " (a " << digit << "), " << strokes.size() << " strokes with " << pointer);
        REQUIRE_FALSE(strokes.empty());

        browser.click("#clear");
        browser.draw(strokes, pointer);
        // The answer on show is the one for the finished drawing.
        REQUIRE(
            browser.wait_for("Number(document.body.dataset.drawn) > 0 && "
                             "document.body.dataset.shown === document.body.dataset.drawn && "
                             "document.getElementById('digit').textContent !== '\\u2013'",
                             10s));
        std::this_thread::sleep_for(400ms);  // the bars grow in 0.12 s
        // What is on screen: the widths of the bars as drawn, in percent of their tracks.
        const nn::Json shown = browser.script(
            "const bars = Array.from(document.querySelectorAll('#bars .bar'));"
            "const width = e => e.getBoundingClientRect().width;"
            "return {digit: document.getElementById('digit').textContent, bars: bars.length,"
            " best: bars.findIndex(b => b.classList.contains('best')),"
            " widths: bars.map(b => 100 * width(b.querySelector('.fill')) / width(b.querySelector('.track'))),"
            " error: document.getElementById('status').textContent};");
        INFO("page shows " << shown.dump());
        CHECK(shown["error"] == "");
        CHECK(shown["bars"] == 10);
        CHECK(shown["digit"] == std::to_string(digit));
        CHECK(shown["best"] == static_cast<int>(digit));
        // The ten bars as drawn are the probabilities, in percent; the digit's is the longest.
        double total = 0.0, longest = 0.0;
        for (const auto& w : shown["widths"]) total += w.get<double>(), longest = std::max(longest, w.get<double>());
        CHECK(total == Approx(100.0).margin(1.0));
        CHECK(shown["widths"][digit].get<double>() == longest);

        {  // a picture of each, for the record
            std::ofstream(artifacts / ("serve_page_" + std::to_string(digit) + ".png"), std::ios::binary)
                << browser.screenshot_png();
        }
    }
    browser.click("#clear");
    CHECK(browser.script("return document.getElementById('digit').textContent;") == "\u2013");
}
