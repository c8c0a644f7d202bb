// Marked regions of the course's source files, shared by nn_make_stub and
// nn_make_mistake.
//
// An exercise file marks each task's body with
//     // BEGIN YOUR CODE (chNN.K name)
//     ...
//     // END YOUR CODE
// and a solution file marks the same bodies with BEGIN SOLUTION / END
// SOLUTION. Markers are whole comment lines (indentation allowed); prose that
// mentions them is not one. Every problem is reported as "file:line: what".
#pragma once

#include <cctype>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace nn_tools {

// A problem in an input file, already worded as "file:line: message".
struct FormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline FormatError format_error(const std::string& path, std::size_t line, const std::string& message) {
    return FormatError(path + (line ? ":" + std::to_string(line) : std::string()) + ": " + message);
}

inline std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw FormatError(path + ": cannot read");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

inline std::string trim_left(const std::string& line) {
    const auto first = line.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : line.substr(first);
}

inline bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// True for "chNN.K" with two digits of chapter and at least one of task.
inline bool is_task_id(const std::string& id) {
    if (id.size() < 6 || !starts_with(id, "ch") || id[4] != '.') return false;
    for (std::size_t i = 2; i < id.size(); ++i)
        if (i != 4 && !std::isdigit(static_cast<unsigned char>(id[i]))) return false;
    return true;
}

// One marked region. Line indices are 0-based positions in MarkedFile::lines.
struct Region {
    std::string id;    // "ch02.1"
    std::string name;  // "softmax"
    std::size_t begin_line = 0, end_line = 0;

    std::string task() const { return id + ' ' + name; }
};

struct MarkedFile {
    std::string path;
    std::vector<std::string> lines;
    std::vector<Region> regions;

    const Region* find(const std::string& id) const {
        for (const Region& r : regions)
            if (r.id == id) return &r;
        return nullptr;
    }
};

// Reads a file whose regions are marked "// BEGIN <kind> (chNN.K name)" and
// "// END <kind>", kind being "YOUR CODE" or "SOLUTION". Regions do not nest,
// every one is closed, task ids are unique, and there is at least one.
inline MarkedFile read_marked_file(const std::string& path, const std::string& kind) {
    MarkedFile file{path, read_lines(path), {}};
    const std::string begin_marker = "// BEGIN " + kind, end_marker = "// END " + kind;
    bool inside = false;
    for (std::size_t i = 0; i < file.lines.size(); ++i) {
        const std::string& line = file.lines[i];
        const std::string trimmed = trim_left(line);
        if (starts_with(trimmed, begin_marker)) {
            if (inside)
                throw format_error(path, i + 1,
                                   begin_marker + " inside the region of " + file.regions.back().task() +
                                       " (opened at line " + std::to_string(file.regions.back().begin_line + 1) + ")");
            const std::string rest = trimmed.substr(begin_marker.size());
            const auto space = rest.find(' ', 2);
            if (rest.size() < 4 || rest[0] != ' ' || rest[1] != '(' || rest.back() != ')' ||
                space == std::string::npos || !is_task_id(rest.substr(2, space - 2)) || space + 2 >= rest.size())
                throw format_error(path, i + 1,
                                   "expected '" + begin_marker + " (chNN.K name)', found '" + trimmed + "'");
            Region region;
            region.id = rest.substr(2, space - 2);
            region.name = rest.substr(space + 1, rest.size() - space - 2);
            region.begin_line = i;
            if (const Region* earlier = file.find(region.id))
                throw format_error(path, i + 1,
                                   "a second region for " + region.id + " (the first opens at line " +
                                       std::to_string(earlier->begin_line + 1) + ")");
            file.regions.push_back(region);
            inside = true;
        } else if (starts_with(trimmed, end_marker)) {
            if (!inside) throw format_error(path, i + 1, end_marker + " without a " + begin_marker);
            file.regions.back().end_line = i;
            inside = false;
        }
    }
    if (inside)
        throw format_error(path, file.regions.back().begin_line + 1,
                           begin_marker + " (" + file.regions.back().task() + ") has no " + end_marker);
    if (file.regions.empty()) throw format_error(path, 0, "no " + begin_marker + " regions found");
    return file;
}

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    if (!(out << text)) throw FormatError(path + ": cannot write");
}

}  // namespace nn_tools
