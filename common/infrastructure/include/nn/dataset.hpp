/// \file
/// \brief The datasets of the course (MNIST and Fashion-MNIST), their
/// train / validation / test split, and shuffled mini-batches.
///
/// Shapes: images are D x N with one sample per column (D = 784 pixels in
/// [0, 1]); labels are an `arma::uvec` of N class indices.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace nn {

/// \brief Images and their labels, one sample per column.
/// \ingroup infrastructure
struct Dataset {
    arma::mat images;   ///< D x N pixels in [0, 1]
    arma::uvec labels;  ///< N labels in 0..K-1
    /// \return the number of samples N.
    std::size_t size() const { return labels.n_elem; }
    /// \brief The first \p count samples (all if there are fewer), e.g. for a
    /// quick evaluation on part of the training set.
    /// \return a copy of those samples.
    Dataset head(std::size_t count) const;
};

/// \brief What a dataset is: its name, class names and image size.
/// \ingroup infrastructure
struct DatasetInfo {
    std::string name;                      ///< "mnist" or "fashion"
    std::string title;                     ///< "MNIST" or "Fashion-MNIST"
    std::vector<std::string> class_names;  ///< one per class, e.g. "7" or "Sneaker"
    std::size_t image_rows = 28;           ///< pixel rows of one image
    std::size_t image_cols = 28;           ///< pixel columns of one image
    /// \return the number of classes K.
    std::size_t num_classes() const { return class_names.size(); }
    /// \return the number of pixels D of one image.
    std::size_t image_size() const { return image_rows * image_cols; }
};

/// \brief The three splits of a dataset. Test data is never used for choices.
/// \ingroup infrastructure
struct Splits {
    DatasetInfo info;    ///< what the data is
    Dataset train;       ///< the first N - V samples of the training file
    Dataset validation;  ///< the last V samples of the training file
    Dataset test;        ///< the whole test file
};

/// The dataset names `--dataset` accepts.
const std::vector<std::string>& dataset_names();

/// \brief Describes a dataset by name. \throws nn::InputError for an unknown name.
/// \param name "mnist" or "fashion".
DatasetInfo dataset_info(const std::string& name);

/// \brief The data directory to use: \p given if not empty, else the
/// environment variable `NN_DATA_DIR`, else `data` in the current directory if
/// it exists, else the `data` folder of the source tree this was built from.
std::string resolve_data_dir(const std::string& given);

/// \brief Finds the folder holding a dataset's four IDX files.
///
/// MNIST is looked for in `<data_dir>/mnist`; Fashion-MNIST in
/// `<data_dir>/fashion-mnist`, then in `/usr/share/datasets/fashion-mnist`
/// (Debian's dataset-fashion-mnist package). Each file may be raw or `.gz`.
/// \throws nn::InputError naming where it looked and the command that fetches the data.
std::string find_dataset_dir(const std::string& name, const std::string& data_dir);

/// \brief Loads a dataset and splits its training file into train and
/// validation (the last \p validation_size samples).
///
/// Memory: the pixels are converted straight into their split, so loading
/// needs no second copy of the data.
/// \param name "mnist" or "fashion".
/// \param data_dir data directory (see resolve_data_dir()).
/// \param validation_size samples held out for validation (10000 by default).
/// \param extra_rows rows left after the pixels of every image, for features
/// computed later without copying the data (their values are unspecified).
/// \throws nn::InputError if files are missing, corrupt or inconsistent.
Splits load_splits(const std::string& name, const std::string& data_dir, std::size_t validation_size = 10000,
                   std::size_t extra_rows = 0);

/// \brief Loads a dataset's training file only, split into train and
/// validation as load_splits() does; the test split is left empty (its
/// images 0 columns wide, no labels). The test files are neither read nor
/// looked for, so they need not exist: for work that must never see the test
/// set, such as a hyperparameter search (chapter 8's `search`).
/// \param name "mnist" or "fashion".
/// \param data_dir data directory (see resolve_data_dir()).
/// \param validation_size samples held out for validation.
/// \param extra_rows rows left after the pixels of every image, as for load_splits().
/// \throws nn::InputError if the training files are missing, corrupt or inconsistent.
Splits load_training_splits(const std::string& name, const std::string& data_dir, std::size_t validation_size = 10000,
                            std::size_t extra_rows = 0);

/// \brief Loads a dataset's test split only (the test images and labels),
/// for evaluating a trained model: the training files are not read.
/// \param name "mnist" or "fashion".
/// \param data_dir data directory (see resolve_data_dir()).
/// \param extra_rows rows left after the pixels of every image, as for load_splits().
/// \throws nn::InputError if the test files are missing, corrupt or inconsistent.
Dataset load_test_split(const std::string& name, const std::string& data_dir, std::size_t extra_rows = 0);

/// \brief One mini-batch: copies of B samples, chosen by a shuffled order.
/// \ingroup infrastructure
struct Batch {
    arma::mat images;   ///< D x B
    arma::uvec labels;  ///< B
};

/// \brief Copies the samples \p indices[0 .. count-1] of \p data into
/// \p into, in that order, reusing its memory when it has the right shape.
/// \throws std::out_of_range if an index is not a sample of \p data.
void gather(const Dataset& data, const arma::uword* indices, arma::uword count, Batch& into);

/// \brief The mini-batches of one epoch, in a fresh random order.
///
/// Constructing it draws a new permutation from the seeded generator; the
/// dataset itself is neither copied nor reordered: each batch gathers its B
/// columns into a buffer that is reused from batch to batch. The last batch
/// holds the remaining N mod B samples if B does not divide N.
///
/// \code
/// for (const nn::Batch& batch : nn::MiniBatches(splits.train, 32)) {
///     loss += step(model, batch.images, batch.labels);
/// }
/// \endcode
/// \ingroup infrastructure
class MiniBatches {
public:
    /// \param data the samples (must outlive this object).
    /// \param batch_size B, at least 1.
    MiniBatches(const Dataset& data, std::size_t batch_size);

    /// \return the number of batches, ceil(N / B).
    std::size_t count() const { return count_; }
    /// \return the samples the batches are drawn from.
    const Dataset& data() const { return data_; }
    /// \return the sample indices in this epoch's order.
    const arma::uvec& order() const { return order_; }
    /// \return where batch \p index (0-based) is in order(): its first
    /// position and its number of samples.
    std::pair<arma::uword, arma::uword> range(std::size_t index) const;
    /// \brief Gathers batch \p index (0-based) into the shared buffer.
    /// \return the buffer, valid until the next call.
    const Batch& get(std::size_t index);

    /// Iterates over the batches in order; dereferencing gathers the batch.
    class Iterator {
    public:
        /// \param owner the batches; \param index position.
        Iterator(MiniBatches* owner, std::size_t index) : owner_(owner), index_(index) {}
        /// \return the current batch.
        const Batch& operator*() const { return owner_->get(index_); }
        /// Moves to the next batch.
        Iterator& operator++() {
            ++index_;
            return *this;
        }
        /// \return true if the iterators differ.
        bool operator!=(const Iterator& other) const { return index_ != other.index_; }

    private:
        MiniBatches* owner_;
        std::size_t index_;
    };
    /// \return an iterator to the first batch.
    Iterator begin() { return Iterator(this, 0); }
    /// \return the end iterator.
    Iterator end() { return Iterator(this, count_); }

private:
    const Dataset& data_;
    std::size_t batch_size_;
    std::size_t count_;
    arma::uvec order_;
    Batch buffer_;
};

}  // namespace nn
