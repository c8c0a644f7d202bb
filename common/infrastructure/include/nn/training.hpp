/// \file
/// \brief The training loop the chapters from 3 on share: mini-batches,
/// forward, loss, backward, update; and evaluation in chunks.
///
/// It works with any model that has `forward(X)`, `backward(G)` and
/// `parameters()` (nn::Sequential, or a hand-built network as in chapter 3),
/// and with any update rule (plain SGD here, the optimisers of chapter 6).
///
/// \ingroup infrastructure
#pragma once

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <optional>
#include <sstream>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "nn/blas.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/layers.hpp"
#include "nn/network.hpp"
#include "nn/progress.hpp"
#include "nn/report.hpp"
#include "nn/softmax.hpp"
#include "nn/training_threads.hpp"

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
/// \ingroup infrastructure
struct EpochContext {
    Progress* progress = nullptr;  ///< live display, or nullptr
    int epoch = 1;                 ///< 1-based epoch, for the display
    int epochs = 1;                ///< total epochs, for the display
};

/// \brief Switches off the input gradient of a network's first dense layer
/// for as long as it lives (training never uses \f$\partial L/\partial X\f$;
/// a gradient check does, so it is switched back on afterwards).
/// \ingroup infrastructure
class SkipInputGradient {
public:
    /// \param network the network whose first layer may be a Dense.
    explicit SkipInputGradient(Sequential& network)
        : first_(network.size() ? dynamic_cast<Dense*>(&network.layer(0)) : nullptr) {
        if (first_) first_->input_gradient = false;
    }
    ~SkipInputGradient() {
        if (first_) first_->input_gradient = true;
    }
    SkipInputGradient(const SkipInputGradient&) = delete;
    SkipInputGradient& operator=(const SkipInputGradient&) = delete;

private:
    Dense* first_;
};

/// \brief How training \p model (a Sequential network, or any model with
/// forward(), backward() and parameters()) on \p data at \p batch_size uses
/// the cores: training_threads() for a network; for another model the
/// choice between one BLAS thread and all of them, measured the same way.
/// Measured at the first call for each shape, as the training runs it (the
/// first layer computes no input gradient).
template <typename Model>
TrainingThreads training_threads_for_epochs(Model& model, const Dataset& data, std::size_t batch_size) {
    if constexpr (std::is_same_v<Model, Sequential>) {
        const SkipInputGradient skip(model);
        return training_threads(model, data, batch_size);
    } else {
        std::string shape = typeid(Model).name();
        for (const Parameter& p : model.parameters())
            shape += " " + std::to_string(p.value->n_rows) + "x" + std::to_string(p.value->n_cols);
        const arma::uword columns = static_cast<arma::uword>(std::min(batch_size, data.size()));
        shape += ", input " + std::to_string(data.images.n_rows) + ", batch " + std::to_string(batch_size);
        std::optional<Batch> first;  // copied only if a measurement runs
        return choose_training_threads(
            shape,
            [&](StepStrategy) {
                if (!first) first = Batch{data.images.cols(0, columns - 1), data.labels.head(columns)};
                model.backward(loss_gradient(model.forward(first->images), first->labels).second);
            },
            false);
    }
}

