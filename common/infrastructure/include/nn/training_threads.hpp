/// \file
/// \brief How a training run uses the cores: chosen by timing a few real
/// steps at the start, once per process, not by a rule of thumb.
///
/// Three ways to run the forward and backward pass of a mini-batch:
///
/// - **one BLAS thread**: every matrix product on the calling thread;
/// - **all BLAS threads**: OpenBLAS splits each product over the cores,
///   handing parts to its threads and waiting for them at every product;
/// - **split batch**: the batch's columns are cut in two halves that two
///   threads push through two copies of the network sharing its weights,
///   each with one BLAS thread; the two weight gradients are added. Two
///   hand-offs per step instead of two per product.
///
/// Which is fastest depends on the machine, the network and the batch size,
/// so training_threads() times each on the run's own network and data and
/// keeps the fastest. The environment variable `NN_TRAIN_THREADS`
/// (`one`, `blas` or `split`) or `NN_BLAS_THREADS` (a thread count, 0 for
/// the library's choice) skips the measurement.
///
/// \ingroup infrastructure
#pragma once

#include <armadillo>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nn/blas.hpp"
#include "nn/dataset.hpp"
#include "nn/network.hpp"

namespace nn {

/// \brief One of the three ways to run a training step.
/// \ingroup infrastructure
enum class StepStrategy {
    one_blas_thread,   ///< serial, one BLAS thread
    all_blas_threads,  ///< serial, the BLAS splits each product over the cores
    split_batch,       ///< two threads, half a batch each, one BLAS thread each
};

/// \return `one BLAS thread`, `all BLAS threads` or `split batch`.
std::string to_string(StepStrategy strategy);

/// \brief The way a training run uses the cores, and why.
/// \ingroup infrastructure
struct TrainingThreads {
    StepStrategy strategy = StepStrategy::one_blas_thread;  ///< the choice
    int blas_threads = 1;  ///< BLAS threads while training (0: the library's own setting)
    /// Seconds per step of each strategy that was timed, indexed by
    /// StepStrategy; negative where it was not timed.
    double step_seconds[3] = {-1.0, -1.0, -1.0};
    std::string reason;  ///< `measured`, or the environment variable that decided
    /// \return e.g. `split batch (measured per step: one BLAS thread 0.412 ms, all BLAS threads 0.530 ms, split batch
    /// 0.268 ms)`.
    std::string describe() const;
};

/// \brief Reads `NN_TRAIN_THREADS` and `NN_BLAS_THREADS` (the arguments are
/// their values, or nullptr when unset).
/// \return the forced choice, or nothing if neither is set.
/// \throws std::invalid_argument for a value that is neither `one`, `blas`,
/// `split` nor a thread count.
std::optional<TrainingThreads> forced_training_threads(const char* train_threads, const char* blas_threads);

/// \brief Forces a strategy in this process while it lives (for tests and
/// comparisons); the previous state comes back on destruction.
/// \ingroup infrastructure
class ForceTrainingThreads {
public:
    /// \param strategy the way every training step runs from now on.
    explicit ForceTrainingThreads(StepStrategy strategy);
    ~ForceTrainingThreads();
    ForceTrainingThreads(const ForceTrainingThreads&) = delete;
    ForceTrainingThreads& operator=(const ForceTrainingThreads&) = delete;

private:
    std::optional<TrainingThreads> previous_;
};

/// \brief A forward and backward pass of a mini-batch split over two threads.
///
/// Two replicas of the network share its weights and biases (no copies: they
/// point at the same memory, so the update of the original moves them too)
/// and hold their own cached inputs and gradients. A step runs the first
/// half of the batch on the calling thread and the second on a worker, then
/// adds the replicas' gradients into the network's own. Each half's loss
/// gradient is weighted by its share of the batch, so the sum is the
/// gradient of the whole batch's mean loss, equal to the serial one up to
/// rounding.
///
/// Dropout masks are drawn on the calling thread for the whole batch, by the
/// network's own dropout layers and in the serial order, and handed to the
/// replicas in halves: the random numbers drawn are the same as in a serial
/// step.
///
/// A network with batch normalisation (nn::BatchNorm) is never split: each
/// half would be normalised with the mean and variance of its own half,
/// which are not those of the batch, and the step would compute another
/// function than the serial one. Such a network trains with the serial step.
/// \ingroup infrastructure
class SplitBatchStep {
public:
    /// \return a splitter for \p network, or nullptr when it has a layer
    /// kind other than dense, relu, sigmoid and dropout, such as batchnorm
    /// (or the matrix library cannot share memory between matrices).
    /// \param network must outlive the splitter and keep its layers.
    static std::unique_ptr<SplitBatchStep> make(Sequential& network);

    /// \return whether every layer of \p network is of a kind the split
    /// knows (dense, relu, sigmoid, dropout), without making a splitter.
    static bool knows_layers(Sequential& network);

