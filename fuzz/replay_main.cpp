// Replays fuzz inputs without libFuzzer: runs a target's
// LLVMFuzzerTestOneInput on every file given, or on every file of every
// folder given (the seed corpus and the crashes found so far), with any
// compiler. An input that breaks a promise aborts the program, and the
// test with it.
//
// Usage: fuzz_replay_<target> PATH...
//
// libFuzzer runs the targets with -malloc_limit_mb=512 -rss_limit_mb=512; the
// replay keeps the same bounds, so that an input that once made a huge
// allocation fails here too. Under AddressSanitizer, its largest allowed
// allocation does it. Otherwise malloc and its relatives are wrapped: one
// request over 512 MB is a finding, even where the caller would survive a
// null result; and the address space may grow by at most 512 MB in all.

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

constexpr std::size_t memory_limit_bytes = std::size_t{512} << 20;

#ifdef NN_REPLAY_ASAN
// Read by AddressSanitizer at start-up; ASAN_OPTIONS still overrides it.
extern "C" const char* __asan_default_options() { return "max_allocation_size_mb=512"; }
#else
// glibc's own allocator, under the names it exports for wrappers like these.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {
void check_allocation(std::size_t size) {
    if (size <= memory_limit_bytes) return;
    // No allocation from here on: print with a fixed buffer.
    char message[128];
    std::snprintf(message, sizeof message, "FUZZ FINDING: out of memory: one allocation of %zu bytes (limit 512 MB)\n",
                  size);
    std::fputs(message, stderr);
    std::abort();
}
}  // namespace

// Every allocation of the process comes through these, those of the shared
// libraries (stb_image, OpenBLAS) and of operator new included.
extern "C" void* malloc(std::size_t size) {
    check_allocation(size);
    return __libc_malloc(size);
}
extern "C" void* calloc(std::size_t count, std::size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return nullptr;
    check_allocation(count * size);
    return __libc_calloc(count, size);
}
extern "C" void* realloc(void* pointer, std::size_t size) {
    check_allocation(size);
    return __libc_realloc(pointer, size);
}
extern "C" void* memalign(std::size_t alignment, std::size_t size) {
    check_allocation(size);
    return __libc_memalign(alignment, size);
}
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) { return memalign(alignment, size); }
extern "C" int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void* pointer = memalign(alignment, size);
    if (!pointer) return ENOMEM;
    *out = pointer;
    return 0;
}
#endif

namespace {

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
    limit.rlim_cur = limit.rlim_max = now + memory_limit_bytes;
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
