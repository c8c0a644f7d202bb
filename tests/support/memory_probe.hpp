// How much memory a piece of code takes: it runs in a child process, which
// reports how far its peak resident memory grew. A loader that refuses a
// file claiming gigabytes before allocating them grows by almost nothing;
// one that allocates first grows by the claim. No timing is involved.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <sstream>
#include <string>

namespace nn_test {

// What the child saw: whether it ran to the end, its peak memory growth and
// the message of the exception the code threw (empty if none).
struct ChildRun {
    bool completed = false;
    long peak_growth_mib = -1;
    std::string error;
};

// The peak memory of this process so far, in MiB: on Linux the peak of its
// virtual size (what was allocated, whether touched or not), elsewhere the
// peak resident size.
inline long peak_memory_mib() {
    if (std::FILE* status = std::fopen("/proc/self/status", "r")) {
        char line[256];
        long kib = -1;
        while (kib < 0 && std::fgets(line, sizeof line, status)) std::sscanf(line, "VmPeak: %ld kB", &kib);
        std::fclose(status);
        if (kib >= 0) return kib >> 10;
    }
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
#ifdef __APPLE__
    return static_cast<long>(usage.ru_maxrss >> 20);  // bytes on macOS
#else
    return static_cast<long>(usage.ru_maxrss >> 10);  // KiB on Linux
#endif
}

// Runs body() in a forked child (killed after 60 s) and returns what it saw.
// The child's peak starts at its size when forked, so the growth is what
// body() itself took.
template <typename Body>
ChildRun run_in_child(Body body) {
    int channel[2];
    if (::pipe(channel) != 0) return {};
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(channel[0]);
        ::alarm(60);
        const long before = peak_memory_mib();
        std::string error;
        try {
            body();
        } catch (const std::exception& e) {
            error = e.what();
        }
        const std::string report = std::to_string(peak_memory_mib() - before) + "\n" + error;
        const ssize_t written = ::write(channel[1], report.data(), report.size());
        ::_exit(written == static_cast<ssize_t>(report.size()) ? 0 : 1);
    }
    ::close(channel[1]);
    std::string report;
    char buffer[4096];
    for (ssize_t n; (n = ::read(channel[0], buffer, sizeof buffer)) > 0;)
        report.append(buffer, static_cast<std::size_t>(n));
    ::close(channel[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ChildRun run;
    run.completed = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::istringstream in(report);
    if (run.completed && in >> run.peak_growth_mib) {
        in.get();
        std::getline(in, run.error, '\0');
    }
    return run;
}

}  // namespace nn_test
