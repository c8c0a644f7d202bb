// How training uses the cores: the three step strategies, the measurement
// that chooses between them, and the two-thread split of a batch.

#include "nn/training_threads.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>
#include <typeinfo>
#include <utility>

#include "nn/batch_norm.hpp"
#include "nn/dropout.hpp"
#include "nn/timer.hpp"

namespace nn {
namespace {

constexpr int strategy_count = 3;
constexpr StepStrategy strategies[strategy_count] = {StepStrategy::one_blas_thread, StepStrategy::all_blas_threads,
                                                     StepStrategy::split_batch};

// A hint to the processor that this thread is waiting for another.
inline void cpu_pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// Waits until ready() holds: spins for up to a millisecond (a hand-off
// within a training step is a matter of microseconds), then sleeps on the
// condition variable. The state is atomic, so the spinning reads need no
// lock; the other side changes it under the mutex and then notifies, so a
// thread about to sleep cannot miss the change.
template <typename Ready>
void wait_for(std::mutex& mutex, std::condition_variable& wake, Ready ready) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    for (unsigned i = 1; !ready(); ++i) {
        cpu_pause();
        if (i % 64 == 0 && std::chrono::steady_clock::now() > give_up) {
            std::unique_lock<std::mutex> lock(mutex);
            wake.wait(lock, ready);
            return;
        }
    }
}

// The rows of the input of each layer, for a network fed \p input_rows rows.
std::vector<arma::uword> input_rows_of_layers(Sequential& network, arma::uword input_rows) {
    std::vector<arma::uword> rows;
    for (std::size_t i = 0; i < network.size(); ++i) {
        rows.push_back(input_rows);
        if (const auto* dense = dynamic_cast<const Dense*>(&network.layer(i))) input_rows = dense->weights.n_rows;
    }
    return rows;
}

// While it lives, every dropout layer in training mode reuses a fixed mask
// of ones for a batch of \p columns: forward passes draw no random numbers.
class FixedDropoutMasks {
public:
    FixedDropoutMasks(Sequential& network, arma::uword input_rows, arma::uword columns) {
        const std::vector<arma::uword> rows = input_rows_of_layers(network, input_rows);
        for (std::size_t i = 0; i < network.size(); ++i) {
            auto* dropout = dynamic_cast<Dropout*>(&network.layer(i));
            if (!dropout || !dropout->training()) continue;
            saved_.push_back({dropout, dropout->reuse_mask, dropout->mask});
            dropout->reuse_mask = true;
            dropout->mask.ones(rows[i], columns);
        }
    }
    ~FixedDropoutMasks() {
        for (Saved& s : saved_) {
            s.layer->reuse_mask = s.reuse_mask;
            s.layer->mask = std::move(s.mask);
        }
    }
    FixedDropoutMasks(const FixedDropoutMasks&) = delete;
    FixedDropoutMasks& operator=(const FixedDropoutMasks&) = delete;

private:
    struct Saved {
        Dropout* layer;
        bool reuse_mask;
        arma::mat mask;
    };
    std::vector<Saved> saved_;
};

// While it lives, the running averages of every batch normalisation layer
// are kept aside, and they are put back when it ends: the steps that time the
// strategies are training steps, and would otherwise average their batch
// into the statistics the network evaluates with.
class KeptBatchNormStatistics {
public:
    explicit KeptBatchNormStatistics(Sequential& network) {
        for (std::size_t i = 0; i < network.size(); ++i)
            if (auto* layer = dynamic_cast<BatchNorm*>(&network.layer(i)))
                kept_.push_back({layer, layer->running_mean, layer->running_variance});
    }
    ~KeptBatchNormStatistics() {
        for (Kept& k : kept_) {
            k.layer->running_mean = std::move(k.mean);
            k.layer->running_variance = std::move(k.variance);
        }
    }
    KeptBatchNormStatistics(const KeptBatchNormStatistics&) = delete;
    KeptBatchNormStatistics& operator=(const KeptBatchNormStatistics&) = delete;

private:
    struct Kept {
        BatchNorm* layer;
        arma::mat mean, variance;
    };
    std::vector<Kept> kept_;
};

// Makes \p alias point at the memory of \p target: moving a matrix built on
// borrowed memory hands over the pointer rather than the values.
// \return whether it does (the matrix library may choose to copy instead).
bool share_memory(arma::mat& alias, arma::mat& target) {
    alias = arma::mat(target.memptr(), target.n_rows, target.n_cols, false, true);
    return alias.memptr() == target.memptr();
}

// A layer of a replica: the same kind, sharing the weights of \p layer.
// \return nullptr for a kind the split does not know.
std::unique_ptr<Layer> replica_of(Layer& layer) {
    std::unique_ptr<Layer> copy;
    if (typeid(layer) == typeid(Dense)) {
        auto& dense = static_cast<Dense&>(layer);
        auto replica = std::make_unique<Dense>(0, 0);
        if (!share_memory(replica->weights, dense.weights) || !share_memory(replica->bias, dense.bias)) return nullptr;
        replica->weights_gradient.zeros(arma::size(dense.weights));
        replica->bias_gradient.zeros(arma::size(dense.bias));
        replica->input_gradient = dense.input_gradient;
        copy = std::move(replica);
    } else if (typeid(layer) == typeid(ReLU)) {
        copy = std::make_unique<ReLU>();
    } else if (typeid(layer) == typeid(Sigmoid)) {
        copy = std::make_unique<Sigmoid>();
    } else if (typeid(layer) == typeid(Dropout)) {
        auto replica = std::make_unique<Dropout>(static_cast<Dropout&>(layer).drop_probability);
        replica->reuse_mask = true;  // the network's own layer draws the masks
        copy = std::move(replica);
    } else {
        return nullptr;
    }
    copy->Layer::set_training(layer.training());
    return copy;
}

// State shared by every training run of the process.
struct Choices {
    std::mutex mutex;
    std::optional<TrainingThreads> forced;            // by ForceTrainingThreads, or the environment
    std::map<std::string, TrainingThreads> measured;  // by network shape and batch size
    int library_threads = -1;                         // the BLAS's own thread count, read once
    // Until when OpenBLAS's threads may still be spinning after the last
    // product that used them.
    std::chrono::steady_clock::time_point blas_threads_spin_until;
};

// OpenBLAS's threads keep spinning for a while after a product before they
// sleep (on the course's machine: timings of the split step were back to
// normal 300 ms after training on all BLAS threads, not before).
constexpr std::chrono::milliseconds blas_spin_time(300);

Choices& choices() {
    static Choices state;
    static bool read_environment = [] {
        state.forced = forced_training_threads(std::getenv("NN_TRAIN_THREADS"), std::getenv("NN_BLAS_THREADS"));
        return true;
    }();
    (void)read_environment;
    return state;
}

std::string milliseconds(double seconds) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3) << seconds * 1e3 << " ms";
    return text.str();
}

