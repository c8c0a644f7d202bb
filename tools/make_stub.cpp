// Restores the shipped stubs of an exercise file: every region between
//     // BEGIN YOUR CODE (chNN.K name)
// and
//     // END YOUR CODE
// is replaced by the single line the stub ships with,
//     throw nn::NotImplemented("chNN.K name");
// The test suite builds the result to prove that each task has a test that
// fails on its stub, whatever the learner has written in exercises/.
//
// Usage: nn_make_stub <exercise.cpp> <output.cpp>

#include <iostream>
#include <string>

#include "regions.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: nn_make_stub <exercise.cpp> <output.cpp>\n";
        return 2;
    }
    try {
        const nn_tools::MarkedFile file = nn_tools::read_marked_file(argv[1], "YOUR CODE");
        std::string text;
        std::size_t next = 0;  // the first line not yet copied
        for (const nn_tools::Region& region : file.regions) {
            for (; next <= region.begin_line; ++next) text += file.lines[next] + '\n';
            const std::string& begin = file.lines[region.begin_line];
            const std::string indent = begin.substr(0, begin.find_first_not_of(" \t"));
            text += indent + "throw nn::NotImplemented(\"" + region.task() + "\");\n";
            next = region.end_line;
        }
        for (; next < file.lines.size(); ++next) text += file.lines[next] + '\n';
        nn_tools::write_text(argv[2], text);
    } catch (const nn_tools::FormatError& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
