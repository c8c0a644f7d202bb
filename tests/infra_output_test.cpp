// What programs write: CSV, SVG charts, PNG images, JSON metrics, ASCII art,
// progress lines, result tables.

#include <stb_image.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "nn/ascii.hpp"
#include "nn/chart.hpp"
#include "nn/core.hpp"
#include "nn/csv.hpp"
#include "nn/image.hpp"
#include "nn/metrics.hpp"
#include "nn/progress.hpp"
#include "nn/report.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) { return nn_test::temp_path("output", name); }

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("CSV files have a header and one line per row, at full precision", "[infra][output]") {
    const std::string path = temp_path("table.csv");
    nn::write_csv(path, {"epoch", "loss"}, {{1, 0.5}, {2, 0.1234567890123}});
    CHECK(read_text(path) == "epoch,loss\n1,0.5\n2,0.1234567890123\n");
    nn::CsvWriter writer(path, {"a", "b"});
    CHECK_THROWS_AS(writer.row({1.0}), std::invalid_argument);
    CHECK_THROWS_AS(nn::CsvWriter("no/such/dir/x.csv", {"a"}), nn::InputError);
}

TEST_CASE("nice ticks are round numbers covering the range", "[infra][output]") {
    CHECK(nn::nice_ticks(0.0, 1.0, 5) == std::vector<double>{0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0});
    const auto ticks = nn::nice_ticks(1.0, 10.0, 6);
    CHECK(ticks.front() == 2.0);
    CHECK(ticks.back() == 10.0);
    CHECK(ticks.size() == 5);
}

TEST_CASE("an SVG line chart has a curve and a legend entry per series, axes and labels", "[infra][output]") {
    nn::ChartOptions options;
    options.title = "Loss <per epoch>";
    options.y_label = "loss";
    const std::string svg = nn::line_chart_svg(
        {{"train", {1, 2, 3}, {0.9, 0.5, 0.3}}, {"validation & test", {1, 2, 3}, {1.0, 0.7, NAN}}}, options);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(count(svg, "<polyline") == 2);
    CHECK(svg.find(">train</text>") != std::string::npos);
    CHECK(svg.find(">validation &amp; test</text>") != std::string::npos);  // escaped
    CHECK(svg.find("Loss &lt;per epoch&gt;") != std::string::npos);
    CHECK(svg.find(">epoch</text>") != std::string::npos);
    CHECK(svg.find("nan") == std::string::npos);  // the NaN point is skipped, not printed
    CHECK(svg.find("</svg>") != std::string::npos);
    CHECK_THROWS_AS(nn::line_chart_svg({{"bad", {1, 2}, {1}}}, options), std::invalid_argument);
}

TEST_CASE("a chart of a single point or no data still renders", "[infra][output]") {
    CHECK_NOTHROW(nn::line_chart_svg({{"one", {1}, {0.5}}}, {}));
    CHECK_NOTHROW(nn::line_chart_svg({}, {}));
}

TEST_CASE("PNG files decode to the pixels written", "[infra][output]") {
    arma::vec pixels(28 * 28, arma::fill::zeros);
    pixels(3 * 28 + 5) = 1.0;  // row 3, column 5
    pixels(0) = 0.5;
    const std::string path = temp_path("digit.png");
    nn::write_png(path, nn::gray_image(pixels, 28, 28, 2));
    int w = 0, h = 0, channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 1);
    REQUIRE(data != nullptr);
    CHECK(w == 56);
    CHECK(h == 56);
    CHECK(int(data[(3 * 2) * 56 + 5 * 2]) == 255);
    CHECK(int(data[(3 * 2 + 1) * 56 + 5 * 2 + 1]) == 255);
    CHECK(int(data[0]) == 128);
    CHECK(int(data[(3 * 2) * 56 + 5 * 2 + 2]) == 0);
    stbi_image_free(data);
}

TEST_CASE("an image grid places n images in rows with gaps", "[infra][output]") {
    const arma::mat images(4, 5, arma::fill::ones);  // five 2x2 images
    const nn::Image grid = nn::image_grid(images, 2, 2, 3, 1, 1);
    CHECK(grid.width == 3 * 2 + 4 * 1);
    CHECK(grid.height == 2 * 2 + 3 * 1);
    CHECK(int(grid.bytes[1 * grid.width + 1]) == 255);  // first pixel of the first image
    CHECK(int(grid.bytes[0]) == 128);                   // the gap
    CHECK_THROWS_AS(nn::image_grid(images, 3, 3, 2), std::invalid_argument);
    CHECK_THROWS_AS(nn::write_png("no/such/dir/x.png", grid), nn::InputError);
}