// Times \p run_step with each available strategy and keeps the fastest.
TrainingThreads measure(const std::function<void(StepStrategy)>& run_step, bool can_split, int library_threads,
                        std::chrono::steady_clock::time_point& blas_threads_spin_until) {
    TrainingThreads result;
    result.reason = "measured";
    const unsigned cores = std::thread::hardware_concurrency();
    const bool available[strategy_count] = {true, library_threads != 1 && cores >= 2, can_split && cores >= 2};
    // Times blocks of steps of each strategy in \p order, five rounds, with
    // \p threads BLAS threads set for the whole measurement (changing the
    // setting between steps costs time of its own); keeps each one's best.
    int steps = 1;
    const auto time_rounds = [&](std::initializer_list<StepStrategy> order, int threads) {
        const BlasThreads setting(threads);
        for (StepStrategy s : order)
            if (available[static_cast<int>(s)]) run_step(s);  // warm up caches and threads
        for (int round = 0; round < 5; ++round) {
            for (StepStrategy s : order) {
                const int index = static_cast<int>(s);
                if (!available[index]) continue;
                Timer timer;
                for (int i = 0; i < steps; ++i) run_step(s);
                const double per_step = timer.seconds() / steps;
                double& best = result.step_seconds[index];
                if (best < 0.0 || per_step < best) best = per_step;
            }
        }
    };
    // Enough steps for a round of about 4 ms per strategy. The serial
    // one-thread and split steps alternate, so that a slow moment of the
    // machine hits both; all BLAS threads come last and on their own:
    // OpenBLAS's threads keep spinning for a while after a product, and
    // would take a core from the split step's second thread.
    {
        const BlasThreads one(1);
        run_step(StepStrategy::one_blas_thread);
        Timer timer;
        run_step(StepStrategy::one_blas_thread);
        steps = static_cast<int>(std::clamp(std::ceil(0.004 / std::max(timer.seconds(), 1e-7)), 1.0, 200.0));
    }
    // Spinning BLAS threads would take a core from the split step's second
    // thread and make it look many times slower than it trains.
    if (available[static_cast<int>(StepStrategy::split_batch)]) std::this_thread::sleep_until(blas_threads_spin_until);
    time_rounds({StepStrategy::one_blas_thread, StepStrategy::split_batch}, 1);
    if (available[static_cast<int>(StepStrategy::all_blas_threads)]) {
        time_rounds({StepStrategy::all_blas_threads}, library_threads);
        blas_threads_spin_until = std::chrono::steady_clock::now() + blas_spin_time;
    }
    for (StepStrategy s : strategies) {
        const int index = static_cast<int>(s);
        if (available[index] && result.step_seconds[index] < result.step_seconds[static_cast<int>(result.strategy)])
            result.strategy = s;
    }
    result.blas_threads = result.strategy == StepStrategy::all_blas_threads ? library_threads : 1;
    return result;
}

}  // namespace

