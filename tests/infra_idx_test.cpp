// The IDX reader: real files, raw and gzipped, and every way a file can be
// broken. Each broken file must give an nn::InputError naming the file and
// the field, never a crash or a huge allocation.

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "memory_probe.hpp"
#include "nn/core.hpp"
#include "nn/idx.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

// A fresh temporary folder per test, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() /
               ("nn_idx_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    gzFile out = gzopen(path.c_str(), "wb");
    gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(out);
}

// An IDX header: magic 00 00 type rank, then big-endian sizes.
std::vector<std::uint8_t> header(std::uint8_t type, const std::vector<std::uint32_t>& dims) {
    std::vector<std::uint8_t> bytes = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
    for (const auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
    return bytes;
}

std::vector<std::uint8_t> idx_file(const std::vector<std::uint32_t>& dims, std::size_t data_bytes,
                                   std::uint8_t type = 0x08) {
    auto bytes = header(type, dims);
    for (std::size_t i = 0; i < data_bytes; ++i) bytes.push_back(static_cast<std::uint8_t>(i % 251));
    return bytes;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An IDX header followed by n bytes that deflate cannot shrink, so that a
// gzip file of it is large enough for its header's claim to pass the
// deflate-ratio bound.
std::vector<std::uint8_t> header_and_noise(const std::vector<std::uint32_t>& dims, std::size_t n) {
    auto bytes = header(0x08, dims);
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1664525u + 1013904223u;
        bytes.push_back(static_cast<std::uint8_t>(state >> 24));
    }
    return bytes;
}

}  // namespace

TEST_CASE("the MNIST test subset reads as 1000 training images of 28x28 with their labels", "[infra][idx]") {
    const arma::mat images = nn::read_idx_images(nn_test::test_data_path("mnist/train-images-idx3-ubyte.gz"));
    CHECK(images.n_rows == 784);
    CHECK(images.n_cols == 1000);
    CHECK(images.min() == 0.0);
    CHECK(images.max() == 1.0);
    const arma::uvec labels = nn::read_idx_labels(nn_test::test_data_path("mnist/train-labels-idx1-ubyte.gz"), 10);
    REQUIRE(labels.n_elem == 1000);
    // The first five training labels of MNIST.
    CHECK_THAT(arma::uvec(labels.head(5)), EqualsLabels(arma::uvec{5, 0, 4, 1, 9}));
}

TEST_CASE("raw and gzipped IDX files read the same, pixels row-major and scaled by 1/255", "[infra][idx]") {
    TempDir dir;
    std::vector<std::uint8_t> pixels(2 * 3 * 4);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(10 * i);
    nn::write_idx_u8(dir.file("a"), {2, 3, 4}, pixels);
    nn::write_idx_u8(dir.file("a.gz"), {2, 3, 4}, pixels);
    const arma::mat raw = nn::read_idx_images(dir.file("a"));
    const arma::mat gz = nn::read_idx_images(dir.file("a.gz"));
    REQUIRE(raw.n_rows == 12);
    REQUIRE(raw.n_cols == 2);
    CHECK(raw(5, 1) == Approx((12 + 5) * 10 / 255.0).epsilon(1e-15));
    CHECK_THAT(gz, EqualsMatrix(raw, 0.0));
}

TEST_CASE("a missing file is reported by name", "[infra][idx]") {
    CHECK_THROWS_WITH(nn::IdxReader("no/such/file-idx3-ubyte"),
                      ContainsSubstring("no/such/file-idx3-ubyte") && ContainsSubstring("no such file"));
}

TEST_CASE("a bad magic number names the field and what was expected", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("text"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
    CHECK_THROWS_AS(nn::IdxReader(dir.file("text")), nn::InputError);
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("text")), ContainsSubstring(dir.file("text")) &&
                                                           ContainsSubstring("magic number") &&
                                                           ContainsSubstring("0x00000803"));
    write_bytes(dir.file("short"), {0, 0});
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("short")), ContainsSubstring("too short"));
}

TEST_CASE("an unknown element type or a zero dimension count is rejected", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("type"), idx_file({4}, 4, 0x07));
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("type")), ContainsSubstring("magic number"));
    write_bytes(dir.file("rank"), {0, 0, 8, 0});
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("rank")), ContainsSubstring("magic number"));
}

TEST_CASE("images with the wrong element type or rank are rejected by what they should be", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("floats"), idx_file({2, 2, 2}, 32, 0x0D));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("floats")),
                      ContainsSubstring("element type") && ContainsSubstring("images"));
    write_bytes(dir.file("flat"), idx_file({8}, 8));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("flat")), ContainsSubstring("number of dimensions: expected 3"));
}

TEST_CASE("a zero-sized dimension is rejected", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("zero"), idx_file({0, 28, 28}, 0));
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("zero")), ContainsSubstring("dimension 0 is 0"));
}

