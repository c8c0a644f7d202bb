/// \file
/// \brief The metrics file a program writes with `--json FILE`: one JSON
/// object of named numbers, the format `./course compare` lines up.
///
/// \ingroup infrastructure
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nn {

/// The JSON type of the metrics files.
using Json = nlohmann::ordered_json;

/// \brief Writes \p value as indented JSON, atomically (a temporary file
/// renamed into place), so a reader never sees half a file.
/// \throws nn::InputError if the file cannot be written.
void write_json(const std::string& path, const Json& value);

/// \brief Reads a JSON file. \throws nn::InputError if missing or malformed.
Json read_json(const std::string& path);

}  // namespace nn