    ~SplitBatchStep();
    SplitBatchStep(const SplitBatchStep&) = delete;
    SplitBatchStep& operator=(const SplitBatchStep&) = delete;

    /// \brief Forward and backward pass of one batch; leaves the gradient of
    /// the batch's mean loss in every parameter of the network.
    /// \param images D x B, B >= 2. \param labels B classes.
    /// \return the batch's mean loss.
    double step(const arma::mat& images, const arma::uvec& labels);

    /// \brief The same for the samples \p indices[0 .. count-1] of \p data,
    /// which each thread gathers for its half: the copying is split too.
    /// \return the batch's mean loss.
    double step(const Dataset& data, const arma::uword* indices, arma::uword count);

private:
    explicit SplitBatchStep(Sequential& network);
    double run(arma::uword columns, arma::uword input_rows);
    void run_half(std::size_t half);
    void add_gradients(std::size_t half);
    void signal(std::atomic<unsigned long>& counter, unsigned long value);
    void work();

    Sequential& network_;
    Sequential replicas_[2];
    std::vector<Parameter> parameters_, replica_parameters_[2];
    std::vector<std::size_t> dropout_layers_;  // indices of the network's dropout layers
    std::vector<arma::uword> dropout_rows_;    // the rows of each one's input
    arma::mat ones_;                           // input for drawing a dropout mask

    // The batch of the current step: a matrix and its labels, or samples of
    // a dataset to gather (into the halves' own buffers); each half's result.
    const arma::mat* images_ = nullptr;
    const arma::uvec* labels_ = nullptr;
    const Dataset* data_ = nullptr;
    const arma::uword* indices_ = nullptr;
    Batch gathered_[2];
    arma::uword first_[3] = {0, 0, 0};  // half h is columns first_[h] .. first_[h + 1] - 1
    double loss_[2] = {0.0, 0.0};
    std::exception_ptr error_[2];

    // Hand-offs with the worker, by step number: the caller starts a step;
    // each side says when its backward pass is done (then both add half of
    // the gradients); the worker says when it has finished. Each side spins
    // for a moment before sleeping: a step lasts well under a millisecond.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<unsigned long> started_{0}, backward_done_[2] = {{0}, {0}}, finished_{0};
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

/// \brief The way to train \p network on \p data with mini-batches of
/// \p batch_size: forced by the environment, or measured by timing a few
/// steps of each strategy as training runs them (a batch gathered from
/// samples spread over \p data, forward and backward, and a pass over every
/// parameter like an SGD update, written to a scratch copy so that the
/// network does not change; dropout reuses a fixed mask, so no random
/// numbers are drawn; batch normalisation's running averages are put back
/// afterwards), in rounds, keeping the fastest. Measured once per
/// process for each network shape and batch size.
/// \return the choice (the same on later calls with the same shape).
TrainingThreads training_threads(Sequential& network, const Dataset& data, std::size_t batch_size);

/// \brief The measurement behind training_threads(), for any model.
/// \param shape names the network and batch size: a choice is measured once
/// per shape and process.
/// \param run_step runs one training step the given way without changing
/// the model or drawing random numbers; the caller has set the BLAS threads.
/// \param can_split whether split_batch is possible for this model.
/// \return the forced choice (split_batch becomes one_blas_thread where
/// \p can_split is false), or the measured one.
TrainingThreads choose_training_threads(const std::string& shape, const std::function<void(StepStrategy)>& run_step,
                                        bool can_split);

/// \brief Changes a gathered training batch (D x B) in place before its
/// step: the augmentation of chapter 7.
using BatchTransform = std::function<void(arma::mat&)>;

/// \brief The forward and backward pass of training steps, run as
/// training_threads() chose, with the BLAS thread setting in force for the
/// object's lifetime.
/// \ingroup infrastructure
class TrainingStep {
public:
    /// \param network the network to train; \param data the training set;
    /// \param batch_size B.
    TrainingStep(Sequential& network, const Dataset& data, std::size_t batch_size);
    ~TrainingStep();
    TrainingStep(const TrainingStep&) = delete;
    TrainingStep& operator=(const TrainingStep&) = delete;

    /// \brief Forward pass, loss, backward pass of batch \p index of
    /// \p batches: leaves the gradients in the network's parameters.
    /// With a \p transform (e.g. augmentation), the batch is gathered whole,
    /// transformed on this thread, then stepped.
    /// \return the batch's mean loss.
    double operator()(MiniBatches& batches, std::size_t index, const BatchTransform& transform = {});

    /// \return how this step runs.
    const TrainingThreads& choice() const { return choice_; }

private:
    Sequential& network_;
    TrainingThreads choice_;
    std::optional<BlasThreads> blas_;
    std::unique_ptr<SplitBatchStep> split_;
    Batch transformed_;  // the gathered batch a transform works on
};

/// \brief The serial training step: forward, loss_gradient(), backward.
/// \return the batch's mean loss.
double serial_step(Sequential& network, const arma::mat& images, const arma::uvec& labels);

}  // namespace nn
