/// \file
/// \brief Chapter 3: layers. A dense (fully connected) layer, the %ReLU,
/// sigmoid, tanh and leaky %ReLU activations, and the initialisations that
/// keep signals alive.
///
/// Legend: I = inputs of a layer, O = outputs of a layer, B = batch size.
/// Every activation is O x B, one sample per column; a weight matrix is O x I.
/// Letters as in \ref notation_layers "the book's notation": a layer's input
/// is X, a dense layer's output Z, an activation's output A, and
/// \f$G_V = \partial L/\partial V\f$.
///
/// A layer's forward() remembers what its backward() needs. backward() takes
/// G, the gradient of the loss with respect to the layer's output, stores the
/// gradients of the layer's parameters, and returns
/// \f$G_X = \partial L / \partial X\f$ for the layer below.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <memory>
#include <string>
#include <vector>

namespace nn {

/// \brief A trainable array and the gradient of the loss with respect to it.
/// \ingroup course
struct Parameter {
    std::string name;     ///< e.g. `dense1.weights`
    arma::mat* value;     ///< the parameter, updated by the optimiser
    arma::mat* gradient;  ///< same shape, written by backward()
};

/// \brief One step of a network: forward and backward, and its parameters.
/// \ingroup course
class Layer {
public:
    virtual ~Layer() = default;
    /// \brief Computes the output for \p input (I x B) and remembers what backward() needs.
    virtual arma::mat forward(const arma::mat& input) = 0;
    /// \brief Given G, the gradient with respect to the layer's output (O x B),
    /// stores the parameter gradients and returns \f$G_X = \partial L/\partial X\f$ (I x B).
    virtual arma::mat backward(const arma::mat& output_gradient) = 0;
    /// \return the layer's parameters with their gradients (none by default);
    /// names are relative, e.g. `weights`.
    virtual std::vector<Parameter> parameters() { return {}; }
    /// \return a short lower-case name of the kind of layer, e.g. `dense`.
    virtual std::string kind() const = 0;
    /// \brief Switches between training and evaluation behaviour (only
    /// dropout and batch normalisation, chapter 5, behave differently).
    virtual void set_training(bool training) { training_ = training; }
    /// \return whether the layer is in training mode (the default).
    bool training() const { return training_; }

private:
    bool training_ = true;
};

/// \brief A fully connected layer: \f$Z = W X + b\f$.
/// \ingroup course
class Dense : public Layer {
public:
    /// \brief A layer of \p outputs x \p inputs zero weights; initialise with
    /// he_normal() or xavier_uniform().
    Dense(arma::uword inputs, arma::uword outputs)
        : weights(outputs, inputs, arma::fill::zeros),
          bias(outputs, 1, arma::fill::zeros),
          weights_gradient(outputs, inputs, arma::fill::zeros),
          bias_gradient(outputs, 1, arma::fill::zeros) {}

    /// \brief **Task ch03.1**: the forward pass.
    ///
    /// \f[ Z = W X + b\,\mathbf{1}^\top \f]
    ///
    /// Shapes: W O x I, b O x 1, input X I x B -> Z O x B. Keep a copy of X:
    /// backward() needs it.
    ///
    /// Introduced in \ref ch03_hidden_layers.
    ///
    /// \param input X, one sample per column.
    /// \return Z.
    arma::mat forward(const arma::mat& input) override;

    /// \brief **Task ch03.2**: the backward pass.
    ///
    /// With \f$G = G_Z = \partial L/\partial Z\f$ and X the input of the last forward():
    /// \f[ \frac{\partial L}{\partial W} = G X^\top, \qquad
    ///     \frac{\partial L}{\partial b} = G\,\mathbf{1}, \qquad
    ///     G_X = \frac{\partial L}{\partial X} = W^\top G \f]
    ///
    /// Shapes: G O x B; stores weights_gradient O x I and bias_gradient O x 1;
    /// returns I x B. The gradients are sums over the batch: if the loss is a
    /// mean, G already carries the 1/B.
    ///
    /// If `input_gradient` is false, skip \f$W^\top G\f$ and return an empty
    /// matrix: the first layer of a network has nothing below it, and this
    /// product is the largest of the backward pass.
    ///
    /// Introduced in \ref ch03_hidden_layers.
    ///
    /// \param output_gradient \f$G = \partial L/\partial Z\f$.
    /// \return \f$G_X = \partial L/\partial X\f$, or an empty matrix.
    arma::mat backward(const arma::mat& output_gradient) override;