std::string to_string(StepStrategy strategy) {
    switch (strategy) {
        case StepStrategy::one_blas_thread:
            return "one BLAS thread";
        case StepStrategy::all_blas_threads:
            return "all BLAS threads";
        case StepStrategy::split_batch:
            return "split batch";
    }
    return "?";
}

std::string TrainingThreads::describe() const {
    std::string text = to_string(strategy);
    if (strategy == StepStrategy::all_blas_threads)
        text += blas_threads > 0 ? " (" + std::to_string(blas_threads) + ")" : " (the library's setting)";
    if (reason != "measured") return text + ", set by " + reason;
    text += "; measured per step:";
    const char* separator = " ";
    for (StepStrategy s : strategies) {
        const double seconds = step_seconds[static_cast<int>(s)];
        if (seconds < 0.0) continue;
        text += separator + to_string(s) + " " + milliseconds(seconds);
        separator = ", ";
    }
    return text;
}

std::optional<TrainingThreads> forced_training_threads(const char* train_threads, const char* blas_threads) {
    TrainingThreads forced;
    if (train_threads && *train_threads) {
        const std::string value = train_threads;
        forced.reason = "NN_TRAIN_THREADS=" + value;
        if (value == "one") {
            forced.strategy = StepStrategy::one_blas_thread;
        } else if (value == "blas") {
            forced.strategy = StepStrategy::all_blas_threads;
            forced.blas_threads = 0;
        } else if (value == "split") {
            forced.strategy = StepStrategy::split_batch;
        } else {
            throw std::invalid_argument("NN_TRAIN_THREADS must be one, blas or split, not '" + value + "'");
        }
        return forced;
    }
    if (blas_threads && *blas_threads) {
        const std::string value = blas_threads;
        char* end = nullptr;
        const long threads = std::strtol(value.c_str(), &end, 10);
        if (*end != '\0' || threads < 0 || threads > 1024)
            throw std::invalid_argument("NN_BLAS_THREADS must be a thread count (0 for the library's choice), not '" +
                                        value + "'");
        forced.reason = "NN_BLAS_THREADS=" + value;
        forced.strategy = threads == 1 ? StepStrategy::one_blas_thread : StepStrategy::all_blas_threads;
        forced.blas_threads = static_cast<int>(threads);
        return forced;
    }
    return std::nullopt;
}

