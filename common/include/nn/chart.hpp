/// \file
/// \brief Line charts as SVG files: loss and accuracy curves with axes, ticks
/// and a legend, readable in any browser.
///
/// \ingroup infrastructure
#pragma once

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
};

/// \brief Titles and ranges of a chart.
/// \ingroup infrastructure
struct ChartOptions {
    std::string title;             ///< above the plot
    std::string x_label = "epoch"; ///< below the x axis
    std::string y_label;           ///< beside the y axis
    std::optional<double> y_min;   ///< fixed lower y limit (default: from the data)
    std::optional<double> y_max;   ///< fixed upper y limit (default: from the data)
    int width = 720;               ///< pixels
    int height = 440;              ///< pixels
};

/// \brief Renders a line chart as SVG text.
/// \throws std::invalid_argument if a series has different x and y counts.
std::string line_chart_svg(const std::vector<Series>& series, const ChartOptions& options);

/// \brief Writes line_chart_svg() to \p path. \throws nn::InputError if it cannot be written.
void write_line_chart(const std::string& path, const std::vector<Series>& series,
                      const ChartOptions& options);

/// \brief "Nice" tick positions covering [lo, hi]: steps of 1, 2 or 5 times a
/// power of ten, about \p target ticks.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

}  // namespace nn
