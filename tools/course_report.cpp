// The report behind `./course check` and `./course progress`: which tasks
// pass, fail or are not started, read from the markers in the exercise files
// (the one list of tasks) and the JSON Lines that the tests' results listener
// writes (tests/support/results_listener.cpp), never from console text.
//
// Usage:
//   nn_course_report tasks <exercise.cpp>...
//   nn_course_report check <results.jsonl> <chapter number|all> <exercise.cpp>...
//   nn_course_report progress <results.jsonl> <exercise.cpp>...
//   nn_course_report next <results.jsonl> <exercise.cpp>...   (the first task not passing)
// With NN_TESTS_FROM_OTHER_BUILD=1 in the environment the results come from
// another build than the exercise files (the stubs, the reference, a planted
// mistake): a task then counts as not started only when its tests ran into
// its stub, never because its region in the files is untouched.
// The exercise files come in the book's order. check and progress exit 0 if
// every task they list passes, 1 otherwise, 2 on bad input.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::json;

struct Task {
    std::string id;    // "ch02.1"
    std::string name;  // "softmax"
    std::string file;  // "exercises/ch02_softmax_regression.cpp"
    int chapter = 0;
    bool untouched = false;  // the region still throws its own NotImplemented
    std::string code;        // the learner's code between the markers
};

struct TestCase {
    std::string name, tags, file;
    int line = 0;
    bool ended = false;
    int passed = 0, failed = 0;
    Json failure;                    // the first failed assertion, or null
    std::vector<std::string> stubs;  // "chNN.K name" of every stub it ran into
};

enum class Status { pass, fail, stub, waiting, crashed, untested };

struct TaskResult {
    Status status = Status::untested;
    int cases = 0, passing = 0;
    const TestCase* first_failure = nullptr;
    std::vector<std::string> waiting_for;  // other tasks' stubs its tests ran into
};

int chapter_of(const std::string& id) { return std::stoi(id.substr(2, 2)); }

// "exercises/ch02_softmax_regression.cpp" -> "softmax regression"
std::string topic_of(const std::string& file) {
    const auto slash = file.find_last_of('/');
    std::string base = file.substr(slash == std::string::npos ? 0 : slash + 1);
    base = base.substr(5, base.rfind('.') - 5);
    std::replace(base.begin(), base.end(), '_', ' ');
    return base;
}

std::string relative(const std::string& file) {
    const auto at = file.rfind("exercises/");
    return at == std::string::npos ? file : file.substr(at);
}

// The tasks, from the `// BEGIN YOUR CODE (chNN.K name)` lines: the same
// markers CMake reads to register the stubs.chNN.K tests. A region that
// still holds the stub's `throw nn::NotImplemented("chNN.K ...")` is untouched.
std::vector<Task> read_tasks(const std::vector<std::string>& files) {
    static const std::regex begin(R"(^\s*// BEGIN YOUR CODE \((ch[0-9]{2}\.[0-9]+) ([A-Za-z0-9_:]+)\)\s*$)");
    static const std::regex end(R"(^\s*// END YOUR CODE)");
    std::vector<Task> tasks;
    for (const auto& file : files) {
        std::ifstream in(file);
        if (!in) throw std::runtime_error(file + ": cannot read");
        std::string line;
        bool inside = false;
        while (std::getline(in, line)) {
            std::smatch m;
            if (std::regex_match(line, m, begin)) {
                tasks.push_back({m[1], m[2], relative(file), chapter_of(m[1]), false, ""});
                inside = true;
            } else if (std::regex_search(line, end)) {
                inside = false;
            } else if (inside) {
                tasks.back().code += line + '\n';
            }
            if (inside && line.find("throw nn::NotImplemented(\"" + tasks.back().id + " ") != std::string::npos &&
                line.find("//") > line.find("throw")) {
                tasks.back().untouched = true;
            }
        }
    }
    return tasks;
}