ForceTrainingThreads::ForceTrainingThreads(StepStrategy strategy) {
    Choices& state = choices();
    const std::lock_guard<std::mutex> lock(state.mutex);
    previous_ = state.forced;
    TrainingThreads forced;
    forced.strategy = strategy;
    forced.blas_threads = strategy == StepStrategy::all_blas_threads ? 0 : 1;
    forced.reason = "the program";
    state.forced = forced;
}

ForceTrainingThreads::~ForceTrainingThreads() {
    Choices& state = choices();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.forced = previous_;
}

double serial_step(Sequential& network, const arma::mat& images, const arma::uvec& labels) {
    auto [loss, gradient] = loss_gradient(network.forward(images), labels);
    network.backward(gradient);
    return loss;
}

bool SplitBatchStep::knows_layers(Sequential& network) {
    // Batch normalisation is left out on purpose, not for want of a replica:
    // each half would be normalised with its own half's mean and variance,
    // which are not the batch's, so the split step would compute another
    // function than the serial one.
    for (std::size_t i = 0; i < network.size(); ++i) {
        const std::type_info& kind = typeid(network.layer(i));
        if (kind != typeid(Dense) && kind != typeid(ReLU) && kind != typeid(Sigmoid) && kind != typeid(Dropout))
            return false;
    }
    return true;
}

std::unique_ptr<SplitBatchStep> SplitBatchStep::make(Sequential& network) {
    std::unique_ptr<SplitBatchStep> split(new SplitBatchStep(network));
    for (std::size_t i = 0; i < network.size(); ++i) {
        for (Sequential& replica : split->replicas_) {
            std::unique_ptr<Layer> layer = replica_of(network.layer(i));
            if (!layer) return nullptr;
            replica.add(std::move(layer));
        }
        if (typeid(network.layer(i)) == typeid(Dropout)) split->dropout_layers_.push_back(i);
    }
    split->parameters_ = network.parameters();
    for (int half = 0; half < 2; ++half) split->replica_parameters_[half] = split->replicas_[half].parameters();
    // The first replica writes its gradients straight into the network's.
    for (std::size_t p = 0; p < split->parameters_.size(); ++p)
        if (!share_memory(*split->replica_parameters_[0][p].gradient, *split->parameters_[p].gradient)) return nullptr;
    split->worker_ = std::thread(&SplitBatchStep::work, split.get());
    return split;
}

SplitBatchStep::SplitBatchStep(Sequential& network) : network_(network) {}

