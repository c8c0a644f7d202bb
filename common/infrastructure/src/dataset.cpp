#include "nn/dataset.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "nn/core.hpp"
#include "nn/idx.hpp"

namespace nn {
namespace fs = std::filesystem;

namespace {

const char* const system_fashion_dir = "/usr/share/datasets/fashion-mnist";

// The four files of a dataset, as MNIST names them.
const char* const file_stems[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                   "t10k-labels-idx1-ubyte"};

// Finds "train-images-idx3-ubyte" in dir as it is, gzipped, or in the
// "train-images.idx3-ubyte" spelling some mirrors use. Empty if absent.
std::string find_file(const fs::path& dir, const std::string& stem) {
    std::string dotted = stem;
    dotted[dotted.find("-idx")] = '.';
    for (const auto& name : {stem, stem + ".gz", dotted, dotted + ".gz"}) {
        std::error_code error;
        if (fs::is_regular_file(dir / name, error)) return (dir / name).string();
    }
    return {};
}

// Whether dir holds the first `count` files of file_stems (all four, or the
// two training files).
bool has_files(const fs::path& dir, std::size_t count) {
    return std::all_of(std::begin(file_stems), std::begin(file_stems) + count,
                       [&](const char* stem) { return !find_file(dir, stem).empty(); });
}

// Reads an image file whose images must be info's size, splitting its
// columns into the given matrices in order.
void read_images_into(const std::string& path, const DatasetInfo& info, std::initializer_list<arma::mat*> parts) {
    IdxReader reader(path);
    reader.expect(IdxType::u8, 3, "images");
    const auto& dims = reader.header().dims;
    if (dims[1] != info.image_rows || dims[2] != info.image_cols)
        throw InputError(path + ": image size: expected " + std::to_string(info.image_rows) + "x" +
                         std::to_string(info.image_cols) + " for " + info.title + ", found " + std::to_string(dims[1]) +
                         "x" + std::to_string(dims[2]));
    arma::uword total = 0;
    for (const arma::mat* part : parts) total += part->n_cols;
    if (dims[0] != total) throw std::logic_error("read_images_into: parts do not add up to the file's image count");
    for (arma::mat* part : parts) read_idx_pixels(reader, *part);
    reader.finish();
}

// An images file and its labels file, their headers checked against the
// dataset and each other before anything is allocated for them.
struct FilePair {
    std::string images, labels;
    std::uint64_t count = 0;
};

FilePair checked_pair(const fs::path& dir, const char* images_stem, const char* labels_stem, const DatasetInfo& info) {
    FilePair pair{find_file(dir, images_stem), find_file(dir, labels_stem)};
    IdxReader images(pair.images);
    images.expect(IdxType::u8, 3, "images");
    const auto& dims = images.header().dims;
    if (dims[1] != info.image_rows || dims[2] != info.image_cols)
        throw InputError(pair.images + ": image size: expected " + std::to_string(info.image_rows) + "x" +
                         std::to_string(info.image_cols) + " for " + info.title + ", found " + std::to_string(dims[1]) +
                         "x" + std::to_string(dims[2]));
    IdxReader labels(pair.labels);
    labels.expect(IdxType::u8, 1, "labels");
    pair.count = dims[0];
    if (labels.header().dims[0] != pair.count)
        throw InputError(pair.images + " has " + std::to_string(pair.count) + " images but " + pair.labels + " has " +
                         labels.header().dims_text() + " labels: expected the same count");
    return pair;
}

}  // namespace

Dataset Dataset::head(std::size_t count) const {
    const arma::uword n = std::min<arma::uword>(count, size());
    if (n == 0) return Dataset{arma::mat(images.n_rows, 0), arma::uvec()};
    return Dataset{images.cols(0, n - 1), labels.head(n)};
}

const std::vector<std::string>& dataset_names() {
    static const std::vector<std::string> names = {"mnist", "fashion"};
    return names;
}

DatasetInfo dataset_info(const std::string& name) {
    if (name == "mnist")
        return DatasetInfo{"mnist", "MNIST", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, 28, 28};
    if (name == "fashion")
        return DatasetInfo{
            "fashion",
            "Fashion-MNIST",
            {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"},
            28,
            28};
    throw InputError("unknown dataset '" + name + "': expected mnist or fashion");
}

std::string resolve_data_dir(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("NN_DATA_DIR"); env && *env) return env;
    std::error_code error;
    if (fs::is_directory("data", error)) return "data";
#ifdef NN_SOURCE_DATA_DIR
    return NN_SOURCE_DATA_DIR;
#else
    return "data";
#endif
}

namespace {

// find_dataset_dir(), for a folder that holds the first `count` files of
// file_stems (the message names all four: a complete dataset is the norm).
std::string dataset_dir_holding(const std::string& name, const std::string& data_dir, std::size_t count) {
    const DatasetInfo info = dataset_info(name);
    std::vector<fs::path> candidates;
    if (name == "mnist") {
        candidates = {fs::path(data_dir) / "mnist"};
    } else {
        candidates = {fs::path(data_dir) / "fashion-mnist", system_fashion_dir};
    }
    for (const auto& dir : candidates)
        if (has_files(dir, count)) return dir.string();

    std::string message = info.title + " not found in " + candidates.front().string() +
                          " (looked for train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                          "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or .gz)";
    if (name == "mnist")
        message += ": run ./course setup, or put the four MNIST files there (see README \"Data\")";
    else
        message += std::string(" or ") + system_fashion_dir +
                   ": run ./course setup, or install the Debian package dataset-fashion-mnist";
    throw InputError(message);
}

}  // namespace