std::vector<TestCase> read_results(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": no test results (did the test program start?)");
    std::vector<TestCase> cases;
    std::string line;
    while (std::getline(in, line)) {
        const Json event = Json::parse(line, nullptr, false);
        if (event.is_discarded() || !event.is_object()) continue;  // a line cut short by a crash
        const std::string kind = event.value("event", "");
        if (kind == "start") {
            TestCase c;
            c.name = event.value("name", "");
            c.tags = event.value("tags", "");
            c.file = event.value("file", "");
            c.line = event.value("line", 0);
            cases.push_back(c);
        } else if (kind == "end" && !cases.empty()) {
            TestCase& c = cases.back();
            c.ended = true;
            c.passed = event.value("passed", 0);
            c.failed = event.value("failed", 0);
            c.failure = event.value("failure", Json());
            c.stubs = event.value("not_implemented", std::vector<std::string>());
        }
    }
    return cases;
}

bool has_tag(const TestCase& c, const std::string& tag) { return c.tags.find("[" + tag + "]") != std::string::npos; }

TaskResult result_of(const Task& task, const std::vector<TestCase>& cases) {
    TaskResult r;
    bool own_stub = false, crashed = false, other_failure = false;
    for (const auto& c : cases) {
        if (!has_tag(c, task.id)) continue;
        ++r.cases;
        if (!c.ended) crashed = true;
        if (c.ended && c.failed == 0) {
            ++r.passing;
            continue;
        }
        if (!r.first_failure) r.first_failure = &c;
        bool only_stubs = !c.stubs.empty();
        for (const auto& s : c.stubs) {
            if (s.rfind(task.id + " ", 0) == 0) {
                own_stub = true;
            } else if (std::find(r.waiting_for.begin(), r.waiting_for.end(), s) == r.waiting_for.end()) {
                r.waiting_for.push_back(s);
            }
        }
        if (!only_stubs && c.ended) other_failure = true;
    }
    if (r.cases == 0)
        r.status = Status::untested;
    else if (crashed)
        r.status = Status::crashed;
    else if (r.passing == r.cases)
        r.status = Status::pass;
    else if (own_stub || task.untouched)
        r.status = Status::stub;
    else if (!r.waiting_for.empty() && !other_failure)
        r.status = Status::waiting;
    else
        r.status = Status::fail;
    return r;
}

const char* mark(Status s) {
    switch (s) {
        case Status::pass:
            return "\u2713";
        case Status::stub:
            return "\u00b7";
        case Status::waiting:
            return "\u00b7";
        default:
            return "\u2717";
    }
}

// What a call of the task looks like in code: `softmax(`, or for a member
// function such as Dense::backward, `backward(`.
std::string call_name(const Task& t) {
    const auto colons = t.name.rfind("::");
    return colons == std::string::npos ? t.name : t.name.substr(colons + 2);
}

bool calls(const std::string& code, const Task& t) {
    const std::regex call("\\b" + call_name(t) + "\\s*\\(");
    return std::regex_search(code, call);
}

// The text of a test case: from its TEST_CASE line to the next one.
std::string test_body(const TestCase& c) {
    std::ifstream in(c.file);
    std::string line, body;
    for (int n = 1; std::getline(in, line); ++n) {
        if (n < c.line) continue;
        if (n > c.line && line.rfind("TEST_CASE", 0) == 0) break;
        body += line + '\n';
    }
    return body;
}

// One line of text, however long: Catch2's values can span lines.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

std::string test_file(const std::string& file) {
    const auto at = file.rfind("tests/");
    return at == std::string::npos ? file : file.substr(at);
}