/// \brief One epoch of mini-batch training: for each batch of a fresh
/// shuffled order, forward, softmax cross-entropy, backward, \p update.
///
/// The forward and backward passes run as training_threads_for_epochs()
/// chose for this model and batch size (one BLAS thread, all of them, or
/// for a Sequential network the batch split over two threads); the updates
/// always run on the calling thread.
/// \param model a Sequential network, or anything with forward(),
/// backward() and parameters().
/// \param data the training samples.
/// \param batch_size B.
/// \param update called once per batch with the model's parameters.
/// \param context progress display (optional).
/// \param transform changes each gathered batch before its step (augmentation), or empty.
/// \return the mean loss over all samples (each batch weighted by its size).
template <typename Model>
double minibatch_epoch(Model& model, const Dataset& data, std::size_t batch_size, const UpdateRule& update,
                       const EpochContext& context = {}, const BatchTransform& transform = {}) {
    std::optional<SkipInputGradient> skip;
    if constexpr (std::is_same_v<Model, Sequential>) skip.emplace(model);
    MiniBatches batches(data, batch_size);
    const std::vector<Parameter> parameters = model.parameters();
    std::optional<TrainingStep> network_step;
    std::optional<BlasThreads> threads;
    if constexpr (std::is_same_v<Model, Sequential>)
        network_step.emplace(model, data, batch_size);
    else
        threads.emplace(training_threads_for_epochs(model, data, batch_size).blas_threads);
    double total = 0.0;
    std::size_t seen = 0, done = 0;
    for (std::size_t index = 0; index < batches.count(); ++index) {
        double loss = 0.0;
        if constexpr (std::is_same_v<Model, Sequential>) {
            loss = (*network_step)(batches, index, transform);
        } else {
            const Batch& gathered = batches.get(index);
            std::optional<Batch> transformed;
            if (transform) transform(transformed.emplace(gathered).images);
            const Batch& batch = transformed ? *transformed : gathered;
            auto [batch_loss, gradient] = loss_gradient(model.forward(batch.images), batch.labels);
            model.backward(gradient);
            loss = batch_loss;
        }
        update(parameters);
        const std::size_t size = batches.range(index).second;
        total += loss * static_cast<double>(size);
        seen += size;
        if (context.progress)
            context.progress->batch(context.epoch, context.epochs, ++done, batches.count(), total / seen);
    }
    return total / static_cast<double>(seen);
}

/// \brief The model's outputs for the first \p count samples (all by
/// default), computed in chunks so that no activation matrix holds more than
/// \p chunk columns at once. The images are never copied: each chunk is a
/// matrix that uses their memory. The layers keep their last inputs (for a
/// backward pass), so the chunk size bounds what evaluation adds to the peak
/// memory: with 256 columns and 787-512-256-10, about 6 MB.
/// \return K x count outputs.
template <typename Model>
arma::mat predict_logits(Model& model, const arma::mat& images, std::size_t count = SIZE_MAX, std::size_t chunk = 256) {
    count = std::min<std::size_t>(count, images.n_cols);
    arma::mat out;
    for (arma::uword first = 0; first < count; first += chunk) {
        const arma::uword last = std::min<arma::uword>(first + chunk, count) - 1;
        // Read-only use of the images' own memory (forward() takes a const matrix).
        const arma::mat columns(const_cast<double*>(images.colptr(first)), images.n_rows, last - first + 1, false,
                                true);
        const arma::mat logits = model.forward(columns);
        if (out.is_empty()) out.set_size(logits.n_rows, count);
        out.cols(first, last) = logits;
    }
    return out;
}

/// \return the fraction of the first \p count samples of \p data (all by
/// default) that the model classifies correctly.
template <typename Model>
double evaluate_accuracy(Model& model, const Dataset& data, std::size_t count = SIZE_MAX) {
    count = std::min<std::size_t>(count, data.size());
    const arma::uvec predicted = arma::index_max(predict_logits(model, data.images, count), 0).t();
    return static_cast<double>(arma::accu(predicted == data.labels.head(count))) / static_cast<double>(count);
}

/// \brief The sanity check before training (`--initial-loss`): prints the
/// mean loss of an untrained model on training images and its accuracy on
/// training and validation images. With K classes and logits close to equal,
/// the loss is about \f$\ln K\f$ (2.3026 for 10 classes) and each accuracy
/// about 1/K; a loss far above \f$\ln K\f$ means the initial logits are too
/// large. The chapter programs of chapters 2 to 4 print it when asked.
/// \param out where to print.
/// \param train_logits, train_labels the untrained model's logits (K x N) of N training images, and their labels.
/// \param validation_logits, validation_labels the same for the validation images.
inline void print_initial_loss(std::ostream& out, const arma::mat& train_logits, const arma::uvec& train_labels,
                               const arma::mat& validation_logits, const arma::uvec& validation_labels) {
    const auto accuracy = [](const arma::mat& logits, const arma::uvec& labels) {
        return static_cast<double>(arma::accu(arma::index_max(logits, 0).t() == labels)) /
               static_cast<double>(labels.n_elem);
    };
    std::ostringstream line;
    line << std::fixed << std::setprecision(4) << "before training  loss " << cross_entropy(train_logits, train_labels)
         << " (ln " << train_logits.n_rows << " = " << std::log(static_cast<double>(train_logits.n_rows)) << ")  train "
         << percent(accuracy(train_logits, train_labels)) << "  val "
         << percent(accuracy(validation_logits, validation_labels)) << '\n';
    out << line.str();
}

