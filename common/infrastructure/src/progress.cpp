#include "nn/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace nn {
namespace {

bool is_terminal(const std::ostream& out) {
    if (&out == &std::cout) return isatty(STDOUT_FILENO) == 1;
    if (&out == &std::cerr || &out == &std::clog) return isatty(STDERR_FILENO) == 1;
    return false;
}

}  // namespace

std::string percent(double fraction) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2) << 100.0 * fraction << '%';
    return text.str();
}

std::string format_epoch(const EpochReport& report) {
    std::ostringstream line;
    const int width = static_cast<int>(std::to_string(report.epochs).size());
    line << "epoch " << std::setw(width) << report.epoch << '/' << report.epochs << "  loss " << std::fixed
         << std::setprecision(4) << report.loss;
    if (report.train_accuracy) line << "  train " << percent(*report.train_accuracy);
    if (report.validation_accuracy) line << "  val " << percent(*report.validation_accuracy);
    line << "  " << std::setprecision(1) << report.seconds << " s";
    return line.str();
}

Progress::Progress(std::ostream& out, std::optional<bool> live) : out_(out), live_(live.value_or(is_terminal(out))) {}

void Progress::batch(int epoch, int epochs, std::size_t done, std::size_t total, double running_loss) {
    if (!live_ || (done < total && line_open_ && since_draw_.seconds() < 0.1)) return;
    since_draw_.restart();
    constexpr int width = 30;
    const int filled = total ? static_cast<int>(width * done / total) : width;
    out_ << "\repoch " << epoch << '/' << epochs << " [" << std::string(filled, '#') << std::string(width - filled, '.')
         << "] " << std::setw(3) << (total ? 100 * done / total : 100) << "%  loss " << std::fixed
         << std::setprecision(4) << running_loss << "\x1b[K" << std::flush;
    line_open_ = true;
}

void Progress::epoch_done(const EpochReport& report) {
    if (line_open_) out_ << "\r\x1b[K";
    line_open_ = false;
    out_ << format_epoch(report) << std::endl;
}

}  // namespace nn
