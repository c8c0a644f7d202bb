/// \file
/// \brief Chapter 6: optimisers (plain SGD, momentum, %Nesterov momentum,
/// %Adam, RMSProp, %Adagrad, %AdamW), learning-rate schedules, and weight
/// decay as an L2 penalty in the loss.
///
/// An optimiser's step() updates every parameter from its gradient. The
/// parameter list must be the same (same order, same shapes) at every step:
/// optimisers with state keep one state matrix per parameter, by position,
/// created as zeros at the first step.
///
/// Legend: \f$\theta\f$ a parameter, \f$g = \partial L/\partial\theta\f$ its
/// gradient, \f$\eta\f$ the learning rate, t the step number (from 1).
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layers.hpp"

namespace nn {

/// \brief Prepares per-parameter state: at the first call (\p state empty)
/// one zero matrix per parameter, shaped like it; afterwards checks that the
/// parameters still match.
/// \param state the optimiser's state, one matrix per parameter.
/// \param parameters the parameters being optimised.
/// \throws std::logic_error if the parameter list changed between steps.
inline void prepare_state(std::vector<arma::mat>& state, const std::vector<Parameter>& parameters) {
    if (state.empty())
        for (const Parameter& p : parameters) state.emplace_back(arma::size(*p.value), arma::fill::zeros);
    if (state.size() != parameters.size())
        throw std::logic_error("optimizer: " + std::to_string(parameters.size()) + " parameters, but state for " +
                               std::to_string(state.size()) + ": use one optimizer per network");
    for (std::size_t i = 0; i < state.size(); ++i)
        if (arma::size(state[i]) != arma::size(*parameters[i].value))
            throw std::logic_error("optimizer: parameter " + parameters[i].name + " changed shape between steps");
}

/// \brief The common interface of the optimisers.
/// \ingroup course
class Optimizer {
public:
    /// \param learning_rate \f$\eta\f$.
    explicit Optimizer(double learning_rate) : learning_rate(learning_rate) {}
    virtual ~Optimizer() = default;
    /// \brief Updates every parameter from its gradient.
    virtual void step(const std::vector<Parameter>& parameters) = 0;
    /// \return a short name, e.g. `momentum`.
    virtual std::string name() const = 0;
    double learning_rate;  ///< \f$\eta\f$; a schedule may change it between steps
};

/// \brief Plain stochastic gradient descent.
/// \ingroup course
class Sgd : public Optimizer {
public:
    using Optimizer::Optimizer;
    /// \brief **Task ch06.1**: \f$\theta \leftarrow \theta - \eta\, g\f$ for every parameter.
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `sgd`.
    std::string name() const override { return "sgd"; }
};

/// \brief SGD with (heavy-ball) momentum: a velocity that accumulates gradients.
/// \ingroup course
class Momentum : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param momentum \f$\mu\f$ in [0, 1).
    Momentum(double learning_rate, double momentum = 0.9) : Optimizer(learning_rate), momentum(momentum) {}
    /// \brief **Task ch06.2**: with velocity v (zeros at the first step, see prepare_state()):
    /// \f[ v \leftarrow \mu v - \eta\, g, \qquad \theta \leftarrow \theta + v \f]
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `momentum`.
    std::string name() const override { return "momentum"; }
    double momentum;                  ///< \f$\mu\f$
    std::vector<arma::mat> velocity;  ///< v, one per parameter
};

/// \brief %Nesterov momentum: the gradient as if evaluated after the momentum step.
/// \ingroup course
class Nesterov : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param momentum \f$\mu\f$ in [0, 1).
    Nesterov(double learning_rate, double momentum = 0.9) : Optimizer(learning_rate), momentum(momentum) {}
    /// \brief **Task ch06.3**: the look-ahead update, written for the
    /// parameters as stored (the gradient g is taken at \f$\theta\f$):
    /// \f[ v_{\text{prev}} = v, \qquad v \leftarrow \mu v - \eta\, g, \qquad
    ///     \theta \leftarrow \theta - \mu\, v_{\text{prev}} + (1 + \mu)\, v \f]
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `nesterov`.
    std::string name() const override { return "nesterov"; }
    double momentum;                  ///< \f$\mu\f$
    std::vector<arma::mat> velocity;  ///< v, one per parameter
};