TEST_CASE("JSON metrics round-trip, are written atomically and bad files are reported", "[infra][output]") {
    const std::string path = temp_path("metrics.json");
    nn::Json metrics = {{"chapter", 2}, {"test_accuracy", 0.9239}, {"history", {{{"epoch", 1}}}}};
    nn::write_json(path, metrics);
    CHECK(nn::read_json(path) == metrics);
    CHECK_FALSE(fs::exists(path + ".tmp"));
    std::ofstream(temp_path("bad.json")) << "{\"a\": ";
    CHECK_THROWS_WITH(nn::read_json(temp_path("bad.json")), ContainsSubstring("not valid JSON"));
    CHECK_THROWS_AS(nn::read_json(temp_path("missing.json")), nn::InputError);
}

TEST_CASE("ASCII art draws ink dark-to-light with two characters per pixel", "[infra][output]") {
    arma::vec pixels(4, arma::fill::zeros);
    pixels(1) = 1.0;
    pixels(2) = 0.5;
    CHECK(nn::ascii_image(pixels, 2, 2) == "  @@\n++  \n");
    const std::string digit = nn::ascii_image(nn_test::mnist_subset().train.images.col(0));
    CHECK(count(digit, "\n") == 28);
    CHECK(digit.size() == 28 * 57);
    CHECK_THROWS_AS(nn::ascii_image(pixels, 3, 3), std::invalid_argument);
}

TEST_CASE("an ASCII gallery shows images side by side with captions", "[infra][output]") {
    const arma::mat images(4, 3, arma::fill::ones);
    CHECK(nn::ascii_gallery(images, {"a", "b", "c"}, 2, 2, 2) == "@@  @@\na   b\n@@\nc\n");
    CHECK_THROWS_AS(nn::ascii_gallery(images, {"a"}, 2, 2), std::invalid_argument);
}

TEST_CASE("epoch lines read the same in every chapter", "[infra][output]") {
    nn::EpochReport report{3, 10, 0.21434, 0.941, 0.938, 1.84};
    CHECK(nn::format_epoch(report) == "epoch  3/10  loss 0.2143  train 94.10%  val 93.80%  1.8 s");
    report.train_accuracy.reset();
    CHECK(nn::format_epoch(report) == "epoch  3/10  loss 0.2143  val 93.80%  1.8 s");
}

TEST_CASE("progress in a log is plain epoch lines; on a terminal it redraws in place", "[infra][output]") {
    std::ostringstream log;
    nn::Progress plain(log, false);
    plain.batch(1, 2, 5, 10, 0.5);
    plain.epoch_done({1, 2, 0.5, {}, {}, 1.0});
    CHECK(log.str() == "epoch 1/2  loss 0.5000  1.0 s\n");

    std::ostringstream terminal;
    nn::Progress live(terminal, true);
    live.batch(1, 2, 5, 10, 0.5);
    live.epoch_done({1, 2, 0.5, {}, {}, 1.0});
    CHECK(terminal.str().find("\repoch 1/2 [###############...............]  50%") == 0);
    CHECK(terminal.str().find("\r\x1b[Kepoch 1/2  loss 0.5000  1.0 s\n") != std::string::npos);
}

TEST_CASE("the verdict line says PASS or FAIL with the number and the bar", "[infra][output]") {
    std::ostringstream out;
    CHECK(nn::print_verdict(out, "test accuracy", 0.9239, 0.92) == 0);
    CHECK(nn::print_verdict(out, "test accuracy", 0.91, 0.92) == 1);
    CHECK(out.str() == "RESULT: PASS  test accuracy 92.39% >= 92.00%\nRESULT: FAIL  test accuracy 91.00% < 92.00%\n");
}

TEST_CASE("a result table aligns its columns", "[infra][output]") {
    nn::ResultTable table("Results");
    table.add("validation accuracy", "92.78%");
    table.add("test", "92.39%");
    std::ostringstream out;
    table.print(out);
    const std::string rule(29, '-');  // as wide as the widest row
    CHECK(out.str() ==
          "\nResults\n" + rule + "\nvalidation accuracy    92.78%\ntest                   92.39%\n" + rule + "\n");
}

TEST_CASE("a history becomes a CSV, a loss chart and an accuracy chart", "[infra][output]") {
    nn::History history;
    history.epochs.push_back({1, 2, 0.5, 0.9, 0.88, 1.0});
    history.epochs.push_back({2, 2, 0.4, 0.92, 0.9, 1.0});
    const std::string dir = temp_path("history");
    history.write_files(dir, "Test");
    CHECK(read_text(dir + "/history.csv").rfind("epoch,loss,train_accuracy,validation_accuracy,seconds\n1,0.5,", 0) ==
          0);
    CHECK(count(read_text(dir + "/loss.svg"), "<polyline") == 1);
    CHECK(count(read_text(dir + "/accuracy.svg"), "<polyline") == 2);
    CHECK(history.to_json().size() == 2);
    CHECK(history.to_json()[1]["validation_accuracy"] == 0.9);
}