// The first failure: the test's name, where the failing line is, and the values.
void print_failure(std::ostream& out, const TestCase& c, const std::string& indent) {
    out << indent << "first failing test: " << c.name << '\n';
    if (!c.ended) {
        out << indent << "  the test program crashed while running it (see the full report below)\n";
        return;
    }
    const Json& f = c.failure;
    if (f.is_null()) return;
    out << indent << "  at " << test_file(f.value("file", "")) << ':' << f.value("line", 0) << '\n';
    const std::string expression = f.value("expression", ""), expanded = f.value("expanded", "");
    if (!expression.empty()) out << indent << "  " << one_line(expression) << '\n';
    if (!expanded.empty() && expanded != expression) {
        std::istringstream lines(expanded);
        std::string line;
        bool first = true;
        while (std::getline(lines, line)) {
            out << indent << (first ? "  with values: " : "    ") << line << '\n';
            first = false;
        }
    }
    const std::string message = f.value("message", "");
    if (!message.empty()) out << indent << "  " << (f.value("threw", false) ? "threw: " : "") << message << '\n';
    for (const auto& info : f.value("info", std::vector<std::string>())) out << indent << "  note: " << info << '\n';
}

struct Report {
    std::vector<Task> tasks;
    std::vector<TestCase> cases;
    std::vector<TaskResult> results;
};

void print_task(std::ostream& out, const Report& report, std::size_t i, bool details) {
    const Task& t = report.tasks[i];
    const TaskResult& r = report.results[i];
    char head[160];
    std::snprintf(head, sizeof head, "  %s %-7s %-30s ", mark(r.status), t.id.c_str(), t.name.c_str());
    out << head;
    switch (r.status) {
        case Status::pass:
            out << r.passing << '/' << r.cases << " tests pass\n";
            return;
        case Status::stub:
            out << "not started (still the stub)\n";
            return;
        case Status::untested:
            out << "no tests found for this task\n";
            return;
        case Status::crashed:
            out << "its tests crashed the test program\n";
            break;
        case Status::waiting:
            out << "waits for " << r.waiting_for.front() << " (still the stub)\n";
            return;
        case Status::fail:
            out << r.passing << '/' << r.cases << " tests pass\n";
            break;
    }
    if (!details || !r.first_failure) return;
    print_failure(out, *r.first_failure, "      ");
    for (const auto& s : r.waiting_for) out << "      it also calls " << s << ", which is still the stub\n";
    // A task that fails may only be paying for another failing task that its
    // code or its tests call: name those.
    std::string uses = t.code;
    for (const auto& c : report.cases)
        if (has_tag(c, t.id)) uses += test_body(c);
    for (std::size_t j = 0; j < report.tasks.size(); ++j) {
        const Status s = report.results[j].status;
        if (j == i || (s != Status::fail && s != Status::crashed) || !calls(uses, report.tasks[j])) continue;
        out << "      it calls " << report.tasks[j].name << " (" << report.tasks[j].id
            << "), which fails too: fix that first, then check again\n";
    }
}

// The tests of a chapter that check provided code rather than a task.
void print_provided(std::ostream& out, const Report& report, int chapter) {
    char tag[8];
    std::snprintf(tag, sizeof tag, "ch%02d", chapter);
    int cases = 0, passing = 0;
    const TestCase* failing = nullptr;
    for (const auto& c : report.cases) {
        if (!has_tag(c, tag) || !has_tag(c, "provided")) continue;
        ++cases;
        if (c.ended && c.failed == 0)
            ++passing;
        else if (!failing)
            failing = &c;
    }
    if (cases == 0) return;
    out << "  " << (passing == cases ? "\u2713" : "\u2717") << " provided code that uses your tasks: " << passing << '/'
        << cases << " tests pass\n";
    if (failing) print_failure(out, *failing, "      ");
}