/// \brief %Adam: per-element step sizes from running moments of the gradient.
/// \ingroup course
class Adam : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param beta1 \f$\beta_1\f$;
    /// \param beta2 \f$\beta_2\f$; \param epsilon \f$\epsilon\f$.
    Adam(double learning_rate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : Optimizer(learning_rate), beta1(beta1), beta2(beta2), epsilon(epsilon) {}
    /// \brief **Task ch06.4**: with t the step count (1 at the first step)
    /// and m, v zeros before it:
    /// \f[ m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad
    ///     v \leftarrow \beta_2 v + (1-\beta_2)\, g \odot g \f]
    /// \f[ \hat m = \frac{m}{1-\beta_1^t}, \qquad \hat v = \frac{v}{1-\beta_2^t}, \qquad
    ///     \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon} \f]
    /// (element-wise). The bias correction undoes the pull of the zero start
    /// on the moments: at t = 1, \f$\hat m = g\f$ and \f$\hat v = g \odot g\f$.
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `adam`.
    std::string name() const override { return "adam"; }
    double beta1;                          ///< \f$\beta_1\f$, decay of the first moment
    double beta2;                          ///< \f$\beta_2\f$, decay of the second moment
    double epsilon;                        ///< \f$\epsilon\f$, keeps the division finite
    long long t = 0;                       ///< steps taken
    std::vector<arma::mat> first_moment;   ///< m, one per parameter
    std::vector<arma::mat> second_moment;  ///< v, one per parameter
};

/// \brief RMSProp: each element's step divided by a running root mean square of its gradient.
/// \ingroup course
class RmsProp : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param rho \f$\rho\f$ in [0, 1), the decay of the average;
    /// \param epsilon \f$\epsilon\f$.
    RmsProp(double learning_rate = 0.001, double rho = 0.9, double epsilon = 1e-8)
        : Optimizer(learning_rate), rho(rho), epsilon(epsilon) {}
    /// \brief **Task ch06.7**: with s zeros before the first step (see prepare_state()):
    /// \f[ s \leftarrow \rho\, s + (1-\rho)\, g \odot g, \qquad
    ///     \theta \leftarrow \theta - \eta\, \frac{g}{\sqrt{s} + \epsilon} \f]
    /// (element-wise), with the s of this step. There is no bias correction:
    /// at the first step \f$\sqrt{s} = \sqrt{1-\rho}\,|g|\f$, so every element
    /// moves by \f$\eta/\sqrt{1-\rho}\f$ (3.16 \f$\eta\f$ for \f$\rho = 0.9\f$).
    ///
    /// Shapes: mean_square[i] the shape of parameter i.
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `rmsprop`.
    std::string name() const override { return "rmsprop"; }
    double rho;                          ///< \f$\rho\f$, decay of the average of g squared
    double epsilon;                      ///< \f$\epsilon\f$, keeps the division finite
    std::vector<arma::mat> mean_square;  ///< s, one per parameter
};

/// \brief %Adagrad: each element's step divided by the root of the sum of all its squared gradients.
/// \ingroup course
class Adagrad : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param epsilon \f$\epsilon\f$ (\f$10^{-10}\f$, PyTorch's default).
    Adagrad(double learning_rate = 0.01, double epsilon = 1e-10) : Optimizer(learning_rate), epsilon(epsilon) {}
    /// \brief **Task ch06.8**: with G zeros before the first step (see prepare_state()):
    /// \f[ G \leftarrow G + g \odot g, \qquad
    ///     \theta \leftarrow \theta - \eta\, \frac{g}{\sqrt{G} + \epsilon} \f]
    /// (element-wise), with the G of this step. G only grows, so the steps
    /// shrink: under a constant gradient step t moves by \f$\eta/\sqrt{t}\f$.
    ///
    /// Shapes: sum_of_squares[i] the shape of parameter i.
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `adagrad`.
    std::string name() const override { return "adagrad"; }
    double epsilon;                         ///< \f$\epsilon\f$, keeps the division finite
    std::vector<arma::mat> sum_of_squares;  ///< G, one per parameter
};

