// Fuzz target: the IDX reader (nn::IdxReader, nn::read_idx_images,
// nn::read_idx_labels) on the input as a file, raw or gzip as its first bytes
// say, and on the input gzip-compressed, so that the header checks are tried
// behind the compressed stream too.
//
// Promises checked beyond "no crash, no huge allocation": a file that is
// accepted holds exactly what its header declares; an accepted gzip file is a
// complete gzip stream (no cut-off trailer).

#include <zlib.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "fuzz_support.hpp"
#include "nn/core.hpp"
#include "nn/idx.hpp"

namespace {

bool is_gzip(const std::uint8_t* data, std::size_t size) { return size >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

std::vector<std::uint8_t> gzip(const std::uint8_t* data, std::size_t size) {
    z_stream stream{};
    if (deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(size)));
    stream.next_in = const_cast<Bytef*>(data);
    stream.avail_in = static_cast<uInt>(size);
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

// True if zlib reads every gzip member of the input to its end (trailer included).
bool complete_gzip(const std::uint8_t* data, std::size_t size) {
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2 failed");
    std::vector<std::uint8_t> sink(1 << 16);
    stream.next_in = const_cast<Bytef*>(data);
    stream.avail_in = static_cast<uInt>(size);
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = sink.data();
        stream.avail_out = static_cast<uInt>(sink.size());
        status = inflate(&stream, Z_NO_FLUSH);
        // The next member, if any, is read the same way; bytes that are not a
        // member are ignored by gzread, and so here.
        if (status == Z_STREAM_END && is_gzip(stream.next_in, stream.avail_in)) status = inflateReset(&stream);
        if (status == Z_BUF_ERROR && stream.avail_out == 0) status = Z_OK;
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END;
}

template <typename Read>
bool accepts(Read read) {
    try {
        read();
        return true;
    } catch (const nn::InputError&) {
    } catch (const std::invalid_argument&) {
    }
    return false;
}

// Every element of any type and rank, in chunks, then the end of the file.
void read_everything(const std::string& path) {
    nn::IdxReader reader(path);
    const std::uint64_t total = reader.header().element_count() * nn::idx_type_size(reader.header().type);
    fuzz::fuzz_require(reader.header().header_bytes + total >= total, "header size overflows");
    std::vector<std::uint8_t> chunk(1 << 16);
    for (std::uint64_t done = 0; done < total;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), total - done));
        reader.read(chunk.data(), n);
        done += n;
    }
    reader.finish();
}

void try_file(const std::uint8_t* data, std::size_t size) {
    const fuzz::MemoryFile file(data, size);
    bool accepted = false;
    accepted |= accepts([&] {
        const arma::mat images = nn::read_idx_images(file.path());
        fuzz::fuzz_require(images.min() >= 0.0 && images.max() <= 1.0, "pixels outside [0, 1]");
    });
    accepted |= accepts([&] {
        const arma::uvec labels = nn::read_idx_labels(file.path(), 10);
        fuzz::fuzz_require(labels.max() < 10, "a label out of range was accepted");
    });
    accepted |= accepts([&] { read_everything(file.path()); });
    if (accepted && is_gzip(data, size))
        fuzz::fuzz_require(complete_gzip(data, size), "an incomplete gzip file was accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try_file(data, size);
    if (!is_gzip(data, size)) {
        const std::vector<std::uint8_t> compressed = gzip(data, size);
        try_file(compressed.data(), compressed.size());
    }
    return 0;
}
