/// \file
/// \brief Line charts as SVG files: loss and accuracy curves with axes, ticks
/// and a legend, readable in any browser; logarithmic axes and contour lines
/// for the book's figures.
///
/// \ingroup infrastructure
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nn {

/// \brief One named curve: y against x.
/// \ingroup infrastructure
struct Series {
    std::string name;       ///< legend text
    std::vector<double> x;  ///< x values, same count as y
    std::vector<double> y;  ///< y values; non-finite points are skipped
    std::string colour{};   ///< CSS colour; empty: the palette's colour for the series' position
    double width = 2;       ///< line width in pixels
    bool dashed = false;    ///< a dashed line
    bool markers = false;   ///< a dot at every point (e.g. the steps of an optimiser)
    bool line = true;       ///< a line through the points; false with markers: a scatter plot
    bool segments = false;  ///< the points are pairs of end points of separate segments (contour_lines())
};

/// \brief Titles and ranges of a chart.
/// \ingroup infrastructure
struct ChartOptions {
    std::string title;              ///< above the plot
    std::string x_label = "epoch";  ///< below the x axis
    std::string y_label;            ///< beside the y axis
    std::optional<double> y_min;    ///< fixed lower y limit (default: from the data)
    std::optional<double> y_max;    ///< fixed upper y limit (default: from the data)
    int width = 720;                ///< pixels
    int height = 440;               ///< pixels
    bool x_log = false;             ///< logarithmic x axis (points with x <= 0 are skipped)
    bool y_log = false;             ///< logarithmic y axis (points with y <= 0 are skipped)
    bool legend_left = false;       ///< the legend at the top left instead of the top right
    // Last, so that the positional initialisers written before they existed keep their meaning.
    std::optional<double> x_min = std::nullopt;  ///< fixed lower x limit (default: from the data)
    std::optional<double> x_max = std::nullopt;  ///< fixed upper x limit (default: from the data)
};

/// \brief Renders a line chart as SVG text. A series with an empty name has
/// no legend entry.
/// \throws std::invalid_argument if a series has different x and y counts,
/// or an odd count of points with `segments`.
std::string line_chart_svg(const std::vector<Series>& series, const ChartOptions& options);

/// \brief Writes line_chart_svg() to \p path. \throws nn::InputError if it cannot be written.
void write_line_chart(const std::string& path, const std::vector<Series>& series, const ChartOptions& options);

/// \brief "Nice" tick positions covering [lo, hi]: steps of 1, 2 or 5 times a
/// power of ten, about \p target ticks.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

/// \brief The contour line f(x, y) = \p level over a rectangle, by marching
/// squares on a grid of \p steps x \p steps cells: a Series of segments
/// (thin, gray, no legend entry), to draw under the curves of a chart.
/// \param f the function; \param x_lo, x_hi, y_lo, y_hi the rectangle;
/// \param level the value of the line; \param steps cells per side (>= 1).
Series contour_lines(const std::function<double(double, double)>& f, double x_lo, double x_hi, double y_lo, double y_hi,
                     double level, int steps = 100);

}  // namespace nn