/// \brief Whether a parameter is a weight matrix, by its name: true if the
/// name ends in `weights` (`weights`, `dense1.weights`), false for biases
/// (`dense1.bias`) and anything else. %AdamW and the L2 penalty
/// (l2_penalty(), add_l2_gradient()) decay only these.
inline bool is_weight(const Parameter& p) {
    const std::string suffix = "weights";
    return p.name.size() >= suffix.size() && p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// \brief %AdamW: %Adam with decoupled weight decay (Loshchilov and Hutter).
/// \ingroup course
class AdamW : public Optimizer {
public:
    /// \param learning_rate \f$\eta\f$; \param weight_decay \f$\lambda\f$; \param beta1 \f$\beta_1\f$;
    /// \param beta2 \f$\beta_2\f$; \param epsilon \f$\epsilon\f$.
    AdamW(double learning_rate = 0.001, double weight_decay = 0.01, double beta1 = 0.9, double beta2 = 0.999,
          double epsilon = 1e-8)
        : Optimizer(learning_rate), weight_decay(weight_decay), beta1(beta1), beta2(beta2), epsilon(epsilon) {}
    /// \brief **Task ch06.9**: %Adam's moments and step (see Adam::step()),
    /// plus a decay of the weights by \f$\eta\lambda\theta\f$ that is not
    /// added to the gradient, so the moments never see it:
    /// \f[ m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad
    ///     v \leftarrow \beta_2 v + (1-\beta_2)\, g \odot g, \qquad
    ///     \hat m = \frac{m}{1-\beta_1^t}, \qquad \hat v = \frac{v}{1-\beta_2^t} \f]
    /// \f[ \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon} - \eta\,\lambda\, \theta \f]
    /// (element-wise, \f$\theta\f$ on the right the value before the step).
    /// The decay term applies only to weights (is_weight(): the name ends in
    /// `weights`); biases take the plain %Adam step. With \f$\lambda = 0\f$
    /// this is %Adam.
    ///
    /// Shapes: first_moment[i], second_moment[i] the shape of parameter i.
    ///
    /// Introduced in \ref ch06_momentum.
    void step(const std::vector<Parameter>& parameters) override;
    /// \return `adamw`.
    std::string name() const override { return "adamw"; }
    double weight_decay;                   ///< \f$\lambda\f$, the decoupled decay of the weights
    double beta1;                          ///< \f$\beta_1\f$, decay of the first moment
    double beta2;                          ///< \f$\beta_2\f$, decay of the second moment
    double epsilon;                        ///< \f$\epsilon\f$, keeps the division finite
    long long t = 0;                       ///< steps taken
    std::vector<arma::mat> first_moment;   ///< m, one per parameter
    std::vector<arma::mat> second_moment;  ///< v, one per parameter
};

/// \brief **Task ch06.10**: the L2 penalty of the weights, to be added to the loss.
///
/// \f[ R = \frac{\lambda}{2} \sum_{W} \lVert W \rVert^2 = \frac{\lambda}{2} \sum_{W} \sum_{i,j} W_{ij}^2, \f]
/// the sum running over the parameters that are weights (is_weight(): the
/// name ends in `weights`); biases and any other parameter do not count.
/// The half makes the gradient \f$\lambda W\f$ (see add_l2_gradient()).
/// Only the values are read; nothing is changed.
///
/// Shapes: any parameters, each *value of any shape; a number out.
///
/// Edge cases: \f$\lambda = 0\f$, or no weight among the parameters, gives 0.
///
/// Introduced in \ref ch06_momentum.
///
/// \param parameters the network's parameters (e.g. Sequential::parameters()).
/// \param lambda \f$\lambda \ge 0\f$, the strength of the penalty.
/// \return R.
double l2_penalty(const std::vector<Parameter>& parameters, double lambda);

/// \brief **Task ch06.11**: adds the gradient of the L2 penalty to the
/// weights' gradients, in place.
///
/// \f[ \frac{\partial R}{\partial W} = \lambda W, \qquad g_W \leftarrow g_W + \lambda W \f]
/// for every weight W (is_weight()), with g_W its gradient
/// (*p.gradient) as backward() left it. Biases' gradients and all values
/// stay as they are. Called after backward() and before the optimiser's
/// step(), it makes the optimiser descend the loss plus l2_penalty(); under
/// plain SGD that is the weight decay \f$W \leftarrow (1 - \eta\lambda) W - \eta g\f$,
/// under %Adam it is not (%AdamW decays the weights outside the gradient).
///
/// Shapes: each *p.gradient the shape of its *p.value; updated in place.
///
/// Edge cases: \f$\lambda = 0\f$ leaves every gradient as it is.
///
/// Introduced in \ref ch06_momentum.
///
/// \param parameters the network's parameters, their gradients from the last backward pass.
/// \param lambda \f$\lambda \ge 0\f$, the same as given to l2_penalty().
void add_l2_gradient(const std::vector<Parameter>& parameters, double lambda);

/// \brief **Task ch06.5**: inverse-time decay of the learning rate.
///
/// \f[ \eta_t = \frac{\eta_0}{1 + k\, t} \f]
///
/// Introduced in \ref ch06_momentum.
///
/// \param initial \f$\eta_0\f$; \param decay k >= 0; \param t the step or epoch (from 0).
double inverse_time_decay(double initial, double decay, double t);

/// \brief **Task ch06.6**: step decay: multiply by \p factor every \p every epochs.
///
/// \f[ \eta_e = \eta_0 \cdot \text{factor}^{\lfloor e / \text{every} \rfloor} \f]
///
/// Introduced in \ref ch06_momentum.
///
/// \param initial \f$\eta_0\f$; \param factor e.g. 0.5; \param every epochs per step (>= 1);
/// \param epoch e, counted from 0.
/// \throws std::invalid_argument if every < 1.
double step_decay(double initial, double factor, int every, int epoch);

/// \brief Makes an optimiser by name: `sgd`, `momentum`, `nesterov`, `adam`,
/// `rmsprop`, `adagrad` or `adamw`, with the defaults of their constructors
/// (momentum 0.9; %Adam's betas 0.9 and 0.999; RMSProp's rho 0.9; %AdamW's
/// weight decay 0.01).
/// \throws std::invalid_argument for another name.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double learning_rate);

}  // namespace nn
