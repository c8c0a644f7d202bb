// Fuzz target: the model loader (nn::read_model, what nn::load_model does
// once the file is open), then the loaded model classifying two images, as
// `predict` and `serve` do.
//
// Each input is loaded twice: as it is, and with its last 4 bytes replaced by
// the right CRC-32 of the rest, so that mutations reach the fields behind the
// checksum instead of stopping at it.
//
// Promises checked beyond "no crash, no huge allocation": a model that loads
// classifies a 28x28 image without an error, into exactly the classes of its
// dataset, with finite probabilities that sum to 1.

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/model.hpp"

namespace {

void check_classifies(nn::Classifier& model) {
    const nn::DatasetInfo info = nn::dataset_info(model.dataset);
    arma::mat images(info.image_size(), 2, arma::fill::zeros);
    images.submat(200, 1, 500, 1).fill(1.0);  // a blank image and a bar of ink
    const arma::mat p = model.probabilities(images);
    fuzz::fuzz_require(p.n_rows == info.num_classes() && p.n_cols == 2,
                       "a loaded model gives " + std::to_string(p.n_rows) + " probabilities for " +
                           std::to_string(info.num_classes()) + " classes");
    fuzz::fuzz_require(p.is_finite(), "a loaded model gives non-finite probabilities");
    for (arma::uword j = 0; j < p.n_cols; ++j)
        fuzz::fuzz_require(std::abs(arma::accu(p.col(j)) - 1.0) < 1e-6, "probabilities do not sum to 1");
}

void try_model(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    nn::Classifier model;
    try {
        model = nn::read_model(in, size, "input");
    } catch (const nn::InputError&) {
        return;
    } catch (const std::invalid_argument&) {
        return;
    }
    check_classifies(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try_model(data, size);
    if (size >= 4) {
        std::vector<std::uint8_t> fixed(data, data + size);
        const auto crc = static_cast<std::uint32_t>(crc32(0L, data, static_cast<uInt>(size - 4)));
        std::memcpy(fixed.data() + size - 4, &crc,
                    4);  // the format is little-endian, like this machine
        if (std::memcmp(fixed.data(), data, size) != 0) try_model(fixed.data(), fixed.size());
    }
    return 0;
}
