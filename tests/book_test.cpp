// The book as a reader sees it: every link and anchor of the generated HTML
// resolves, every page with math renders it in headless Chromium with the
// network off (no raw TeX left, no MathJax error), and the folder still works
// when it is copied elsewhere (no link, not even a symbolic one, leaves it).
//
// Needs the book built first (the CTest fixture `docs` does it) and Chromium
// for the rendering test. NN_BOOK_DIR is the generated html folder.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "catch_compat.hpp"
#include "child_process.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> html_pages(const fs::path& dir) {
    std::vector<fs::path> pages;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".html") pages.push_back(entry.path());
    std::sort(pages.begin(), pages.end());
    return pages;
}

// The ids and names a page defines, for links to #anchors.
std::set<std::string> anchors_of(const std::string& html) {
    static const std::regex anchor(R"re(\s(?:id|name)="([^"]+)")re");
    std::set<std::string> found;
    for (std::sregex_iterator it(html.begin(), html.end(), anchor), end; it != end; ++it) found.insert((*it)[1]);
    return found;
}

// "a%20b" -> "a b"
std::string url_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Every broken local link of the book: "page.html: target (why)". An SVG
// figure is an <object data="...">, so `data` counts as a link too.
std::vector<std::string> broken_links(const fs::path& dir) {
    static const std::regex link(R"re(\s(?:href|src|data)="([^"]*)")re");
    std::map<fs::path, std::set<std::string>> anchors;
    const auto anchors_in = [&](const fs::path& file) -> const std::set<std::string>& {
        auto it = anchors.find(file);
        if (it == anchors.end()) it = anchors.emplace(file, anchors_of(read_text(file))).first;
        return it->second;
    };
    std::vector<std::string> broken;
    for (const auto& page : html_pages(dir)) {
        const std::string html = read_text(page);
        for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it) {
            const std::string target = (*it)[1];
            if (target.empty() || std::regex_search(target, std::regex("^(https?|mailto|javascript|data):"))) continue;
            const auto hash = target.find('#');
            std::string file = url_decode(target.substr(0, hash));
            if (const auto query = file.find('?'); query != std::string::npos) file.resize(query);
            const fs::path resolved = file.empty() ? page : page.parent_path() / file;
            const std::string where = page.filename().string() + ": " + target;
            if (!fs::exists(resolved)) {
                broken.push_back(where + " (no such file)");
            } else if (hash != std::string::npos && hash + 1 < target.size() && resolved.extension() == ".html" &&
                       !anchors_in(resolved).count(target.substr(hash + 1))) {
                broken.push_back(where + " (no such anchor)");
            }
        }
    }
    return broken;
}

// The page as Chromium has it once its scripts have run, the network off
// (every request goes to a proxy on a closed port): MathJax must come from
// the book's own folder.
std::string rendered_dom(const std::string& chromium, const fs::path& page, const fs::path& profile) {
    nn::ChildProcess browser({chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--no-first-run", "--log-level=3", "--proxy-server=127.0.0.1:9",
                              "--user-data-dir=" + profile.string(), "--virtual-time-budget=20000", "--dump-dom",
                              "file://" + page.string()});
    std::string dom;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto line = browser.read_line(std::chrono::seconds(60));
        if (!line) break;
        dom += *line + '\n';
    }
    browser.wait(std::chrono::seconds(10));
    return dom;
}

// What is wrong with a rendered page's math, or an empty string.
std::string math_problems(const std::string& dom) {
    if (dom.find("</html>") == std::string::npos) return "the page did not finish rendering";
    if (dom.find("class=\"MathJax_Error\"") != std::string::npos ||
        dom.find("Math Processing Error") != std::string::npos)
        return "MathJax reports an error";
    if (dom.find("class=\"merror\"") != std::string::npos) return "a formula has a TeX error";
    // The TeX source stays in <script type="math/tex"> elements; anywhere else it was not typeset.
    static const std::regex scripts(R"(<(script|style)[^>]*>[\s\S]*?</\1>)");
    const std::string text = std::regex_replace(dom, scripts, "");
    for (const char* raw : {"\\(", "\\[", "\\f$", "\\f["}) {
        const auto at = text.find(raw);
        if (at != std::string::npos) return "raw TeX on the page: ..." + text.substr(at, 60) + "...";
    }
    if (dom.find("class=\"MathJax") == std::string::npos) return "no formula was typeset";
    return {};
}

fs::path book_dir() { return fs::path(NN_BOOK_DIR); }

fs::path scratch_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("nn_book_test_" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("every local link and anchor of the book resolves", "[book]") {
    REQUIRE(fs::exists(book_dir() / "index.html"));
    const auto broken = broken_links(book_dir());
    for (std::size_t i = 0; i < std::min<std::size_t>(broken.size(), 20); ++i) UNSCOPED_INFO(broken[i]);
    CHECK(broken.size() == 0);
}

TEST_CASE("nothing in the book folder links outside it so the folder can be copied", "[book]") {
    std::vector<std::string> outside;
    for (const auto& entry : fs::recursive_directory_iterator(book_dir()))
        if (entry.is_symlink()) outside.push_back(entry.path().string() + " -> " + fs::read_symlink(entry).string());
    for (const auto& s : outside) UNSCOPED_INFO(s);
    CHECK(outside.size() == 0);
    REQUIRE(fs::exists(book_dir() / "mathjax" / "MathJax.js"));
}

TEST_CASE("every page with math renders it offline from a copy of the book in another folder", "[book][browser]") {
    const std::string chromium = nn::find_program({"chromium", "chromium-browser", "google-chrome"});
    if (chromium.empty()) {
        // Whether a browser is installed is a fact about the machine: where
        // none is, the test says so on a line that makes CTest report it as
        // skipped. NN_REQUIRE_BROWSER=1 (CI) makes it a failure.
        const char* require = std::getenv("NN_REQUIRE_BROWSER");
        if (require && std::string(require) == "1")
            FAIL("NN_REQUIRE_BROWSER=1 and Chromium is not installed (Debian: apt-get install chromium)");
        std::cout << "SKIPPED: the book's math cannot be rendered here: Chromium is not installed "
                     "(Debian: apt-get install chromium)"
                  << std::endl;
        return;
    }
    const fs::path copy = scratch_dir("html");
    fs::copy(book_dir(), copy, fs::copy_options::recursive);
    const fs::path profile = scratch_dir("profile");
    int pages = 0;
    for (const auto& page : html_pages(copy)) {
        const std::string html = read_text(page);
        if (html.find("\\(") == std::string::npos && html.find("\\[") == std::string::npos) continue;
        ++pages;
        const std::string problem = math_problems(rendered_dom(chromium, page, profile));
        INFO(page.filename().string() << ": " << problem);
        CHECK(problem.empty());
    }
    INFO("pages with math: " << pages);
    CHECK(pages >= 10);
    fs::remove_all(copy.parent_path());
}
