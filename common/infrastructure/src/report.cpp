#include "nn/report.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "nn/chart.hpp"
#include "nn/core.hpp"
#include "nn/csv.hpp"

namespace nn {

void print_banner(std::ostream& out, const std::string& title,
                  const std::vector<std::pair<std::string, std::string>>& facts) {
    out << title << '\n' << std::string(title.size(), '=') << '\n';
    std::size_t width = 0;
    for (const auto& fact : facts) width = std::max(width, fact.first.size());
    for (const auto& [name, value] : facts)
        out << "  " << std::left << std::setw(width + 1) << name + ":" << ' ' << value << '\n';
    out << std::right << '\n';
}

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

void ResultTable::add(const std::string& name, const std::string& value) { rows_.emplace_back(name, value); }

void ResultTable::print(std::ostream& out) const {
    std::size_t left = 0, right = 0;
    for (const auto& [name, value] : rows_) left = std::max(left, name.size()), right = std::max(right, value.size());
    const std::string rule(std::max(left + right + 4, title_.size()), '-');
    out << '\n' << title_ << '\n' << rule << '\n';
    for (const auto& [name, value] : rows_)
        out << std::left << std::setw(left) << name << "    " << std::right << std::setw(right) << value << '\n';
    out << rule << '\n';
}

int print_verdict(std::ostream& out, const std::string& what, double value, double bar) {
    const bool pass = value >= bar;
    out << "RESULT: " << (pass ? "PASS" : "FAIL") << "  " << what << ' ' << percent(value) << (pass ? " >= " : " < ")
        << percent(bar) << std::endl;
    return pass ? 0 : 1;
}

int print_claims(std::ostream& out, const std::vector<Claim>& claims) {
    bool all = true;
    for (const auto& claim : claims) {
        out << "  [" << (claim.pass ? "PASS" : "FAIL") << "] " << claim.text << '\n';
        all = all && claim.pass;
    }
    out << "RESULT: " << (all ? "PASS" : "FAIL") << std::endl;
    return all ? 0 : 1;
}

Json History::to_json() const {
    Json rows = Json::array();
    for (const auto& e : epochs) {
        Json row = {{"epoch", e.epoch}, {"loss", e.loss}};
        if (e.train_accuracy) row["train_accuracy"] = *e.train_accuracy;
        if (e.validation_accuracy) row["validation_accuracy"] = *e.validation_accuracy;
        row["seconds"] = e.seconds;
        rows.push_back(row);
    }
    return rows;
}

void History::write_files(const std::string& dir, const std::string& title, const std::string& prefix) const {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw InputError(dir + ": cannot create the output folder: " + error.message());
    const auto path = [&](const std::string& name) { return (std::filesystem::path(dir) / (prefix + name)).string(); };

    Series loss{"training loss", {}, {}}, train{"train", {}, {}}, validation{"validation", {}, {}};
    CsvWriter csv(path("history.csv"), {"epoch", "loss", "train_accuracy", "validation_accuracy", "seconds"});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const auto& e : epochs) {
        loss.x.push_back(e.epoch), loss.y.push_back(e.loss);
        train.x.push_back(e.epoch), train.y.push_back(e.train_accuracy.value_or(nan));
        validation.x.push_back(e.epoch), validation.y.push_back(e.validation_accuracy.value_or(nan));
        csv.row(
            {double(e.epoch), e.loss, e.train_accuracy.value_or(nan), e.validation_accuracy.value_or(nan), e.seconds});
    }
    write_line_chart(path("loss.svg"), {loss},
                     {title + ": training loss", "epoch", "mean cross-entropy", 0.0, {}, 720, 440});
    write_line_chart(path("accuracy.svg"), {train, validation},
                     {title + ": accuracy", "epoch", "accuracy", {}, 1.0, 720, 440});
}

}  // namespace nn
