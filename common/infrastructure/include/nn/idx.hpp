/// \file
/// \brief Reading the IDX files MNIST and Fashion-MNIST are stored in, raw or
/// gzip-compressed, with every field of the file checked before it is trusted.
///
/// An IDX file is a 4-byte magic number (two zero bytes, an element type, the
/// number of dimensions), one big-endian 32-bit size per dimension, then the
/// elements in row-major order. An image file of MNIST is 60000 x 28 x 28
/// unsigned bytes; a label file is 60000 unsigned bytes.
///
/// Every problem is an nn::InputError whose message names the file, the field
/// and what was expected. Sizes are checked against what the file can hold
/// before anything is allocated, so a corrupt header never causes a huge
/// allocation.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nn {

/// The element types of the IDX format (the third byte of the magic number).
enum class IdxType : std::uint8_t {
    u8 = 0x08,   ///< unsigned byte
    i8 = 0x09,   ///< signed byte
    i16 = 0x0B,  ///< 16-bit signed integer
    i32 = 0x0C,  ///< 32-bit signed integer
    f32 = 0x0D,  ///< 32-bit float
    f64 = 0x0E,  ///< 64-bit float
};

/// \return the size in bytes of one element of \p type.
std::size_t idx_type_size(IdxType type);

/// \brief What an IDX header says: the element type and the dimension sizes.
/// \ingroup infrastructure
struct IdxHeader {
    IdxType type = IdxType::u8;       ///< element type
    std::vector<std::uint64_t> dims;  ///< dimension sizes, outermost first
    std::uint64_t header_bytes = 0;   ///< bytes before the first element
    /// \return the product of the dimension sizes.
    std::uint64_t element_count() const;
    /// \return the dimensions written as `60000x28x28`.
    std::string dims_text() const;
};

/// \brief Streams the elements of one IDX file, raw or gzip-compressed (told
/// apart by the gzip signature, not the file name).
///
/// The constructor reads and checks the header: magic number, element type,
/// number of dimensions (1 to 4), every dimension between 1 and 2^31, and the
/// total size against the file (exactly, for a raw file; for a compressed
/// one, against the most a gzip stream of that size can expand to and against
/// a cap of 64 MiB of data, since a small compressed file can expand a
/// thousandfold). read() then fails cleanly on truncated or corrupt data
/// (a gzip stream cut anywhere, even in its CRC-32 trailer, is truncated),
/// and finish() on trailing bytes.
/// \ingroup infrastructure
class IdxReader {
public:
    /// Opens \p path and checks its header. \throws nn::InputError
    explicit IdxReader(const std::string& path);
    ~IdxReader();
    IdxReader(const IdxReader&) = delete;
    IdxReader& operator=(const IdxReader&) = delete;

    /// \return the file's path, as given.
    const std::string& path() const { return path_; }
    /// \return the checked header.
    const IdxHeader& header() const { return header_; }

    /// \brief Requires a header of \p type with \p rank dimensions.
    /// \param type expected element type.
    /// \param rank expected number of dimensions.
    /// \param what what the file should hold, for the message (e.g. "images").
    /// \throws nn::InputError naming the field that differs.
    void expect(IdxType type, std::size_t rank, const std::string& what) const;

    /// \brief Reads the next \p count bytes of element data into \p out.
    /// \throws nn::InputError if the file ends early or its data is corrupt.
    void read(std::uint8_t* out, std::size_t count);

    /// \brief Checks that every element has been read and nothing follows.
    /// \throws nn::InputError on trailing data.
    void finish();

private:
    struct Source;
    std::string path_;
    IdxHeader header_;
    std::unique_ptr<Source> source_;
    std::uint64_t data_read_ = 0;
};

/// \brief Reads the next `out.n_cols` images of an open image file into the
/// columns of \p out, scaling bytes 0..255 to doubles 0..1.
///
/// Shapes: \p out is (rows*cols + extra) x n and must already have that size;
/// pixel (r, c) of image j lands in `out(r * cols + c, j)` (row-major, like
/// the file); the extra rows of each column are left as they are.
/// \param reader an open image file (`u8`, 3 dimensions).
/// \param out the destination, one image per column.
void read_idx_pixels(IdxReader& reader, arma::mat& out);

/// \brief Reads a whole IDX image file (unsigned bytes, N x rows x cols).
/// \param path raw or .gz file.
/// \return (rows*cols) x N matrix of pixels in [0, 1], one image per column.
/// \throws nn::InputError if the file is missing, corrupt or not images.
arma::mat read_idx_images(const std::string& path);

/// \brief Reads an IDX label file (unsigned bytes, one dimension) and checks
/// that every label is below \p num_classes.
/// \param path raw or .gz file.
/// \param num_classes number of classes; labels must be in 0..num_classes-1.
/// \return the labels.
/// \throws nn::InputError naming the first out-of-range label and its index.
arma::uvec read_idx_labels(const std::string& path, std::size_t num_classes);

/// \brief Writes unsigned bytes as an IDX file (gzip-compressed if \p path
/// ends in `.gz`). Used to make the small test subsets and corrupt files.
/// \param path the file to write.
/// \param dims dimension sizes, outermost first.
/// \param data the elements, row-major; its size must be the product of \p dims.
void write_idx_u8(const std::string& path, const std::vector<std::uint64_t>& dims,
                  const std::vector<std::uint8_t>& data);

}  // namespace nn
