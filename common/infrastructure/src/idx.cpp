#include "nn/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>

#include "nn/core.hpp"

namespace nn {
namespace {

constexpr std::size_t max_rank = 4;
constexpr std::uint64_t max_dimension = std::uint64_t{1} << 31;
// No IDX file this course reads comes near 2^48 bytes (256 TiB).
constexpr std::uint64_t max_total_bytes = std::uint64_t{1} << 48;
// Deflate cannot expand data by more than about 1032:1, so a gzip file of S
// bytes cannot hold more than this many: a header claiming more is corrupt.
constexpr std::uint64_t max_gzip_ratio = 1032;
// A compressed file's length does not bound what it holds (a small file of
// zeros can expand a thousandfold), so its data is held to a stated cap
// instead: the largest file of MNIST and Fashion-MNIST holds 47,040,000 bytes.
constexpr std::uint64_t max_gzip_data_bytes = std::uint64_t{64} << 20;

bool is_known_type(std::uint8_t code) {
    switch (code) {
        case 0x08:
        case 0x09:
        case 0x0B:
        case 0x0C:
        case 0x0D:
        case 0x0E:
            return true;
        default:
            return false;
    }
}

std::string hex(std::uint64_t value, int digits) {
    std::ostringstream out;
    out << "0x" << std::hex;
    out.fill('0');
    out.width(digits);
    out << value;
    return out.str();
}

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw InputError(path + ": " + message); }

}  // namespace

std::size_t idx_type_size(IdxType type) {
    switch (type) {
        case IdxType::u8:
        case IdxType::i8:
            return 1;
        case IdxType::i16:
            return 2;
        case IdxType::i32:
        case IdxType::f32:
            return 4;
        case IdxType::f64:
            return 8;
    }
    return 1;
}

std::uint64_t IdxHeader::element_count() const {
    std::uint64_t count = 1;
    for (const auto d : dims) count *= d;  // each d <= 2^31 and rank <= 4 is checked before
    return count;
}

std::string IdxHeader::dims_text() const {
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
    return text;
}

// One open file, raw (stdio) or gzip (zlib): the reader only needs "read up to n bytes".
struct IdxReader::Source {
    std::FILE* raw = nullptr;
    gzFile gz = nullptr;
    std::uint64_t file_size = 0;
    bool compressed = false;

    ~Source() {
        if (raw) std::fclose(raw);
        if (gz) gzclose(gz);
    }

    // At the end of a gzip stream: zlib reports a stream that stops before its
    // trailer (CRC-32 and length) as Z_BUF_ERROR, yet hands out the data it got.
    void require_complete_stream(const std::string& path) const {
        int code = Z_OK;
        gzerror(gz, &code);
        if (code == Z_BUF_ERROR)
            fail(path,
                 "truncated: the gzip stream ends before its end marker and CRC-32 trailer "
                 "(an interrupted download? fetch the file again)");
    }

    // Reads up to n bytes; returns the count read. Throws on a read error.
    std::size_t read_some(const std::string& path, std::uint8_t* out, std::size_t n) {
        if (!compressed) {
            const std::size_t got = std::fread(out, 1, n, raw);
            if (got < n && std::ferror(raw)) fail(path, std::string("read error: ") + std::strerror(errno));
            return got;
        }
        std::size_t total = 0;
        while (total < n) {
            const auto chunk = static_cast<unsigned>(std::min<std::size_t>(n - total, 1u << 30));
            const int got = gzread(gz, out + total, chunk);
            if (got < 0) {
                int code = 0;
                const char* message = gzerror(gz, &code);
                fail(path, std::string("corrupt gzip data (") + message + ")");
            }
            if (got == 0) {
                require_complete_stream(path);
                break;
            }
            total += static_cast<std::size_t>(got);
        }
        return total;
    }
};

