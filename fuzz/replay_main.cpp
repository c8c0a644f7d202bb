// Replays fuzz inputs without libFuzzer: runs a target's
// LLVMFuzzerTestOneInput on every file given, or on every file of every
// folder given (the seed corpus and the crashes found so far), with any
// compiler. An input that breaks a promise aborts the program, and the
// test with it.
//
// Usage: fuzz_replay_<target> PATH...
//
// libFuzzer runs the targets with a memory limit of 512 MB; the replay keeps
// the same bound, so that an input that once made a huge allocation fails
// here too: under AddressSanitizer through its largest allowed allocation,
// otherwise through the address-space limit of the process.

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define NN_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NN_REPLAY_ASAN 1
#endif
#endif

#ifdef NN_REPLAY_ASAN
// Read by AddressSanitizer at start-up; ASAN_OPTIONS still overrides it.
extern "C" const char* __asan_default_options() { return "max_allocation_size_mb=512"; }
#endif

namespace {

constexpr std::uint64_t memory_limit_mb = 512;

#ifdef NN_REPLAY_ASAN
void limit_memory() {}  // AddressSanitizer's limit above; an address-space limit would break its shadow memory
#else
// The process's address space now, from /proc (0 if unknown).
std::uint64_t address_space_bytes() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmSize:") {
            std::uint64_t kib = 0;
            status >> kib;
            return kib * 1024;
        }
        status.ignore(1 << 10, '\n');
    }
    return 0;
}

void limit_memory() {
    const std::uint64_t now = address_space_bytes();
    if (now == 0) return;
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = now + (memory_limit_mb << 20);
    if (setrlimit(RLIMIT_AS, &limit) != 0) std::cerr << "replay: cannot limit the address space; replaying anyway\n";
}
#endif

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    if (fs::is_regular_file(path)) return {path};
    if (!fs::is_directory(path)) {
        std::cerr << "replay: " << path.string() << ": no such file or folder\n";
        std::exit(2);
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " FILE_OR_FOLDER...\n";
        return 2;
    }
    std::vector<std::filesystem::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const auto found = inputs_of(argv[i]);
        inputs.insert(inputs.end(), found.begin(), found.end());
    }
    if (inputs.empty()) {
        std::cerr << "replay: no inputs found\n";
        return 2;
    }
    limit_memory();
    for (const auto& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // Named first, so the input that aborts is the last line printed.
        std::cout << path.string() << " (" << bytes.size() << " bytes)" << std::endl;
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    }
    std::cout << "replayed " << inputs.size() << " inputs: no findings\n";
    return 0;
}
