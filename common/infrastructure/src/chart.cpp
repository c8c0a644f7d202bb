#include "nn/chart.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "nn/core.hpp"

namespace nn {
namespace {

// A palette that stays distinguishable for colour-blind readers (Okabe-Ito).
const char* const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string number(double value) {
    std::ostringstream text;
    text << std::setprecision(6) << (std::abs(value) < 1e-12 ? 0.0 : value);
    return text.str();
}

struct Range {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    // An empty or single-valued range gets some width so it can be drawn.
    void settle() {
        if (lo > hi) lo = 0, hi = 1;
        if (lo == hi) lo -= 0.5, hi += 0.5;
    }
};

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
    const double raw = (hi - lo) / std::max(target, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) break;
    }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
    return ticks;
}

namespace {

// An axis maps data values to positions; a logarithmic one maps log10 of them.
struct PlotAxis {
    bool log = false;
    // The value as plotted, or NaN if it cannot be plotted on this axis.
    double at(double v) const {
        if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
        if (!log) return v;
        return v > 0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN();
    }
    // Tick positions (as plotted) over the plotted range [lo, hi].
    std::vector<double> ticks(double lo, double hi) const {
        if (!log || hi - lo < 1.0) return nice_ticks(lo, hi);
        // Powers of ten, every one or every few of them.
        const double step = std::max(1.0, std::ceil((hi - lo) / 8));
        std::vector<double> out;
        for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step) out.push_back(t);
        return out;
    }
    // A tick label: the number, or 10 with a superscript exponent on a log axis.
    std::string label(double t) const {
        if (!log) return number(t);
        const double rounded = std::round(t);
        if (std::abs(t - rounded) > 1e-9) return number(std::pow(10.0, t));
        return "10<tspan dy=\"-6\" font-size=\"9\">" + number(rounded) + "</tspan>";
    }
};

// The SVG attributes of a series' line: colour, width, dashes.
std::string stroke(const Series& s, std::size_t k) {
    std::ostringstream out;
    out << "fill=\"none\" stroke=\"" << (s.colour.empty() ? colours[k % 8] : escape(s.colour)) << "\" stroke-width=\""
        << number(s.width) << '"';
    if (s.dashed) out << " stroke-dasharray=\"7 4\"";
    return out.str();
}

}  // namespace