std::string find_dataset_dir(const std::string& name, const std::string& data_dir) {
    return dataset_dir_holding(name, data_dir, 4);
}

namespace {

// load_splits() with or without the test files: with_test false neither
// looks for them nor reads them, and leaves the test split empty.
Splits load(const std::string& name, const std::string& data_dir, std::size_t validation_size, std::size_t extra_rows,
            bool with_test) {
    Splits splits;
    splits.info = dataset_info(name);
    const DatasetInfo& info = splits.info;
    const fs::path dir = dataset_dir_holding(name, data_dir, with_test ? 4 : 2);
    // Every header first: the sizes allocated below are then bounded by the files.
    const FilePair train = checked_pair(dir, file_stems[0], file_stems[1], info);
    const FilePair test = with_test ? checked_pair(dir, file_stems[2], file_stems[3], info) : FilePair{};
    if (validation_size >= train.count)
        throw InputError(train.labels + ": " + std::to_string(train.count) +
                         " training samples cannot give a validation split of " + std::to_string(validation_size) +
                         " and leave any for training");

    const arma::uvec train_labels = read_idx_labels(train.labels, info.num_classes());
    if (with_test) splits.test.labels = read_idx_labels(test.labels, info.num_classes());
    const arma::uword n_train = train.count - validation_size;
    const arma::uword rows = info.image_size() + extra_rows;
    splits.train.images.set_size(rows, n_train);
    splits.validation.images.set_size(rows, validation_size);
    splits.test.images.set_size(rows, test.count);
    read_images_into(train.images, info, {&splits.train.images, &splits.validation.images});
    if (with_test) read_images_into(test.images, info, {&splits.test.images});
    splits.train.labels = train_labels.head(n_train);
    splits.validation.labels = train_labels.tail(validation_size);
    return splits;
}

}  // namespace

Splits load_splits(const std::string& name, const std::string& data_dir, std::size_t validation_size,
                   std::size_t extra_rows) {
    return load(name, data_dir, validation_size, extra_rows, true);
}

Splits load_training_splits(const std::string& name, const std::string& data_dir, std::size_t validation_size,
                            std::size_t extra_rows) {
    return load(name, data_dir, validation_size, extra_rows, false);
}

Dataset load_test_split(const std::string& name, const std::string& data_dir, std::size_t extra_rows) {
    const DatasetInfo info = dataset_info(name);
    const FilePair test = checked_pair(find_dataset_dir(name, data_dir), file_stems[2], file_stems[3], info);
    Dataset data;
    data.labels = read_idx_labels(test.labels, info.num_classes());
    data.images.set_size(info.image_size() + extra_rows, test.count);
    read_images_into(test.images, info, {&data.images});
    return data;
}

MiniBatches::MiniBatches(const Dataset& data, std::size_t batch_size)
    : data_(data), batch_size_(batch_size), count_(0) {
    if (batch_size == 0) throw std::invalid_argument("MiniBatches: the batch size must be at least 1");
    if (data.images.n_cols != data.labels.n_elem)
        throw std::invalid_argument("MiniBatches: " + std::to_string(data.images.n_cols) + " images but " +
                                    std::to_string(data.labels.n_elem) + " labels");
    count_ = (data.size() + batch_size - 1) / batch_size;
    order_ = arma::randperm(data.size());
}

const Batch& MiniBatches::get(std::size_t index) {
    if (index >= count_) throw std::out_of_range("MiniBatches::get: no batch " + std::to_string(index));
    const auto [first, count] = range(index);
    gather(data_, order_.memptr() + first, count, buffer_);
    return buffer_;
}

std::pair<arma::uword, arma::uword> MiniBatches::range(std::size_t index) const {
    if (index >= count_) throw std::out_of_range("MiniBatches::range: no batch " + std::to_string(index));
    const arma::uword first = index * batch_size_;
    return {first, std::min<arma::uword>(first + batch_size_, data_.size()) - first};
}

void gather(const Dataset& data, const arma::uword* indices, arma::uword count, Batch& into) {
    const arma::uword rows = data.images.n_rows;
    if (into.images.n_rows != rows || into.images.n_cols != count) into.images.set_size(rows, count);
    if (into.labels.n_elem != count) into.labels.set_size(count);
    for (arma::uword i = 0; i < count; ++i) {
        const arma::uword column = indices[i];
        if (column >= data.size()) throw std::out_of_range("gather: no sample " + std::to_string(column));
        std::copy_n(data.images.colptr(column), rows, into.images.colptr(i));
        into.labels[i] = data.labels[column];
    }
}

}  // namespace nn
