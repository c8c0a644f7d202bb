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

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: nn_make_stub <exercise.cpp> <output.cpp>\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << argv[1] << ": cannot read\n";
        return 2;
    }
    std::string text, line, task;
    int line_number = 0, begin_line = 0, regions = 0;
    bool inside = false;
    while (std::getline(in, line)) {
        ++line_number;
        // Markers are whole comment lines; prose that mentions them is not one.
        const std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
        const bool begins = trimmed.rfind("// BEGIN YOUR CODE", 0) == 0;
        const bool ends = trimmed.rfind("// END YOUR CODE", 0) == 0;
        if (begins) {
            const auto open = line.find('('), close = line.rfind(')');
            if (inside || open == std::string::npos || close == std::string::npos || close < open + 2) {
                std::cerr << argv[1] << ':' << line_number
                          << ": expected '// BEGIN YOUR CODE (chNN.K name)' outside any other region\n";
                return 1;
            }
            task = line.substr(open + 1, close - open - 1);
            const std::string indent = line.substr(0, line.find_first_not_of(" \t"));
            text += line + '\n' + indent + "throw nn::NotImplemented(\"" + task + "\");\n";
            inside = true;
            begin_line = line_number;
        } else if (ends) {
            if (!inside) {
                std::cerr << argv[1] << ':' << line_number << ": END YOUR CODE without a BEGIN\n";
                return 1;
            }
            text += line + '\n';
            inside = false;
            ++regions;
        } else if (!inside) {
            text += line + '\n';
        }
    }
    if (inside) {
        std::cerr << argv[1] << ':' << begin_line << ": BEGIN YOUR CODE (" << task << ") has no END YOUR CODE\n";
        return 1;
    }
    if (regions == 0) {
        std::cerr << argv[1] << ": no BEGIN YOUR CODE regions found\n";
        return 1;
    }
    std::ofstream out(argv[2]);
    if (!(out << text)) {
        std::cerr << argv[2] << ": cannot write\n";
        return 2;
    }
    return 0;
}
