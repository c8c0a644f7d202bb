// What the fuzz targets share: how a target reports a finding, and the input
// as a file for readers that take a path.
//
// A target calls the project's public functions on the input. The errors
// bad input is allowed to cause (nn::InputError, std::invalid_argument) are
// caught where the call is made; anything else is a finding: a sanitizer
// report, a crash, an allocation over libFuzzer's limit, an exception of
// another type (it escapes and aborts), or a broken promise checked with
// fuzz_require().
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

// libFuzzer calls this once per input; replay_main.cpp calls it once per file.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fuzz {

// A promise of the code under test that does not hold: print it and abort,
// so that libFuzzer keeps the input as a crash and a replay fails.
[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
    std::abort();
}

inline void fuzz_require(bool condition, const std::string& what) {
    if (!condition) finding(what);
}

// The input as a file. On Linux a file in memory (memfd): its path
// (/proc/self/fd/N) opens like any regular file, and nothing is left on disk.
// Elsewhere (memfd_create is Linux's own) a temporary file, removed again.
class MemoryFile {
public:
    MemoryFile(const void* data, std::size_t size) {
#if defined(__linux__)
        fd_ = memfd_create("fuzz-input", MFD_CLOEXEC);
        if (fd_ < 0) throw std::runtime_error("memfd_create failed");
        path_ = "/proc/self/fd/" + std::to_string(fd_);
#else
        const char* dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/fuzz-input-XXXXXX";
        fd_ = mkstemp(pattern.data());
        if (fd_ < 0) throw std::runtime_error("mkstemp failed");
        path_ = pattern;
        temporary_ = true;
#endif
        const auto* bytes = static_cast<const char*>(data);
        for (std::size_t done = 0; done < size;) {
            const ssize_t n = write(fd_, bytes + done, size - done);
            if (n <= 0) throw std::runtime_error("writing the input file failed");
            done += static_cast<std::size_t>(n);
        }
    }
    ~MemoryFile() {
        close(fd_);
        if (temporary_) std::remove(path_.c_str());
    }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;
    bool temporary_ = false;
};

}  // namespace fuzz
