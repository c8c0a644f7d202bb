#include "nn/metrics.hpp"

#include <fstream>

#include "nn/core.hpp"

namespace nn {

void write_json(const std::string& path, const Json& value) {
    const std::string text = value.dump(2) + '\n';
    write_file_atomically(path, text.data(), text.size(), "JSON file");
}

Json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open the JSON file");
    try {
        return Json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(path + ": not valid JSON (" + e.what() + ")");
    }
}

}  // namespace nn