/// \brief print_initial_loss() for a model with forward(): its logits on the
/// first \p train_sample training images and on every validation image.
template <typename Model>
void print_initial_loss(std::ostream& out, Model& model, const Dataset& train, const Dataset& validation,
                        std::size_t train_sample = 10000) {
    const std::size_t count = std::min(train_sample, train.size());
    print_initial_loss(out, predict_logits(model, train.images, count), train.labels.head(count),
                       predict_logits(model, validation.images), validation.labels);
}

/// \brief How train_and_validate() runs. Set the fields by name:
/// \code
/// nn::TrainSettings settings;
/// settings.epochs = 20;
/// settings.out = &std::cout;
/// \endcode
/// \ingroup infrastructure
struct TrainSettings {
    int epochs = 10;                   ///< passes over the training data
    std::size_t batch_size = 32;       ///< samples per mini-batch
    double learning_rate = 0.1;        ///< quoted if the loss diverges
    std::size_t train_sample = 10000;  ///< training accuracy is measured on this many training samples
    bool switch_modes = false;         ///< evaluate in evaluation mode (set_training(), chapter 5 on)
    std::ostream* out = nullptr;       ///< progress display; nullptr prints nothing
    BatchTransform transform;          ///< changes each training batch before its step (augmentation), or empty
};

/// \brief Trains for settings.epochs epochs, measuring training (on a
/// sample) and validation accuracy after each, with a progress display.
/// With a display (settings.out), it first prints how the training steps use
/// the cores (training_threads_for_epochs()).
/// \param model the model (with set_training() if settings.switch_modes).
/// \param train training samples; \param validation validation samples.
/// \param settings epochs, batch size, display.
/// \param update the update rule, called once per batch.
/// \param before_epoch called with the 0-based epoch before it starts (e.g. a schedule), or empty.
/// \param after_epoch called with each epoch's report; returning false stops training early; or empty.
/// \return the history of the epochs run.
/// \throws nn::TrainingDiverged if the loss becomes NaN or infinite.
template <typename Model>
History train_and_validate(Model& model, const Dataset& train, const Dataset& validation, const TrainSettings& settings,
                           const UpdateRule& update, const std::function<void(int)>& before_epoch = {},
                           const std::function<bool(const EpochReport&)>& after_epoch = {}) {
    std::ostringstream discard;
    Progress progress(settings.out ? *settings.out : discard, settings.out ? std::nullopt : std::optional<bool>(false));
    const auto accuracy = [&](const Dataset& data, std::size_t count) {
        if constexpr (std::is_same_v<Model, Sequential>) {
            if (settings.switch_modes) model.set_training(false);
            const double result = evaluate_accuracy(model, data, count);
            if (settings.switch_modes) model.set_training(true);
            return result;
        } else {
            return evaluate_accuracy(model, data, count);
        }
    };
    if (settings.out)
        *settings.out << "cores: " << training_threads_for_epochs(model, train, settings.batch_size).describe() << '\n';
    History history;
    for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
        if (before_epoch) before_epoch(epoch - 1);
        Timer timer;
        const double loss = minibatch_epoch(model, train, settings.batch_size, update,
                                            {&progress, epoch, settings.epochs}, settings.transform);
        require_finite_loss(loss, epoch, settings.learning_rate);
        const double seconds = timer.seconds();
        history.epochs.push_back({epoch, settings.epochs, loss, accuracy(train, settings.train_sample),
                                  accuracy(validation, SIZE_MAX), seconds});
        progress.epoch_done(history.epochs.back());
        if (after_epoch && !after_epoch(history.epochs.back())) break;
    }
    return history;
}

/// \brief evaluate_accuracy() of a network in evaluation mode (dropout off),
/// back in training mode afterwards. Chapter 5 on.
inline double evaluate_in_eval_mode(Sequential& network, const Dataset& data) {
    network.set_training(false);
    const double result = evaluate_accuracy(network, data);
    network.set_training(true);
    return result;
}

}  // namespace nn
