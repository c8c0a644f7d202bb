/// \file
/// \brief A trained classifier as one object and one file: the feature
/// pipeline with its standardisation statistics, the network, and what it
/// was trained on.
///
/// The file format (version 1), little-endian:
/// - magic `NNSCMODL` (8 bytes), format version (u32);
/// - dataset, features and activation names (u32 length + bytes each); the
///   activation is `relu`, `sigmoid`, `tanh` or `leaky_relu`, the last with
///   the slope nn::default_leaky_slope (0.01), which the file does not store;
/// - dropout and recorded test accuracy (f64 each; NaN if not measured);
/// - layer sizes: count (u32) then each (u32), input first;
/// - standardisation: feature count (u32), then means and scales (f64 each);
/// - for each dense layer: weights (out x in, column-major f64), bias (out f64);
/// - CRC-32 of everything before it (u32).
///
/// Files are written atomically (a temporary file, flushed to disk, then
/// renamed into place), so an interrupted save never leaves a broken model;
/// the temporary file a killed save leaves behind is removed by the next save
/// of the same file (see nn::write_file_atomically).
///
/// Loading reads the file once, field by field, and never holds it whole: the
/// magic and version first, then the header, whose layer sizes must fit the
/// dataset (as many outputs as classes) and the features (as many inputs as
/// they give); the bytes the numbers need are checked against the bytes left
/// before anything is allocated; then the checksum, and the numbers
/// themselves (finite weights and statistics, scales above 0). A truncated,
/// corrupt or inconsistent file is an nn::InputError naming the file and the
/// field; save_model() refuses to write a model that loading would refuse.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "nn/features.hpp"
#include "nn/network.hpp"

namespace nn {

/// \brief Everything needed to classify raw 28x28 images.
/// \ingroup infrastructure
struct Classifier {
    std::string dataset = "mnist";            ///< what it was trained on: mnist or fashion
    Features features = Features::raw;        ///< the feature pipeline
    std::string activation = "relu";          ///< hidden activation: relu, sigmoid, tanh or leaky_relu
    std::vector<arma::uword> sizes;           ///< layer widths, input first, e.g. {787, 256, 128, 10}
    double dropout = 0.0;                     ///< drop probability after hidden layers (training only)
    Standardizer standardizer;                ///< fitted on the training split
    double test_accuracy = arma::datum::nan;  ///< measured once after training, NaN if not
    Sequential network;                       ///< the layers

    /// \brief Builds an untrained network for the architecture fields.
    void build_network();
    /// \brief Raw images (784 x N, pixels in [0, 1]) to standardised features.
    arma::mat prepare(const arma::mat& images) const;
    /// \brief Class probabilities (K x N) of raw images, dropout off.
    arma::mat probabilities(const arma::mat& images);
};

/// \brief Writes \p model to \p path atomically (temporary file, then rename).
/// \throws nn::InputError if the model is not one load_model() would accept
/// (e.g. a NaN dropout or weight), or it cannot be written; the old file, if
/// any, is then untouched.
void save_model(const std::string& path, Classifier& model);

/// \brief Reads a model file.
/// \throws nn::InputError naming the file and what is wrong: missing, not a
/// model file (magic), another format version, truncated, a corrupt or
/// inconsistent field, a checksum mismatch, or a NaN or infinite number.
Classifier load_model(const std::string& path);

/// \brief Reads a model from \p size bytes of \p in (what load_model() does
/// once the file is open), e.g. from memory through a std::istringstream.
/// \param in the stream, positioned at the first byte of the model.
/// \param size how many bytes of \p in hold the model (a field that needs more
/// is reported as truncated).
/// \param name how to refer to the model in errors (a file name).
/// \throws nn::InputError as load_model().
Classifier read_model(std::istream& in, std::uint64_t size, const std::string& name);

}  // namespace nn