    /// \return `weights` and `bias` with their gradients.
    std::vector<Parameter> parameters() override {
        return {{"weights", &weights, &weights_gradient}, {"bias", &bias, &bias_gradient}};
    }
    /// \return `dense`.
    std::string kind() const override { return "dense"; }

    arma::mat weights;           ///< W, O x I
    arma::mat bias;              ///< b, O x 1
    arma::mat weights_gradient;  ///< \f$\partial L/\partial W\f$ from the last backward()
    arma::mat bias_gradient;     ///< \f$\partial L/\partial b\f$ from the last backward()
    arma::mat input;             ///< X of the last forward()
    bool input_gradient = true;  ///< whether backward() computes \f$\partial L/\partial X\f$
};

/// \brief **Task ch03.3**: the rectified linear unit, element-wise.
///
/// \f[ \mathrm{relu}(z) = \max(0, z) \f]
/// Shapes: any -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
arma::mat relu(const arma::mat& z);

/// \brief **Task ch03.4**: the backward pass of %ReLU.
///
/// \f[ G_Z = \frac{\partial L}{\partial Z} = G \odot [Z > 0] \f]
/// (the derivative at exactly 0 is taken as 0).
/// Shapes: z and output_gradient the same shape -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param z the input of the forward pass.
/// \param output_gradient \f$G = G_A = \partial L/\partial A\f$ with \f$A = \mathrm{relu}(Z)\f$.
arma::mat relu_backward(const arma::mat& z, const arma::mat& output_gradient);

/// \brief **Task ch03.5**: the logistic sigmoid, element-wise, without overflow.
///
/// \f[ \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}} \f]
/// For z < 0 use the second form so that \f$e^{-z}\f$ cannot overflow;
/// the result is in [0, 1] and finite for every finite z (including +-1e4).
/// Shapes: any -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
arma::mat sigmoid(const arma::mat& z);

/// \brief **Task ch03.6**: the backward pass of the sigmoid, from its output.
///
/// \f[ G_Z = \frac{\partial L}{\partial Z} = G \odot A \odot (1 - A), \qquad A = \sigma(Z) \f]
/// Shapes: output and output_gradient the same shape -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param output \f$A = \sigma(Z)\f$, the output of the forward pass.
/// \param output_gradient \f$G = G_A = \partial L/\partial A\f$.
arma::mat sigmoid_backward(const arma::mat& output, const arma::mat& output_gradient);

/// \brief **Task ch03.7**: He initialisation for a layer followed by %ReLU.
///
/// Entries drawn independently from \f$\mathcal{N}(0,\, 2/I)\f$: the draw is
/// `arma::randn(outputs, inputs)` (the seeded generator fills the O x I matrix
/// in Armadillo's column-major order) times \f$\sqrt{2/I}\f$, so that a seed
/// gives the same weights as the reference. Drawing I x O and transposing
/// gives the right shape and distribution, but other weights.
/// Shapes: -> O x I.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param inputs I (the fan-in); \param outputs O.
arma::mat he_normal(arma::uword inputs, arma::uword outputs);

/// \brief **Task ch03.8**: Xavier (Glorot) initialisation for a layer followed
/// by sigmoid (or tanh).
///
/// Entries drawn independently from the uniform distribution on
/// \f$[-a, a]\f$ with \f$a = \sqrt{6 / (I + O)}\f$ (variance \f$2/(I+O)\f$),
/// The draw is `arma::randu(outputs, inputs)` (the seeded generator fills the
/// O x I matrix in Armadillo's column-major order), each u mapped from [0, 1]
/// to \f$a(2u - 1)\f$ in [-a, a], so that a seed gives the same weights as
/// the reference.
/// Shapes: -> O x I.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param inputs I (the fan-in); \param outputs O (the fan-out).
arma::mat xavier_uniform(arma::uword inputs, arma::uword outputs);

/// \brief **Task ch03.10**: the hyperbolic tangent, element-wise, finite for every input.
///
/// \f[ \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\,\sigma(2z) - 1 \f]
/// The result is in [-1, 1], odd (\f$\tanh(-z) = -\tanh(z)\f$), exactly
/// +-1 for large |z| and finite for every finite z (including +-1e4): the
/// first form above, computed as written, gives \f$\infty/\infty\f$ = NaN
/// once \f$e^{|z|}\f$ overflows (|z| above about 710). Accurate to rounding
/// for small |z| as well (absolute error below 1e-15).
/// Shapes: any -> the same.
///
/// Named tanh_activation, not tanh: an nn::tanh would hide std::tanh from
/// unqualified calls inside namespace nn, and calls on an arma::mat would be
/// ambiguous with arma::tanh, which argument-dependent lookup finds too.
///
/// Introduced in \ref ch03_hidden_layers.
arma::mat tanh_activation(const arma::mat& z);

/// \brief **Task ch03.11**: the backward pass of tanh, from its output.
///
/// \f[ G_Z = \frac{\partial L}{\partial Z} = G \odot (1 - A \odot A), \qquad A = \tanh(Z) \f]
/// since \f$\tanh'(z) = 1 - \tanh^2(z)\f$. Where a unit saturates (A = +-1)
/// the result is exactly 0.
/// Shapes: output and output_gradient the same shape -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param output \f$A = \tanh(Z)\f$, the output of the forward pass.
/// \param output_gradient \f$G = G_A = \partial L/\partial A\f$.
arma::mat tanh_activation_backward(const arma::mat& output, const arma::mat& output_gradient);

/// \brief The slope of leaky %ReLU's negative side unless one is given: 0.01,
/// as in Maas, Hannun and Ng (2013).
inline constexpr double default_leaky_slope = 0.01;

/// \brief **Task ch03.12**: the leaky rectified linear unit, element-wise.
///
/// \f[ \mathrm{leaky}(z) = \begin{cases} z & z > 0 \\ s\,z & z \le 0 \end{cases} \f]
/// with the slope s of the negative side (0 <= s < 1; not checked). With
/// s = 0 it is relu(). Exact for every finite z: no exponential, no overflow.
/// Shapes: any -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param z the input.
/// \param slope s, the factor for z <= 0 (nn::default_leaky_slope, 0.01, unless given).
arma::mat leaky_relu(const arma::mat& z, double slope = default_leaky_slope);

/// \brief **Task ch03.13**: the backward pass of leaky %ReLU.
///
/// \f[ G_Z = \frac{\partial L}{\partial Z} = G \odot \big([Z > 0] + s\,[Z \le 0]\big) \f]
/// G passes unchanged where z > 0 and is multiplied by s elsewhere; at
/// exactly 0, where the function has a kink, the derivative is taken as s,
/// the slope on the left (as relu_backward() takes 0 there).
/// Shapes: z and output_gradient the same shape -> the same.
///
/// Introduced in \ref ch03_hidden_layers.
///
/// \param z the input of the forward pass.
/// \param output_gradient \f$G = G_A = \partial L/\partial A\f$ with \f$A = \mathrm{leaky}(Z)\f$.
/// \param slope s, the same as in the forward pass.
arma::mat leaky_relu_backward(const arma::mat& z, const arma::mat& output_gradient, double slope);

/// \brief The %ReLU layer: relu() forward, relu_backward() backward.
/// \ingroup course
class ReLU : public Layer {
public:
    /// \return relu(input); remembers the input.
    arma::mat forward(const arma::mat& input) override {
        input_ = input;
        return relu(input);
    }
    /// \return relu_backward(input, output_gradient).
    arma::mat backward(const arma::mat& output_gradient) override { return relu_backward(input_, output_gradient); }
    /// \return `relu`.
    std::string kind() const override { return "relu"; }
    /// \return the input of the last forward() (the pre-activations).
    const arma::mat& input() const { return input_; }

private:
    arma::mat input_;
};

/// \brief The sigmoid layer: sigmoid() forward, sigmoid_backward() backward.
/// \ingroup course
class Sigmoid : public Layer {
public:
    /// \return sigmoid(input); remembers the output.
    arma::mat forward(const arma::mat& input) override {
        output_ = sigmoid(input);
        return output_;
    }
    /// \return sigmoid_backward(output, output_gradient).
    arma::mat backward(const arma::mat& output_gradient) override { return sigmoid_backward(output_, output_gradient); }
    /// \return `sigmoid`.
    std::string kind() const override { return "sigmoid"; }

private:
    arma::mat output_;
};

/// \brief The tanh layer: tanh_activation() forward, tanh_activation_backward() backward.
/// \ingroup course
class Tanh : public Layer {
public:
    /// \return tanh_activation(input); remembers the output.
    arma::mat forward(const arma::mat& input) override {
        output_ = tanh_activation(input);
        return output_;
    }
    /// \return tanh_activation_backward(output, output_gradient).
    arma::mat backward(const arma::mat& output_gradient) override {
        return tanh_activation_backward(output_, output_gradient);
    }
    /// \return `tanh`.
    std::string kind() const override { return "tanh"; }

private:
    arma::mat output_;
};

/// \brief The leaky %ReLU layer: leaky_relu() forward, leaky_relu_backward() backward.
/// \ingroup course
class LeakyReLU : public Layer {
public:
    /// \brief A layer with slope \p slope on the negative side.
    explicit LeakyReLU(double slope = default_leaky_slope) : slope_(slope) {}
    /// \return leaky_relu(input, slope); remembers the input.
    arma::mat forward(const arma::mat& input) override {
        input_ = input;
        return leaky_relu(input, slope_);
    }
    /// \return leaky_relu_backward(input, output_gradient, slope).
    arma::mat backward(const arma::mat& output_gradient) override {
        return leaky_relu_backward(input_, output_gradient, slope_);
    }
    /// \return `leaky_relu`.
    std::string kind() const override { return "leaky_relu"; }
    /// \return the slope of the negative side.
    double slope() const { return slope_; }

private:
    double slope_;
    arma::mat input_;
};

/// \brief A dense layer initialised for the activation that follows it: He
/// for `relu`, He with the leaky gain for `leaky_relu`, Xavier for `sigmoid`
/// and `tanh`.
///
/// For `leaky_relu` (slope s = nn::default_leaky_slope, as make_activation() builds it) the
/// weights are he_normal() times \f$1/\sqrt{1 + s^2}\f$, so their variance
/// is \f$2 / \big((1 + s^2)\, I\big)\f$: the gain
/// \f$\sqrt{2/(1 + s^2)}\f$ of He et al. (2015) in place of ReLU's
/// \f$\sqrt{2}\f$, since a leaky unit keeps \f$(1 + s^2)/2\f$ of the second
/// moment instead of 1/2.
/// \param inputs I; \param outputs O; \param activation `relu`, `sigmoid`,
/// `tanh` or `leaky_relu`.
/// \throws std::invalid_argument for another activation.
std::unique_ptr<Dense> make_dense(arma::uword inputs, arma::uword outputs, const std::string& activation);

/// \brief A new activation layer by name (`leaky_relu` with nn::default_leaky_slope).
/// \param activation `relu`, `sigmoid`, `tanh` or `leaky_relu`.
/// \throws std::invalid_argument otherwise.
std::unique_ptr<Layer> make_activation(const std::string& activation);

}  // namespace nn