IdxReader::IdxReader(const std::string& path) : path_(path), source_(std::make_unique<Source>()) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) fail(path, "no such file");
    source_->file_size = fs::file_size(path, error);

    // Tell raw from gzip by the gzip signature 1f 8b, not by the file name.
    source_->raw = std::fopen(path.c_str(), "rb");
    if (!source_->raw) fail(path, std::string("cannot open: ") + std::strerror(errno));
    unsigned char signature[2] = {0, 0};
    const std::size_t got = std::fread(signature, 1, 2, source_->raw);
    if (got == 2 && signature[0] == 0x1f && signature[1] == 0x8b) {
        std::fclose(source_->raw);
        source_->raw = nullptr;
        source_->compressed = true;
        source_->gz = gzopen(path.c_str(), "rb");
        if (!source_->gz) fail(path, "cannot open as gzip");
        gzbuffer(source_->gz, 1 << 17);
    } else {
        std::rewind(source_->raw);
    }

    std::uint8_t magic[4];
    if (source_->read_some(path, magic, 4) != 4) fail(path, "file is too short to hold an IDX magic number (4 bytes)");
    if (magic[0] != 0 || magic[1] != 0 || !is_known_type(magic[2]) || magic[3] < 1 || magic[3] > max_rank) {
        const std::uint64_t found = (std::uint64_t{magic[0]} << 24) | (std::uint64_t{magic[1]} << 16) |
                                    (std::uint64_t{magic[2]} << 8) | magic[3];
        std::string what =
            "magic number: expected two zero bytes, an element type (0x08 unsigned byte, "
            "0x09, 0x0B, 0x0C, 0x0D or 0x0E) and 1 to 4 dimensions, as in 0x00000803; found " +
            hex(found, 8);
        if (magic[0] == 0x1f && magic[1] == 0x8b) what += " (a gzip file inside a gzip file?)";
        fail(path, what + ". Is this an IDX file?");
    }
    header_.type = static_cast<IdxType>(magic[2]);
    const std::size_t rank = magic[3];

    for (std::size_t i = 0; i < rank; ++i) {
        std::uint8_t b[4];
        if (source_->read_some(path, b, 4) != 4)
            fail(path, "file ends inside the header: expected " + std::to_string(rank) + " dimension sizes of 4 bytes");
        const std::uint64_t d =
            (std::uint64_t{b[0]} << 24) | (std::uint64_t{b[1]} << 16) | (std::uint64_t{b[2]} << 8) | b[3];
        if (d == 0 || d > max_dimension)
            fail(path, "dimension " + std::to_string(i) + " is " + std::to_string(d) +
                           ": expected a size between 1 and 2^31");
        header_.dims.push_back(d);
    }
    header_.header_bytes = 4 + 4 * rank;
    // Up to four sizes of 2^31 could overflow 64 bits: bound the product first.
    std::uint64_t bytes_so_far = idx_type_size(header_.type);
    for (const auto d : header_.dims) {
        if (bytes_so_far > max_total_bytes / d)
            fail(path, "dimensions " + header_.dims_text() +
                           " describe more than 2^48 bytes of data: the header is corrupt (truncated?)");
        bytes_so_far *= d;
    }

    // Check the claimed size against what the file can hold before anyone
    // allocates memory for it.
    const std::uint64_t data_bytes = header_.element_count() * idx_type_size(header_.type);
    if (!source_->compressed) {
        const std::uint64_t available = source_->file_size - header_.header_bytes;
        if (available != data_bytes)
            fail(path, "dimensions " + header_.dims_text() + " need " + std::to_string(data_bytes) +
                           " bytes of data, but the file holds " + std::to_string(available) +
                           (available < data_bytes ? " (truncated?)" : " (extra bytes at the end)"));
    } else if (data_bytes > source_->file_size * max_gzip_ratio) {
        fail(path, "dimensions " + header_.dims_text() + " need " + std::to_string(data_bytes) +
                       " bytes, more than a gzip file of " + std::to_string(source_->file_size) +
                       " bytes can hold: the header is corrupt");
    } else if (data_bytes > max_gzip_data_bytes) {
        fail(path, "dimensions " + header_.dims_text() + " need " + std::to_string(data_bytes) +
                       " bytes, but a compressed IDX file may hold at most 64 MiB of data (MNIST's largest holds "
                       "47040000): the header is corrupt, or this is not a file of the course's datasets");
    }
}

IdxReader::~IdxReader() = default;

void IdxReader::expect(IdxType type, std::size_t rank, const std::string& what) const {
    if (header_.type != type)
        fail(path_, "element type: expected " + hex(static_cast<unsigned>(type), 2) + " for " + what + ", found " +
                        hex(static_cast<unsigned>(header_.type), 2));
    if (header_.dims.size() != rank)
        fail(path_, "number of dimensions: expected " + std::to_string(rank) + " for " + what + ", found " +
                        std::to_string(header_.dims.size()) + " (" + header_.dims_text() + ")");
}