SplitBatchStep::~SplitBatchStep() {
    if (!worker_.joinable()) return;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

double SplitBatchStep::step(const arma::mat& images, const arma::uvec& labels) {
    if (labels.n_elem != images.n_cols)
        throw std::invalid_argument("SplitBatchStep: " + std::to_string(images.n_cols) + " images but " +
                                    std::to_string(labels.n_elem) + " labels");
    images_ = &images;
    labels_ = &labels;
    data_ = nullptr;
    return run(images.n_cols, images.n_rows);
}

double SplitBatchStep::step(const Dataset& data, const arma::uword* indices, arma::uword count) {
    data_ = &data;
    indices_ = indices;
    images_ = nullptr;
    labels_ = nullptr;
    return run(count, data.images.n_rows);
}

double SplitBatchStep::run(arma::uword columns, arma::uword input_rows) {
    if (columns < 2) throw std::invalid_argument("SplitBatchStep: need at least 2 samples");
    first_[1] = columns / 2;
    first_[2] = columns;

    // The masks of the whole batch, drawn by the network's own dropout
    // layers in the order a serial forward pass draws them.
    if (!dropout_layers_.empty()) {
        const std::vector<arma::uword> rows = input_rows_of_layers(network_, input_rows);
        for (const std::size_t i : dropout_layers_) {
            auto& dropout = static_cast<Dropout&>(network_.layer(i));
            if (!dropout.training()) continue;
            if (ones_.n_rows != rows[i] || ones_.n_cols != columns) ones_.ones(rows[i], columns);
            dropout.forward(ones_);
            for (int half = 0; half < 2; ++half)
                static_cast<Dropout&>(replicas_[half].layer(i)).mask =
                    dropout.mask.cols(first_[half], first_[half + 1] - 1);
        }
    }

    const unsigned long step = started_ + 1;
    signal(started_, step);
    run_half(0);
    signal(backward_done_[0], step);
    wait_for(mutex_, wake_, [&] { return backward_done_[1] == step; });
    if (!error_[0] && !error_[1]) add_gradients(0);
    wait_for(mutex_, wake_, [&] { return finished_ == step; });
    for (std::exception_ptr& error : error_)
        if (error) std::rethrow_exception(std::exchange(error, nullptr));
    return (loss_[0] * static_cast<double>(first_[1]) + loss_[1] * static_cast<double>(columns - first_[1])) /
           static_cast<double>(columns);
}

void SplitBatchStep::signal(std::atomic<unsigned long>& counter, unsigned long value) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        counter = value;
    }
    wake_.notify_all();
}

void SplitBatchStep::run_half(std::size_t half) {
    try {
        const arma::uword first = first_[half], count = first_[half + 1] - first;
        std::optional<arma::mat> view_images;
        std::optional<arma::uvec> view_labels;
        if (data_) {
            gather(*data_, indices_ + first, count, gathered_[half]);
        } else {  // views of the batch's columns, not copies
            view_images.emplace(const_cast<double*>(images_->colptr(first)), images_->n_rows, count, false, true);
            view_labels.emplace(const_cast<arma::uword*>(labels_->memptr()) + first, count, false, true);
        }
        const arma::mat& images = data_ ? gathered_[half].images : *view_images;
        const arma::uvec& labels = data_ ? gathered_[half].labels : *view_labels;
        auto [loss, gradient] = loss_gradient(replicas_[half].forward(images), labels);
        // The half's gradient is of its own mean loss; its share of the
        // batch's mean is count / B of it.
        gradient *= static_cast<double>(count) / static_cast<double>(first_[2]);
        replicas_[half].backward(gradient);
        loss_[half] = loss;
    } catch (...) {
        error_[half] = std::current_exception();
    }
}

void SplitBatchStep::add_gradients(std::size_t half) {
    // The first replica wrote its gradients into the network's own; add the
    // second's. Each thread takes half of every parameter's elements.
    for (std::size_t p = 0; p < parameters_.size(); ++p) {
        double* total = parameters_[p].gradient->memptr();
        const double* second = replica_parameters_[1][p].gradient->memptr();
        const arma::uword count = parameters_[p].gradient->n_elem;
        const arma::uword begin = half == 0 ? 0 : count / 2, end = half == 0 ? count / 2 : count;
        for (arma::uword i = begin; i < end; ++i) total[i] += second[i];
    }
}

void SplitBatchStep::work() {
    unsigned long step = 0;
    for (;;) {
        wait_for(mutex_, wake_, [&] { return stop_ || started_ != step; });
        if (stop_) return;
        step = started_;
        run_half(1);
        signal(backward_done_[1], step);
        wait_for(mutex_, wake_, [&] { return backward_done_[0] == step; });
        if (!error_[0] && !error_[1]) add_gradients(1);
        signal(finished_, step);
    }
}

TrainingThreads choose_training_threads(const std::string& shape, const std::function<void(StepStrategy)>& run_step,
                                        bool can_split) {
    Choices& state = choices();
    const std::lock_guard<std::mutex> lock(state.mutex);
    if (state.forced) {
        TrainingThreads forced = *state.forced;
        if (forced.strategy == StepStrategy::split_batch && !can_split) forced.strategy = StepStrategy::one_blas_thread;
        return forced;
    }
    if (state.library_threads < 0) state.library_threads = blas_threads();
    auto found = state.measured.find(shape);
    if (found == state.measured.end())
        found = state.measured
                    .emplace(shape, measure(run_step, can_split, state.library_threads, state.blas_threads_spin_until))
                    .first;
    return found->second;
}

