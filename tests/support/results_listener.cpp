// Writes what the chapter tests found as JSON Lines, for `./course check` and
// `./course progress` to read instead of Catch2's console text.
//
// Active only when the environment variable NN_TEST_RESULTS names a file.
// One line per event, flushed at once, so that a test which crashes the
// program still leaves a record of where it was:
//   {"event":"start","name":...,"tags":"[ch02][ch02.1]","file":...,"line":...}
//   {"event":"end","name":...,"passed":N,"failed":N,"failure":{...}|null,
//    "not_implemented":["ch02.1 softmax", ...]}
// "failure" is the first failed assertion: where it is, the assertion as
// written, with its values expanded, its message and the INFO lines in scope.
// "not_implemented" lists the stubs the test case ran into (each an
// nn::NotImplemented thrown, by this task's code or another's).

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#if NN_CATCH2_MAJOR >= 3
#include <catch2/catch_test_case_info.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
#else
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>
#endif

#include <nlohmann/json.hpp>

namespace {

#if NN_CATCH2_MAJOR >= 3
using ListenerBase = Catch::EventListenerBase;
#else
using ListenerBase = Catch::TestEventListenerBase;
#endif

class ResultsListener : public ListenerBase {
public:
    using ListenerBase::ListenerBase;

    void testRunStarting(Catch::TestRunInfo const& info) override {
        ListenerBase::testRunStarting(info);
        if (const char* path = std::getenv("NN_TEST_RESULTS"); path && *path) out_.open(path, std::ios::trunc);
    }

    void testCaseStarting(Catch::TestCaseInfo const& info) override {
        ListenerBase::testCaseStarting(info);
        passed_ = failed_ = 0;
        failure_ = nullptr;
        stubs_.clear();
        name_ = info.name;
        write({{"event", "start"},
               {"name", name_},
               {"tags", info.tagsAsString()},
               {"file", std::string(info.lineInfo.file)},
               {"line", info.lineInfo.line}});
    }

#if NN_CATCH2_MAJOR >= 3
    void assertionEnded(Catch::AssertionStats const& stats) override { record(stats); }
#else
    bool assertionEnded(Catch::AssertionStats const& stats) override {
        record(stats);
        return true;
    }
#endif

    void testCaseEnded(Catch::TestCaseStats const& stats) override {
        ListenerBase::testCaseEnded(stats);
        write({{"event", "end"},
               {"name", name_},
               {"passed", passed_},
               {"failed", failed_},
               {"failure", failure_},
               {"not_implemented", stubs_}});
    }

private:
    void record(Catch::AssertionStats const& stats) {
        const Catch::AssertionResult& result = stats.assertionResult;
        if (result.isOk()) {
            ++passed_;
            return;
        }
        ++failed_;
        const std::string message(result.getMessage());
        static const std::regex stub(R"((ch[0-9]{2}\.[0-9]+ [^ ]+) is not implemented yet)");
        std::smatch match;
        if (std::regex_search(message, match, stub) &&
            std::find(stubs_.begin(), stubs_.end(), match[1].str()) == stubs_.end())
            stubs_.push_back(match[1].str());
        if (!failure_.is_null()) return;
        std::vector<std::string> info;
        for (const auto& m : stats.infoMessages) info.push_back(m.message);
        failure_ = {{"file", std::string(result.getSourceInfo().file)},
                    {"line", result.getSourceInfo().line},
                    {"expression", result.hasExpression() ? result.getExpressionInMacro() : std::string()},
                    {"expanded", result.hasExpandedExpression() ? result.getExpandedExpression() : std::string()},
                    {"message", message},
                    {"threw", result.getResultType() == Catch::ResultWas::ThrewException},
                    {"info", info}};
    }

    void write(const nlohmann::json& line) {
        if (!out_) return;
        out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        out_.flush();
    }

    std::ofstream out_;
    std::string name_;
    int passed_ = 0, failed_ = 0;
    nlohmann::json failure_;
    std::vector<std::string> stubs_;
};

}  // namespace

CATCH_REGISTER_LISTENER(ResultsListener)