std::string line_chart_svg(const std::vector<Series>& series, const ChartOptions& options) {
    const PlotAxis x_axis{options.x_log}, y_axis{options.y_log};
    Range xr, yr;
    for (const auto& s : series) {
        if (s.x.size() != s.y.size())
            throw std::invalid_argument("line chart: series '" + s.name + "' has " + std::to_string(s.x.size()) +
                                        " x values but " + std::to_string(s.y.size()) + " y values");
        if (s.segments && s.x.size() % 2 != 0)
            throw std::invalid_argument("line chart: series '" + s.name + "' of segments has an odd count of points, " +
                                        std::to_string(s.x.size()));
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            const double x = x_axis.at(s.x[i]), y = y_axis.at(s.y[i]);
            if (std::isfinite(x) && std::isfinite(y)) xr.add(x), yr.add(y);
        }
    }
    xr.settle();
    yr.settle();
    // A margin of 5% keeps curves off the frame, except at a fixed limit.
    const double margin = 0.05 * (yr.hi - yr.lo);
    yr.lo = options.y_min ? y_axis.at(*options.y_min) : yr.lo - margin;
    yr.hi = options.y_max ? y_axis.at(*options.y_max) : yr.hi + margin;
    if (options.x_min) xr.lo = x_axis.at(*options.x_min);
    if (options.x_max) xr.hi = x_axis.at(*options.x_max);
    if (!std::isfinite(xr.lo)) xr.lo = xr.hi - 1;
    if (!(xr.hi > xr.lo)) xr.hi = xr.lo + 1;
    if (!std::isfinite(yr.lo)) yr.lo = yr.hi - 1;
    if (!(yr.hi > yr.lo)) yr.hi = yr.lo + 1;

    const double left = 70, right = 20, top = options.title.empty() ? 20 : 44, bottom = 56;
    const double w = options.width - left - right, h = options.height - top - bottom;
    const auto px = [&](double x) { return left + (x - xr.lo) / (xr.hi - xr.lo) * w; };
    const auto py = [&](double y) { return top + h - (y - yr.lo) / (yr.hi - yr.lo) * h; };

    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.width << "\" height=\"" << options.height
        << "\" viewBox=\"0 0 " << options.width << ' ' << options.height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    if (!options.title.empty())
        svg << "<text x=\"" << options.width / 2 << "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\">"
            << escape(options.title) << "</text>\n";

    // Grid lines and tick labels.
    for (const double t : x_axis.ticks(xr.lo, xr.hi)) {
        svg << "<line x1=\"" << px(t) << "\" y1=\"" << top << "\" x2=\"" << px(t) << "\" y2=\"" << top + h
            << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << px(t) << "\" y=\"" << top + h + 18
            << "\" text-anchor=\"middle\">" << x_axis.label(t) << "</text>\n";
    }
    for (const double t : y_axis.ticks(yr.lo, yr.hi)) {
        svg << "<line x1=\"" << left << "\" y1=\"" << py(t) << "\" x2=\"" << left + w << "\" y2=\"" << py(t)
            << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << left - 8 << "\" y=\"" << py(t) + 4 << "\" text-anchor=\"end\">"
            << y_axis.label(t) << "</text>\n";
    }
    // Axes and their labels.
    svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w << "\" height=\"" << h
        << "\" fill=\"none\" stroke=\"#333\"/>\n"
        << "<text x=\"" << left + w / 2 << "\" y=\"" << options.height - 14 << "\" text-anchor=\"middle\">"
        << escape(options.x_label) << "</text>\n"
        << "<text transform=\"translate(18," << top + h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << escape(options.y_label) << "</text>\n";

    // The curves, clipped to the plot area.
    svg << "<clipPath id=\"plot\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w << "\" height=\"" << h
        << "\"/></clipPath>\n";
    for (std::size_t k = 0; k < series.size(); ++k) {
        const auto& s = series[k];
        std::vector<std::pair<double, double>> points;  // plotted positions; NaN where a point is skipped
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            const double x = x_axis.at(s.x[i]), y = y_axis.at(s.y[i]);
            points.emplace_back(std::isfinite(x) && std::isfinite(y) ? px(x) : std::numeric_limits<double>::quiet_NaN(),
                                py(y));
        }
        if (s.segments) {
            svg << "<path clip-path=\"url(#plot)\" " << stroke(s, k) << " d=\"";
            for (std::size_t i = 0; i + 1 < points.size(); i += 2)
                if (std::isfinite(points[i].first) && std::isfinite(points[i + 1].first))
                    svg << 'M' << points[i].first << ',' << points[i].second << 'L' << points[i + 1].first << ','
                        << points[i + 1].second;
            svg << "\"/>\n";
            continue;
        }
        if (s.line) {
            svg << "<polyline clip-path=\"url(#plot)\" " << stroke(s, k) << " points=\"";
            for (const auto& [x, y] : points)
                if (std::isfinite(x)) svg << x << ',' << y << ' ';
            svg << "\"/>\n";
        }
        if (s.markers)
            for (const auto& [x, y] : points)
                if (std::isfinite(x))
                    svg << "<circle clip-path=\"url(#plot)\" cx=\"" << x << "\" cy=\"" << y << "\" r=\""
                        << number(s.width + 1) << "\" fill=\"" << (s.colour.empty() ? colours[k % 8] : escape(s.colour))
                        << "\"/>\n";
    }
    // Legend, top right inside the plot, for the series with a name.
    std::vector<std::size_t> named;
    std::size_t longest = 0;
    for (std::size_t k = 0; k < series.size(); ++k)
        if (!series[k].name.empty()) named.push_back(k), longest = std::max(longest, series[k].name.size());
    const double legend_w = 40 + 7.0 * longest, legend_x = options.legend_left ? left + 8 : left + w - legend_w - 8;
    if (!named.empty())
        svg << "<rect x=\"" << legend_x << "\" y=\"" << top + 8 << "\" width=\"" << legend_w << "\" height=\""
            << 8 + 18 * named.size() << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n";
    for (std::size_t row = 0; row < named.size(); ++row) {
        const Series& s = series[named[row]];
        const double y = top + 22 + 18.0 * row;
        if (s.line)
            svg << "<line x1=\"" << legend_x + 8 << "\" y1=\"" << y - 4 << "\" x2=\"" << legend_x + 28 << "\" y2=\""
                << y - 4 << "\" " << stroke(s, named[row]) << "/>\n";
        else  // a scatter series: its dot
            svg << "<circle cx=\"" << legend_x + 18 << "\" cy=\"" << y - 4 << "\" r=\"" << number(s.width + 1)
                << "\" fill=\"" << (s.colour.empty() ? colours[named[row] % 8] : escape(s.colour)) << "\"/>\n";
        svg << "<text x=\"" << legend_x + 34 << "\" y=\"" << y << "\">" << escape(s.name) << "</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

Series contour_lines(const std::function<double(double, double)>& f, double x_lo, double x_hi, double y_lo, double y_hi,
                     double level, int steps) {
    steps = std::max(steps, 1);
    const double dx = (x_hi - x_lo) / steps, dy = (y_hi - y_lo) / steps;
    // The grid's values minus the level, row j (y) by column i (x).
    std::vector<double> v((steps + 1) * (steps + 1));
    const auto at = [&](int i, int j) -> double& { return v[static_cast<std::size_t>(j) * (steps + 1) + i]; };
    for (int j = 0; j <= steps; ++j)
        for (int i = 0; i <= steps; ++i) at(i, j) = f(x_lo + i * dx, y_lo + j * dy) - level;

    Series out;
    out.colour = "#b0b0b0";
    out.width = 1;
    out.segments = true;
    for (int j = 0; j < steps; ++j)
        for (int i = 0; i < steps; ++i) {
            // The cell's corners counter-clockwise; where an edge changes sign, the line
            // crosses it at the linearly interpolated point.
            const int ci[4] = {i, i + 1, i + 1, i}, cj[4] = {j, j, j + 1, j + 1};
            std::vector<std::pair<double, double>> crossings;
            for (int e = 0; e < 4; ++e) {
                const double a = at(ci[e], cj[e]), b = at(ci[(e + 1) % 4], cj[(e + 1) % 4]);
                if ((a < 0) == (b < 0)) continue;
                const double t = a / (a - b);
                crossings.emplace_back(x_lo + (ci[e] + t * (ci[(e + 1) % 4] - ci[e])) * dx,
                                       y_lo + (cj[e] + t * (cj[(e + 1) % 4] - cj[e])) * dy);
            }
            // Two crossings make one segment; four (a saddle) make two.
            for (std::size_t c = 0; c + 1 < crossings.size(); c += 2) {
                out.x.push_back(crossings[c].first), out.y.push_back(crossings[c].second);
                out.x.push_back(crossings[c + 1].first), out.y.push_back(crossings[c + 1].second);
            }
        }
    return out;
}

void write_line_chart(const std::string& path, const std::vector<Series>& series, const ChartOptions& options) {
    const std::string svg = line_chart_svg(series, options);
    std::ofstream out(path);
    if (!out || !(out << svg) || !out.flush()) throw InputError(path + ": cannot write the SVG file");
}

}  // namespace nn
