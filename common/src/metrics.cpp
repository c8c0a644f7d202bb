#include "nn/metrics.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "nn/core.hpp"

namespace nn {

void write_json(const std::string& path, const Json& value) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary);
        if (!out) throw InputError(path + ": cannot write the JSON file");
        out << value.dump(2) << '\n';
        if (!out.flush()) throw InputError(path + ": write failed");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot move the finished file into place: " + error.message());
    }
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