int check(const Report& report, int only_chapter) {
    int shown = 0, passing = 0;
    std::string next;
    int chapter = 0;
    for (std::size_t i = 0; i < report.tasks.size(); ++i) {
        const Task& t = report.tasks[i];
        if (only_chapter && t.chapter != only_chapter) continue;
        if (t.chapter != chapter) {
            if (chapter) print_provided(std::cout, report, chapter), std::cout << '\n';
            chapter = t.chapter;
            std::cout << "Chapter " << chapter << ": " << topic_of(t.file) << "   (" << t.file << ")\n";
        }
        print_task(std::cout, report, i, true);
        ++shown;
        if (report.results[i].status == Status::pass)
            ++passing;
        else if (next.empty())
            next = t.id;
    }
    if (chapter) print_provided(std::cout, report, chapter);
    if (shown == 0) throw std::runtime_error("no tasks found for chapter " + std::to_string(only_chapter));
    std::cout << "\n" << passing << '/' << shown << " tasks pass.";
    if (!next.empty())
        std::cout << "  Next: " << next << ".  Full report: build/release/bin/tests_course \"[" << next << "]\"";
    std::cout << '\n';
    return passing == shown ? 0 : 1;
}

int progress(const Report& report) {
    int all = 0, all_passing = 0, chapter = 0;
    std::string next;
    for (std::size_t i = 0; i < report.tasks.size();) {
        chapter = report.tasks[i].chapter;
        std::size_t end = i;
        int passing = 0;
        while (end < report.tasks.size() && report.tasks[end].chapter == chapter)
            passing += report.results[end++].status == Status::pass;
        const int count = static_cast<int>(end - i);
        char head[160];
        std::snprintf(head, sizeof head, "%02d %-26s %2d / %-2d  ", chapter, topic_of(report.tasks[i].file).c_str(),
                      passing, count);
        std::cout << head << std::string(passing, '#') << std::string(count - passing, '.') << '\n';
        for (; i < end; ++i) {
            print_task(std::cout, report, i, false);
            if (report.results[i].status != Status::pass && next.empty()) next = report.tasks[i].id;
        }
        all += count;
        all_passing += passing;
    }
    std::cout << '\n' << all_passing << " / " << all << " tasks done.";
    if (!next.empty()) std::cout << "  Next: " << next << " (./course check " << chapter_of(next) << ')';
    std::cout << '\n';
    return all_passing == all ? 0 : 1;
}

Report make_report(const std::string& results, const std::vector<std::string>& files) {
    Report report{read_tasks(files), read_results(results), {}};
    const char* other = std::getenv("NN_TESTS_FROM_OTHER_BUILD");
    if (other && std::string(other) == "1")
        for (auto& t : report.tasks) t.untouched = false;
    for (const auto& t : report.tasks) report.results.push_back(result_of(t, report.cases));
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const char* usage =
        "usage: nn_course_report tasks <exercise.cpp>...\n"
        "       nn_course_report check <results.jsonl> <chapter|all> <exercise.cpp>...\n"
        "       nn_course_report progress <results.jsonl> <exercise.cpp>...\n"
        "       nn_course_report next <results.jsonl> <exercise.cpp>...\n";
    try {
        if (args.size() >= 2 && args[0] == "tasks") {
            for (const auto& t : read_tasks({args.begin() + 1, args.end()})) std::cout << t.id << ' ' << t.name << '\n';
            return 0;
        }
        if (args.size() >= 4 && args[0] == "check") {
            const int chapter = args[2] == "all" ? 0 : std::stoi(args[2]);
            return check(make_report(args[1], {args.begin() + 3, args.end()}), chapter);
        }
        if (args.size() >= 3 && args[0] == "next") {
            const Report report = make_report(args[1], {args.begin() + 2, args.end()});
            for (std::size_t i = 0; i < report.tasks.size(); ++i)
                if (report.results[i].status != Status::pass) {
                    std::cout << report.tasks[i].id << '\n';
                    break;
                }
            return 0;
        }
        if (args.size() >= 3 && args[0] == "progress")
            return progress(make_report(args[1], {args.begin() + 2, args.end()}));
        std::cerr << usage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "nn_course_report: " << e.what() << '\n';
        return 2;
    }
}
