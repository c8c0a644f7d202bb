// Lines up the metrics of your chapter program and the reference, side by
// side, with a verdict per number. `./course compare N` runs both programs
// with the same seed and arguments, then this.
//
// Usage: nn_compare <yours.json> <reference.json>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "nn/core.hpp"
#include "nn/metrics.hpp"

namespace {

struct Row {
    std::string name;
    double yours = NAN;
    double reference = NAN;
};

// Every number in the object, by dotted path; arrays (per-epoch history) are skipped.
void flatten(const nn::Json& value, const std::string& prefix, std::vector<Row>& rows, bool yours) {
    for (const auto& [key, item] : value.items()) {
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (item.is_object()) {
            flatten(item, name, rows, yours);
        } else if (item.is_number()) {
            auto row = rows.begin();
            while (row != rows.end() && row->name != name) ++row;
            if (row == rows.end()) row = rows.insert(rows.end(), Row{name});
            (yours ? row->yours : row->reference) = item.get<double>();
        }
    }
}

// Same numbers up to rounding; close enough to be the same method with
// another summation order; or different.
std::string verdict(const Row& row) {
    if (std::isnan(row.yours)) return "missing in yours";
    if (std::isnan(row.reference)) return "only in yours";
    const double diff = std::abs(row.yours - row.reference);
    const double scale = std::max({1.0, std::abs(row.yours), std::abs(row.reference)});
    if (diff <= 1e-9 * scale) return "same";
    if (row.name.find("seconds") != std::string::npos) return "(timing)";
    const bool fraction = row.name.find("accuracy") != std::string::npos;
    if (fraction ? diff <= 0.005 : diff <= 0.01 * scale) return "close";
    return "DIFFERS";
}

std::string text(double value) {
    if (std::isnan(value)) return "-";
    std::ostringstream out;
    out << std::setprecision(6) << value;
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: nn_compare <yours.json> <reference.json>\n";
        return 2;
    }
    return nn::guarded_main([&] {
        std::vector<Row> rows;
        flatten(nn::read_json(argv[1]), "", rows, true);
        flatten(nn::read_json(argv[2]), "", rows, false);
        std::size_t width = 6;
        for (const auto& row : rows) width = std::max(width, row.name.size());
        std::cout << std::left << std::setw(width + 2) << "metric" << std::right << std::setw(14) << "yours"
                  << std::setw(14) << "reference" << "   verdict\n"
                  << std::string(width + 2 + 28 + 11, '-') << '\n';
        int differ = 0;
        for (const auto& row : rows) {
            const std::string v = verdict(row);
            differ += v == "DIFFERS" || v.rfind("missing", 0) == 0;
            std::cout << std::left << std::setw(width + 2) << row.name << std::right << std::setw(14)
                      << text(row.yours) << std::setw(14) << text(row.reference) << "   " << v << '\n';
        }
        std::cout << '\n'
                  << (differ ? std::to_string(differ) + " number(s) differ from the reference."
                             : std::string("Your results match the reference."))
                  << " 'same': equal up to rounding; 'close': within 0.5 points of accuracy or 1%"
                     " otherwise (another summation order).\n";
        return differ ? 1 : 0;
    });
}
