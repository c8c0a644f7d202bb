/// \file
/// \brief Writing tables as CSV files.
///
/// \ingroup infrastructure
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace nn {

/// \brief Writes a CSV file row by row, so a run that stops early still
/// leaves every finished row on disk.
/// \ingroup infrastructure
class CsvWriter {
public:
    /// \brief Creates (or truncates) \p path and writes the header line.
    /// \throws nn::InputError if the file cannot be written.
    CsvWriter(const std::string& path, const std::vector<std::string>& header);
    /// \brief Writes one row; it must have one value per header column.
    void row(const std::vector<double>& values);

private:
    std::string path_;
    std::size_t columns_;
    std::ofstream out_;
};

/// \brief Writes a whole table at once.
/// \param path the file; \param header column names; \param rows the values.
void write_csv(const std::string& path, const std::vector<std::string>& header,
               const std::vector<std::vector<double>>& rows);

}  // namespace nn
