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
const char* const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                               "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
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

std::string line_chart_svg(const std::vector<Series>& series, const ChartOptions& options) {
    Range xr, yr;
    for (const auto& s : series) {
        if (s.x.size() != s.y.size())
            throw std::invalid_argument("line chart: series '" + s.name + "' has " + std::to_string(s.x.size()) +
                                        " x values but " + std::to_string(s.y.size()) + " y values");
        for (std::size_t i = 0; i < s.x.size(); ++i)
            if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) xr.add(s.x[i]), yr.add(s.y[i]);
    }
    xr.settle();
    yr.settle();
    // A margin of 5% keeps curves off the frame, except at a fixed limit.
    const double margin = 0.05 * (yr.hi - yr.lo);
    yr.lo = options.y_min.value_or(yr.lo - margin);
    yr.hi = options.y_max.value_or(yr.hi + margin);
    if (!(yr.hi > yr.lo)) yr.hi = yr.lo + 1;

    const double left = 70, right = 20, top = options.title.empty() ? 20 : 44, bottom = 56;
    const double w = options.width - left - right, h = options.height - top - bottom;
    const auto px = [&](double x) { return left + (x - xr.lo) / (xr.hi - xr.lo) * w; };
    const auto py = [&](double y) { return top + h - (y - yr.lo) / (yr.hi - yr.lo) * h; };

    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.width << "\" height=\""
        << options.height << "\" viewBox=\"0 0 " << options.width << ' ' << options.height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    if (!options.title.empty())
        svg << "<text x=\"" << options.width / 2 << "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\">"
            << escape(options.title) << "</text>\n";

    // Grid lines and tick labels.
    for (const double t : nice_ticks(xr.lo, xr.hi)) {
        svg << "<line x1=\"" << px(t) << "\" y1=\"" << top << "\" x2=\"" << px(t) << "\" y2=\"" << top + h
            << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << px(t) << "\" y=\"" << top + h + 18
            << "\" text-anchor=\"middle\">" << number(t) << "</text>\n";
    }
    for (const double t : nice_ticks(yr.lo, yr.hi)) {
        svg << "<line x1=\"" << left << "\" y1=\"" << py(t) << "\" x2=\"" << left + w << "\" y2=\"" << py(t)
            << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << left - 8 << "\" y=\"" << py(t) + 4
            << "\" text-anchor=\"end\">" << number(t) << "</text>\n";
    }
    // Axes and their labels.
    svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w << "\" height=\"" << h
        << "\" fill=\"none\" stroke=\"#333\"/>\n"
        << "<text x=\"" << left + w / 2 << "\" y=\"" << options.height - 14 << "\" text-anchor=\"middle\">"
        << escape(options.x_label) << "</text>\n"
        << "<text transform=\"translate(18," << top + h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << escape(options.y_label) << "</text>\n";

    // The curves, clipped to the plot area.
    svg << "<clipPath id=\"plot\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w
        << "\" height=\"" << h << "\"/></clipPath>\n";
    for (std::size_t k = 0; k < series.size(); ++k) {
        const auto& s = series[k];
        svg << "<polyline clip-path=\"url(#plot)\" fill=\"none\" stroke-width=\"2\" stroke=\""
            << colours[k % 8] << "\" points=\"";
        for (std::size_t i = 0; i < s.x.size(); ++i)
            if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) svg << px(s.x[i]) << ',' << py(s.y[i]) << ' ';
        svg << "\"/>\n";
    }
    // Legend, top right inside the plot.
    std::size_t longest = 0;
    for (const auto& s : series) longest = std::max(longest, s.name.size());
    const double legend_w = 40 + 7.0 * longest, legend_x = left + w - legend_w - 8;
    if (!series.empty())
        svg << "<rect x=\"" << legend_x << "\" y=\"" << top + 8 << "\" width=\"" << legend_w << "\" height=\""
            << 8 + 18 * series.size() << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n";
    for (std::size_t k = 0; k < series.size(); ++k) {
        const double y = top + 22 + 18.0 * k;
        svg << "<line x1=\"" << legend_x + 8 << "\" y1=\"" << y - 4 << "\" x2=\"" << legend_x + 28 << "\" y2=\""
            << y - 4 << "\" stroke-width=\"2\" stroke=\"" << colours[k % 8] << "\"/>\n<text x=\""
            << legend_x + 34 << "\" y=\"" << y << "\">" << escape(series[k].name) << "</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

void write_line_chart(const std::string& path, const std::vector<Series>& series, const ChartOptions& options) {
    const std::string svg = line_chart_svg(series, options);
    std::ofstream out(path);
    if (!out || !(out << svg) || !out.flush()) throw InputError(path + ": cannot write the SVG file");
}

}  // namespace nn