TrainingThreads training_threads(Sequential& network, const Dataset& data, std::size_t batch_size) {
    const arma::uword columns = static_cast<arma::uword>(std::min(batch_size, data.size()));
    // The splitter (a worker thread) is made only if a measurement runs.
    const bool can_split =
        std::thread::hardware_concurrency() >= 2 && columns >= 2 && SplitBatchStep::knows_layers(network);
    std::unique_ptr<SplitBatchStep> split;
    // A step as training runs it: a batch gathered from samples spread over
    // the data, forward and backward, and a pass over every parameter like
    // an SGD update (into a scratch copy: the network is not changed). The
    // update runs on this thread whatever the strategy, and the other
    // thread, spinning meanwhile, can slow it down.
    std::optional<arma::uvec> indices;
    std::optional<FixedDropoutMasks> fixed;
    std::optional<KeptBatchNormStatistics> kept;
    Batch batch;
    std::vector<Parameter> parameters;
    std::vector<arma::mat> scratch;
    const auto run_step = [&](StepStrategy strategy) {
        if (!indices) {
            indices.emplace(columns);
            for (arma::uword i = 0; i < columns; ++i) (*indices)[i] = i * (data.size() / columns);
            fixed.emplace(network, data.images.n_rows, columns);
            kept.emplace(network);
            parameters = network.parameters();
            for (const Parameter& p : parameters) scratch.emplace_back(arma::size(*p.value));
        }
        if (strategy == StepStrategy::split_batch && !split) split = SplitBatchStep::make(network);
        if (strategy == StepStrategy::split_batch && split) {  // none if the matrix library copies instead of sharing
            split->step(data, indices->memptr(), columns);
        } else {
            gather(data, indices->memptr(), columns, batch);
            serial_step(network, batch.images, batch.labels);
        }
        for (std::size_t i = 0; i < parameters.size(); ++i)
            scratch[i] = *parameters[i].value - 1e-3 * *parameters[i].gradient;
    };
    const std::string shape =
        network.describe() + ", input " + std::to_string(data.images.n_rows) + ", batch " + std::to_string(batch_size);
    if (columns == 0)
        return choose_training_threads(
            shape + ", no data", [](StepStrategy) {}, false);
    return choose_training_threads(shape, run_step, can_split);
}

TrainingStep::TrainingStep(Sequential& network, const Dataset& data, std::size_t batch_size)
    : network_(network), choice_(training_threads(network, data, batch_size)) {
    if (choice_.strategy == StepStrategy::split_batch) {
        split_ = SplitBatchStep::make(network);
        if (!split_) choice_.strategy = StepStrategy::one_blas_thread;
    }
    blas_.emplace(choice_.blas_threads);
}

TrainingStep::~TrainingStep() {
    if (choice_.strategy != StepStrategy::all_blas_threads) return;
    Choices& state = choices();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.blas_threads_spin_until = std::chrono::steady_clock::now() + blas_spin_time;
}

double TrainingStep::operator()(MiniBatches& batches, std::size_t index, const BatchTransform& transform) {
    const auto [first, count] = batches.range(index);
    if (transform) {
        gather(batches.data(), batches.order().memptr() + first, count, transformed_);
        transform(transformed_.images);
        if (split_ && count >= 2) return split_->step(transformed_.images, transformed_.labels);
        return serial_step(network_, transformed_.images, transformed_.labels);
    }
    if (split_ && count >= 2) return split_->step(batches.data(), batches.order().memptr() + first, count);
    const Batch& batch = batches.get(index);
    return serial_step(network_, batch.images, batch.labels);
}

}  // namespace nn
