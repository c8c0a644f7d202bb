/// \file
/// \brief The training loop the chapters from 3 on share: mini-batches,
/// forward, loss, backward, update; and evaluation in chunks.
///
/// It works with any model that has `forward(X)`, `backward(G)` and
/// `parameters()` (nn::Sequential, or a hand-built network as in chapter 3),
/// and with any update rule (plain SGD here, the optimisers of chapter 6).
#pragma once

#include <armadillo>
#include <cstddef>
#include <functional>
#include <vector>

#include "nn/dataset.hpp"
#include "nn/layers.hpp"
#include "nn/network.hpp"
#include "nn/progress.hpp"

namespace nn {

/// An update rule: changes the parameters using their gradients.
using UpdateRule = std::function<void(const std::vector<Parameter>&)>;

/// \brief Plain stochastic gradient descent: \f$\theta \leftarrow \theta - \eta\,\nabla_\theta L\f$
/// for every parameter.
/// \param parameters the parameters with their gradients.
/// \param learning_rate \f$\eta\f$.
inline void sgd_update(const std::vector<Parameter>& parameters, double learning_rate) {
    for (const Parameter& p : parameters) *p.value -= learning_rate * *p.gradient;
}

/// \brief Where the training loop reports batch progress (may be null).
struct EpochContext {
    Progress* progress = nullptr;  ///< live display, or nullptr
    int epoch = 1;                 ///< 1-based epoch, for the display
    int epochs = 1;                ///< total epochs, for the display
};

/// \brief One epoch of mini-batch training: for each batch of a fresh
/// shuffled order, forward, softmax cross-entropy, backward, \p update.
/// \param model anything with forward(), backward() and parameters().
/// \param data the training samples.
/// \param batch_size B.
/// \param update called once per batch with the model's parameters.
/// \param context progress display (optional).
/// \return the mean loss over all samples (each batch weighted by its size).
template <typename Model>
double train_one_epoch(Model& model, const Dataset& data, std::size_t batch_size, const UpdateRule& update,
                   const EpochContext& context = {}) {
    MiniBatches batches(data, batch_size);
    const std::vector<Parameter> parameters = model.parameters();
    double total = 0.0;
    std::size_t seen = 0, done = 0;
    for (const Batch& batch : batches) {
        auto [loss, gradient] = loss_gradient(model.forward(batch.images), batch.labels);
        model.backward(gradient);
        update(parameters);
        total += loss * batch.labels.n_elem;
        seen += batch.labels.n_elem;
        if (context.progress) context.progress->batch(context.epoch, context.epochs, ++done, batches.count(), total / seen);
    }
    return total / static_cast<double>(seen);
}

/// \brief The model's outputs for many samples, computed in chunks so that
/// no activation matrix holds more than \p chunk columns at once.
/// \return K x N outputs.
template <typename Model>
arma::mat predict_logits(Model& model, const arma::mat& images, std::size_t chunk = 5000) {
    arma::mat out;
    for (arma::uword first = 0; first < images.n_cols; first += chunk) {
        const arma::uword last = std::min<arma::uword>(first + chunk, images.n_cols) - 1;
        const arma::mat logits = model.forward(images.cols(first, last));
        if (out.is_empty()) out.set_size(logits.n_rows, images.n_cols);
        out.cols(first, last) = logits;
    }
    return out;
}

/// \return the fraction of \p data the model classifies correctly.
template <typename Model>
double evaluate_accuracy(Model& model, const Dataset& data) {
    const arma::uvec predicted = arma::index_max(predict_logits(model, data.images), 0).t();
    return static_cast<double>(arma::accu(predicted == data.labels)) / static_cast<double>(data.size());
}

}  // namespace nn
