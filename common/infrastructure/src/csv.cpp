#include "nn/csv.hpp"

#include <charconv>
#include <stdexcept>

#include "nn/core.hpp"

namespace nn {
namespace {

// The shortest text that reads back as the same double.
std::string shortest(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

void write_row(std::ostream& out, const std::vector<double>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << shortest(values[i]);
    out << '\n';
}

}  // namespace

CsvWriter::CsvWriter(const std::string& path, const std::vector<std::string>& header)
    : path_(path), columns_(header.size()), out_(path) {
    if (!out_) throw InputError(path + ": cannot write the CSV file");
    for (std::size_t i = 0; i < header.size(); ++i) out_ << (i ? "," : "") << header[i];
    out_ << '\n';
}

void CsvWriter::row(const std::vector<double>& values) {
    if (values.size() != columns_)
        throw std::invalid_argument(path_ + ": a row of " + std::to_string(values.size()) + " values for " +
                                    std::to_string(columns_) + " columns");
    write_row(out_, values);
    out_.flush();
    if (!out_) throw InputError(path_ + ": write failed");
}

void write_csv(const std::string& path, const std::vector<std::string>& header,
               const std::vector<std::vector<double>>& rows) {
    CsvWriter writer(path, header);
    for (const auto& row : rows) writer.row(row);
}

}  // namespace nn
