// What the book's figures need from the SVG charts: logarithmic axes, line
// styles, markers, series without a legend entry, and contour lines.

#include <cmath>
#include <string>

#include "nn/chart.hpp"
#include "test_support.hpp"

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("a logarithmic axis has a tick at every power of ten, labelled with its exponent", "[infra][chart]") {
    nn::ChartOptions options;
    options.x_log = true;
    options.y_log = true;
    // x from 1e-4 to 1: five decades; y from 1e-12 to 1e-2.
    const std::string svg =
        nn::line_chart_svg({{"error", {1e-4, 1e-3, 1e-2, 1e-1, 1}, {1e-2, 1e-12, 1e-6, 1e-4, 1e-3}}}, options);
    for (const char* exponent : {">-4</tspan>", ">-3</tspan>", ">-1</tspan>", ">0</tspan>"})
        CHECK(svg.find(exponent) != std::string::npos);
    CHECK(svg.find(">-12</tspan>") != std::string::npos);  // the y axis too
    CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("fixed x limits widen the axis beyond the data, so points at its ends are not cut", "[infra][chart]") {
    nn::ChartOptions options;
    options.x_log = true;
    const nn::Series points{"a", {2e-4, 5e-3}, {1, 2}};
    const std::string from_data = nn::line_chart_svg({points}, options);
    CHECK(from_data.find(">-4</tspan>") == std::string::npos);  // the data start above 1e-4
    options.x_min = 1e-4;
    options.x_max = 1e-2;
    const std::string fixed = nn::line_chart_svg({points}, options);
    for (const char* exponent : {">-4</tspan>", ">-3</tspan>", ">-2</tspan>"})
        CHECK(fixed.find(exponent) != std::string::npos);
    CHECK(fixed != from_data);
}

TEST_CASE("a logarithmic axis skips points at or below zero instead of drawing them", "[infra][chart]") {
    nn::ChartOptions options;
    options.y_log = true;
    const std::string with_zero = nn::line_chart_svg({{"a", {1, 2, 3}, {1e-3, 0.0, 1e-1}}}, options);
    const std::string without = nn::line_chart_svg({{"a", {1, 3}, {1e-3, 1e-1}}}, options);
    CHECK(with_zero == without);
}

TEST_CASE("a series can set its colour, width and dashes, and show its points", "[infra][chart]") {
    nn::Series s{"path", {0, 1, 2}, {0, 1, 0}};
    s.colour = "#123456";
    s.width = 1.5;
    s.dashed = true;
    s.markers = true;
    const std::string svg = nn::line_chart_svg({s}, {});
    CHECK(count(svg, "stroke=\"#123456\" stroke-width=\"1.5\" stroke-dasharray") == 2);  // curve and legend
    CHECK(count(svg, "<circle") == 3);
}

TEST_CASE("a series without its line is a scatter plot: dots only, and a dot in the legend", "[infra][chart]") {
    nn::Series s{"trials", {1e-3, 1e-2, 3e-3}, {0.9, 0.95, 0.97}};
    s.colour = "#123456";
    s.markers = true;
    s.line = false;
    const std::string svg = nn::line_chart_svg({s}, {});
    CHECK(count(svg, "<polyline") == 0);
    CHECK(count(svg, "stroke=\"#123456\"") == 0);
    CHECK(count(svg, "<circle") == 4);  // three points and the legend's dot
    CHECK(count(svg, "fill=\"#123456\"") == 4);
    CHECK(svg.find(">trials</text>") != std::string::npos);
}

TEST_CASE("a series without a name has no legend entry", "[infra][chart]") {
    const std::string svg = nn::line_chart_svg({{"", {0, 1}, {0, 1}}, {"named", {0, 1}, {1, 0}}}, {});
    CHECK(count(svg, "<polyline") == 2);
    CHECK(count(svg, "<line x1=") - count(svg, "stroke=\"#e5e5e5\"") == 1);  // one legend line
    CHECK(svg.find(">named</text>") != std::string::npos);
}

TEST_CASE("contour lines of x^2 + y^2 = 1 lie on the unit circle and go all the way round", "[infra][chart]") {
    const nn::Series circle =
        nn::contour_lines([](double x, double y) { return x * x + y * y; }, -2, 2, -2, 2, 1.0, 80);
    REQUIRE(circle.segments);
    REQUIRE(circle.x.size() == circle.y.size());
    REQUIRE(circle.x.size() % 2 == 0);
    REQUIRE(circle.x.size() > 100);
    // Linear interpolation across a cell of 0.05 is off the circle by at most
    // about (0.05)^2 / 8 in f, i.e. ~3e-4 in the radius: 1e-3 is honest.
    double worst = 0.0, total_length = 0.0;
    for (std::size_t i = 0; i < circle.x.size(); ++i)
        worst = std::max(worst, std::abs(std::hypot(circle.x[i], circle.y[i]) - 1.0));
    for (std::size_t i = 0; i < circle.x.size(); i += 2)
        total_length += std::hypot(circle.x[i + 1] - circle.x[i], circle.y[i + 1] - circle.y[i]);
    CHECK(worst < 1e-3);
    CHECK(std::abs(total_length - 2 * std::acos(-1.0)) < 1e-2);  // the segments add up to the circumference
}

TEST_CASE("contour segments are drawn as one unconnected path", "[infra][chart]") {
    const nn::Series lines = nn::contour_lines([](double x, double y) { return x + y; }, 0, 1, 0, 1, 1.0, 4);
    const std::string svg = nn::line_chart_svg({lines}, {});
    CHECK(count(svg, "<path") == 1);
    CHECK(count(svg, "M") >= lines.x.size() / 2);
    nn::Series odd = lines;
    odd.x.push_back(0), odd.y.push_back(0);
    CHECK_THROWS_AS(nn::line_chart_svg({odd}, {}), std::invalid_argument);
}

TEST_CASE("the legend can sit at the top left, out of the way of rising curves", "[infra][chart]") {
    nn::ChartOptions options;
    const std::string right = nn::line_chart_svg({{"a", {0, 1}, {0, 1}}}, options);
    options.legend_left = true;
    const std::string left = nn::line_chart_svg({{"a", {0, 1}, {0, 1}}}, options);
    CHECK(left.find("<rect x=\"78\"") != std::string::npos);  // the plot starts at 70, the legend 8 further
    CHECK(right.find("<rect x=\"78\"") == std::string::npos);
}

TEST_CASE("chart options given in order keep their meaning: title, labels, y limits, then width and height",
          "[infra][chart]") {
    // Programs write {"title", "x", "y", y_min, y_max, width, height}; a limit added later goes last.
    const nn::ChartOptions options{"Loss", "epoch", "loss", 0.0, {}, 640, 360};
    CHECK(options.width == 640);
    CHECK(options.height == 360);
    CHECK_FALSE(options.x_min.has_value());
    CHECK_FALSE(options.x_max.has_value());
    const std::string svg = nn::line_chart_svg({{"a", {1, 2, 3}, {0.5, 0.4, 0.3}}}, options);
    CHECK(svg.find("width=\"640\"") != std::string::npos);
    CHECK(svg.find("height=\"360\"") != std::string::npos);
}