TEST_CASE("absurd dimensions are caught before any allocation", "[infra][idx]") {
    TempDir dir;
    // Claims 2^31 x 2^31 x 2^31 bytes but holds 10.
    write_bytes(dir.file("huge"), idx_file({0x80000000u, 0x80000000u, 0x80000000u}, 10));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("huge")),
                      ContainsSubstring("dimensions 2147483648x") && ContainsSubstring("header is corrupt"));
    // Within 64 bits but far beyond the file: 60000 x 28 x 28 in 10 bytes.
    write_bytes(dir.file("big"), idx_file({60000, 28, 28}, 10));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("big")),
                      ContainsSubstring("need 47040000 bytes") && ContainsSubstring("truncated"));
    // A dimension above 2^31 is refused outright.
    write_bytes(dir.file("over"), idx_file({0xFFFFFFFFu, 28, 28}, 10));
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("over")), ContainsSubstring("between 1 and 2^31"));
    // Compressed, the bound is what deflate can expand to.
    write_gzip(dir.file("huge.gz"), idx_file({60000000, 28, 28}, 100));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("huge.gz")), ContainsSubstring("more than a gzip file"));
}

TEST_CASE("a truncated file says how many bytes it holds and needs", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("raw"), idx_file({3, 2, 2}, 11));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("raw")), ContainsSubstring("need 12 bytes") &&
                                                                ContainsSubstring("holds 11") &&
                                                                ContainsSubstring("truncated"));
    write_gzip(dir.file("gz.gz"), idx_file({3, 2, 2}, 11));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("gz.gz")),
                      ContainsSubstring("truncated") && ContainsSubstring("11 of 12 bytes"));
    write_gzip(dir.file("head.gz"), {0, 0, 8, 3, 0, 0});
    CHECK_THROWS_WITH(nn::IdxReader(dir.file("head.gz")), ContainsSubstring("inside the header"));
}

TEST_CASE("extra bytes after the data are an error, raw or gzipped", "[infra][idx]") {
    TempDir dir;
    write_bytes(dir.file("raw"), idx_file({2, 2, 2}, 9));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("raw")), ContainsSubstring("extra bytes"));
    write_gzip(dir.file("gz.gz"), idx_file({2, 2, 2}, 9));
    CHECK_THROWS_WITH(nn::read_idx_images(dir.file("gz.gz")), ContainsSubstring("extra data"));
}

TEST_CASE("corrupt gzip data is reported, not decoded into garbage", "[infra][idx]") {
    TempDir dir;
    std::vector<std::uint8_t> pixels(4 * 28 * 28);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>((i * 7919) % 256);
    nn::write_idx_u8(dir.file("good.gz"), {4, 28, 28}, pixels);
    std::ifstream in(dir.file("good.gz"), std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t i = 30; i < bytes.size() - 20; i += 7) bytes[i] ^= 0x5A;
    write_bytes(dir.file("bad.gz"), bytes);
    CHECK_THROWS_AS(nn::read_idx_images(dir.file("bad.gz")), nn::InputError);
}

TEST_CASE("labels out of range name the label and its index", "[infra][idx]") {
    TempDir dir;
    nn::write_idx_u8(dir.file("labels"), {5}, {1, 2, 3, 12, 4});
    CHECK_THROWS_WITH(nn::read_idx_labels(dir.file("labels"), 10),
                      ContainsSubstring("label 12 at index 3") && ContainsSubstring("expected 0..9"));
    CHECK(nn::read_idx_labels(dir.file("labels"), 13).n_elem == 5);
}

TEST_CASE("a .gz cut anywhere in its 8-byte trailer (CRC-32 and length) is refused as truncated", "[infra][idx]") {
    TempDir dir;
    nn::write_idx_u8(dir.file("whole.gz"), {3, 4, 4}, std::vector<std::uint8_t>(48, 7));
    CHECK(nn::read_idx_images(dir.file("whole.gz")).n_cols == 3);
    const auto bytes = read_bytes(dir.file("whole.gz"));
    for (std::size_t cut = 1; cut <= 8; ++cut) {
        INFO(cut << " bytes cut off the end");
        const std::string path = dir.file("cut" + std::to_string(cut) + ".gz");
        write_bytes(path, std::vector<std::uint8_t>(bytes.begin(), bytes.end() - static_cast<long>(cut)));
        CHECK_THROWS_WITH(nn::read_idx_images(path), ContainsSubstring(path) && ContainsSubstring("truncated"));
    }
}

TEST_CASE("a compressed IDX file is held to a stated cap before anything is allocated", "[infra][idx]") {
    TempDir dir;
    // 400 million labels in a 390 KB file: within what deflate can expand to, far beyond the cap.
    const std::string labels = dir.file("labels.gz");
    write_gzip(labels, header_and_noise({400000000}, 390000));
    const auto label_run = nn_test::run_in_child([&] { nn::read_idx_labels(labels, 10); });
    REQUIRE(label_run.completed);
    CHECK_THAT(label_run.error, ContainsSubstring(labels) && ContainsSubstring("at most 64 MiB"));
    CHECK(label_run.peak_growth_mib < 64);
    // 100,000 images of 28x28 (78 MB of bytes, 627 MB as doubles) in an 80 KB file.
    const std::string images = dir.file("images.gz");
    write_gzip(images, header_and_noise({100000, 28, 28}, 80000));
    const auto image_run = nn_test::run_in_child([&] { nn::read_idx_images(images); });
    REQUIRE(image_run.completed);
    CHECK_THAT(image_run.error, ContainsSubstring(images) && ContainsSubstring("at most 64 MiB"));
    CHECK(image_run.peak_growth_mib < 64);
}
