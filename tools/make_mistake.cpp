// Plants one known mistake in a chapter's reference solution. The mistakes
// live in tests/mistakes/chNN_<topic>.inc, one block each:
//
//     // MISTAKE (chNN.K) Title, as on the chapter page
//     // what the learner did and why it is wrong
//         <the task's whole body, written the wrong way>
//     // END MISTAKE
//
// The output is the solution file with the region
//     // BEGIN SOLUTION (chNN.K name) ... // END SOLUTION
// of that task holding the mistake's body instead. The test suite builds it
// against the chapter tests to prove that the tests catch the mistake.
// #line directives make compiler messages point into the .inc file.
//
// Every run checks the whole .inc file (markers, task ids, a region for every
// mistake's task), so a malformed block fails the first build that reads it.
//
// Usage: nn_make_mistake <solution.cpp> <mistakes.inc> <index> <output.cpp>
//        (index counts the MISTAKE blocks of the .inc file from 1)

#include <iostream>
#include <string>
#include <vector>

#include "regions.hpp"

namespace {

struct Mistake {
    std::string id, title;
    std::size_t line = 0;           // 0-based index of the MISTAKE line
    std::vector<std::string> body;  // the lines between MISTAKE and END MISTAKE
};

const std::string mistake_marker = "// MISTAKE", end_marker = "// END MISTAKE";

// Reads every MISTAKE block. Outside the blocks only comments and blank
// lines are allowed, so that a stray line of code cannot go unnoticed.
std::vector<Mistake> read_mistakes(const std::string& path) {
    const std::vector<std::string> lines = nn_tools::read_lines(path);
    std::vector<Mistake> mistakes;
    bool inside = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (nn_tools::starts_with(line, end_marker)) {
            if (!inside) throw nn_tools::format_error(path, i + 1, end_marker + " without a MISTAKE");
            bool code = false;
            for (const std::string& body_line : mistakes.back().body) {
                const std::string trimmed = nn_tools::trim_left(body_line);
                code = code || (!trimmed.empty() && !nn_tools::starts_with(trimmed, "//"));
            }
            if (!code)
                throw nn_tools::format_error(path, mistakes.back().line + 1,
                                             "the mistake " + mistakes.back().id + " has no code, only comments");
            inside = false;
        } else if (nn_tools::starts_with(line, mistake_marker)) {
            if (inside)
                throw nn_tools::format_error(path, i + 1,
                                             "MISTAKE inside the block opened at line " +
                                                 std::to_string(mistakes.back().line + 1) + " (missing " + end_marker +
                                                 "?)");
            const std::string rest = line.substr(mistake_marker.size());
            const auto close = rest.find(')');
            Mistake m;
            if (rest.size() > 2 && rest[0] == ' ' && rest[1] == '(' && close != std::string::npos) {
                m.id = rest.substr(2, close - 2);
                m.title = close + 2 < rest.size() && rest[close + 1] == ' ' ? rest.substr(close + 2) : "";
            }
            if (!nn_tools::is_task_id(m.id) || nn_tools::trim_left(m.title).empty())
                throw nn_tools::format_error(path, i + 1, "expected '// MISTAKE (chNN.K) Title', found '" + line + "'");
            m.line = i;
            mistakes.push_back(m);
            inside = true;
        } else if (inside) {
            mistakes.back().body.push_back(line);
        } else {
            const std::string trimmed = nn_tools::trim_left(line);
            if (!trimmed.empty() && !nn_tools::starts_with(trimmed, "//"))
                throw nn_tools::format_error(path, i + 1, "code outside a MISTAKE ... END MISTAKE block");
        }
    }
    if (inside)
        throw nn_tools::format_error(path, mistakes.back().line + 1,
                                     "MISTAKE (" + mistakes.back().id + ") has no " + end_marker);
    if (mistakes.empty()) throw nn_tools::format_error(path, 0, "no MISTAKE blocks found");
    return mistakes;
}

// Every mistake names a task whose region the solution file has.
void check_tasks(const std::vector<Mistake>& mistakes, const std::string& mistakes_path,
                 const nn_tools::MarkedFile& solution) {
    for (const Mistake& m : mistakes) {
        if (solution.find(m.id)) continue;
        std::string known;
        for (const nn_tools::Region& r : solution.regions) known += (known.empty() ? "" : ", ") + r.id;
        throw nn_tools::format_error(mistakes_path, m.line + 1,
                                     "unknown task " + m.id + ": " + solution.path +
                                         " has no BEGIN SOLUTION region for it (its tasks: " + known + ")");
    }
}

std::string quoted(const std::string& path) {
    std::string out = "\"";
    for (const char c : path) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + '"';
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: nn_make_mistake <solution.cpp> <mistakes.inc> <index> <output.cpp>\n";
        return 2;
    }
    const std::string solution_path = argv[1], mistakes_path = argv[2], index_text = argv[3];
    try {
        const nn_tools::MarkedFile solution = nn_tools::read_marked_file(solution_path, "SOLUTION");
        const std::vector<Mistake> mistakes = read_mistakes(mistakes_path);
        check_tasks(mistakes, mistakes_path, solution);

        std::size_t index = 0;
        if (index_text.find_first_not_of("0123456789") != std::string::npos || index_text.size() > 6 ||
            (index = std::stoul(index_text)) < 1 || index > mistakes.size()) {
            std::cerr << "nn_make_mistake: index " << index_text << " is not between 1 and " << mistakes.size()
                      << ", the number of mistakes in " << mistakes_path << '\n';
            return 2;
        }
        const Mistake& mistake = mistakes[index - 1];
        const nn_tools::Region& region = *solution.find(mistake.id);

        std::string text = "// Generated by nn_make_mistake: " + solution_path + " with mistake " +
                           std::to_string(index) + " of " + mistakes_path + ",\n// " + mistake.id + ' ' +
                           mistake.title + ". Do not edit.\n#line 1 " + quoted(solution_path) + '\n';
        for (std::size_t i = 0; i <= region.begin_line; ++i) text += solution.lines[i] + '\n';
        text += "#line " + std::to_string(mistake.line + 1) + ' ' + quoted(mistakes_path) + '\n';
        text += "    // MISTAKE (" + mistake.id + ") " + mistake.title + '\n';
        for (const std::string& line : mistake.body) text += line + '\n';
        text += "#line " + std::to_string(region.end_line + 1) + ' ' + quoted(solution_path) + '\n';
        for (std::size_t i = region.end_line; i < solution.lines.size(); ++i) text += solution.lines[i] + '\n';
        nn_tools::write_text(argv[4], text);
    } catch (const nn_tools::FormatError& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