void IdxReader::read(std::uint8_t* out, std::size_t count) {
    const std::uint64_t total = header_.element_count() * idx_type_size(header_.type);
    if (data_read_ + count > total)
        throw std::logic_error(path_ + ": read past the end of the data the header declares");
    const std::size_t got = source_->read_some(path_, out, count);
    if (got != count)
        fail(path_, "truncated: the data ends after " + std::to_string(data_read_ + got) + " of " +
                        std::to_string(total) + " bytes (byte offset " +
                        std::to_string(header_.header_bytes + data_read_ + got) + ")");
    data_read_ += got;
}

void IdxReader::finish() {
    std::uint8_t extra;
    if (source_->read_some(path_, &extra, 1) != 0)
        fail(path_, "extra data after the " + std::to_string(header_.element_count()) +
                        " elements the header declares (" + header_.dims_text() + ")");
}

void read_idx_pixels(IdxReader& reader, arma::mat& out) {
    const auto& dims = reader.header().dims;
    const std::size_t pixels = dims.size() == 3 ? dims[1] * dims[2] : out.n_rows;
    if (out.n_rows < pixels)
        throw std::logic_error("read_idx_pixels: rows for " + std::to_string(pixels) + " pixels needed");
    // Convert in chunks through a small buffer, so the bytes are never held twice.
    constexpr std::size_t chunk_images = 512;
    std::vector<std::uint8_t> buffer(chunk_images * pixels);
    for (arma::uword first = 0; first < out.n_cols; first += chunk_images) {
        const arma::uword n = std::min<arma::uword>(chunk_images, out.n_cols - first);
        reader.read(buffer.data(), n * pixels);
        for (arma::uword j = 0; j < n; ++j) {
            double* destination = out.colptr(first + j);
            const std::uint8_t* source = buffer.data() + j * pixels;
            for (std::size_t i = 0; i < pixels; ++i) destination[i] = source[i] / 255.0;
        }
    }
}

arma::mat read_idx_images(const std::string& path) {
    IdxReader reader(path);
    reader.expect(IdxType::u8, 3, "images");
    const auto& d = reader.header().dims;
    arma::mat images(d[1] * d[2], d[0]);
    read_idx_pixels(reader, images);
    reader.finish();
    return images;
}

arma::uvec read_idx_labels(const std::string& path, std::size_t num_classes) {
    IdxReader reader(path);
    reader.expect(IdxType::u8, 1, "labels");
    const std::size_t n = reader.header().dims[0];
    std::vector<std::uint8_t> bytes(n);
    reader.read(bytes.data(), n);
    reader.finish();
    arma::uvec labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (bytes[i] >= num_classes)
            fail(path, "label " + std::to_string(bytes[i]) + " at index " + std::to_string(i) +
                           " is out of range: expected 0.." + std::to_string(num_classes - 1));
        labels[i] = bytes[i];
    }
    return labels;
}

void write_idx_u8(const std::string& path, const std::vector<std::uint64_t>& dims,
                  const std::vector<std::uint8_t>& data) {
    IdxHeader header;
    header.dims = dims;
    if (dims.empty() || dims.size() > max_rank || header.element_count() != data.size())
        throw std::invalid_argument("write_idx_u8: " + std::to_string(data.size()) + " bytes do not match dimensions " +
                                    header.dims_text());
    std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (const auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
    bytes.insert(bytes.end(), data.begin(), data.end());

    const bool gzip = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    if (gzip) {
        gzFile out = gzopen(path.c_str(), "wb9");
        if (!out) fail(path, "cannot write");
        const int written = gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
        if (gzclose(out) != Z_OK || written != static_cast<int>(bytes.size())) fail(path, "write failed");
    } else {
        std::FILE* out = std::fopen(path.c_str(), "wb");
        if (!out) fail(path, std::string("cannot write: ") + std::strerror(errno));
        const std::size_t written = std::fwrite(bytes.data(), 1, bytes.size(), out);
        if (std::fclose(out) != 0 || written != bytes.size()) fail(path, "write failed");
    }
}

}  // namespace nn
