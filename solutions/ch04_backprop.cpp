// Chapter 4 reference solutions: see common/contracts/nn/network.hpp.
// Legend: D = input size, K = classes, B = batch size. One sample per column.

#include <stdexcept>

#include "nn/network.hpp"
#include "nn/softmax.hpp"

namespace nn {

arma::mat Sequential::forward(const arma::mat& input) {
    // BEGIN SOLUTION (ch04.1 Sequential::forward)
    if (layers_.empty()) return input;
    arma::mat activation = layers_.front()->forward(input);  // no copy of the input batch
    for (auto layer = layers_.begin() + 1; layer != layers_.end(); ++layer) activation = (*layer)->forward(activation);
    return activation;
    // END SOLUTION
}

arma::mat Sequential::backward(const arma::mat& output_gradient) {
    // BEGIN SOLUTION (ch04.2 Sequential::backward)
    arma::mat gradient = output_gradient;
    for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) gradient = (*layer)->backward(gradient);
    return gradient;
    // END SOLUTION
}

arma::mat numerical_gradient(const std::function<double()>& f, arma::mat& x, double h) {
    // BEGIN SOLUTION (ch04.3 numerical_gradient)
    arma::mat gradient(arma::size(x));
    for (arma::uword i = 0; i < x.n_elem; ++i) {
        const double saved = x[i];
        x[i] = saved + h;
        const double plus = f();
        x[i] = saved - h;
        const double minus = f();
        x[i] = saved;
        gradient[i] = (plus - minus) / (2.0 * h);
    }
    return gradient;
    // END SOLUTION
}

RelativeError relative_error(const arma::mat& analytic, const arma::mat& numeric) {
    // BEGIN SOLUTION (ch04.4 relative_error)
    if (arma::size(analytic) != arma::size(numeric))
        throw std::invalid_argument("relative_error: shapes " + std::to_string(analytic.n_rows) + "x" +
                                    std::to_string(analytic.n_cols) + " and " + std::to_string(numeric.n_rows) + "x" +
                                    std::to_string(numeric.n_cols) + " differ");
    if (analytic.is_empty()) return {};
    const arma::mat e =
        arma::abs(analytic - numeric) / arma::clamp(arma::abs(analytic) + arma::abs(numeric), 1e-8, arma::datum::inf);
    const arma::uword i = e.index_max();
    return {e[i], i % e.n_rows, i / e.n_rows};
    // END SOLUTION
}

std::vector<GradientCheck> gradient_check(Sequential& network, const arma::mat& inputs, const arma::uvec& labels,
                                          double h) {
    // BEGIN SOLUTION (ch04.5 gradient_check)
    auto [loss, output_gradient] = loss_gradient(network.forward(inputs), labels);
    const arma::mat input_gradient = network.backward(output_gradient);

    arma::mat x = inputs;
    const auto loss_now = [&] { return cross_entropy(network.forward(x), labels); };
    const auto check = [&](const std::string& name, const arma::mat& analytic, arma::mat& point) {
        const arma::mat numeric = numerical_gradient(loss_now, point, h);
        const RelativeError error = relative_error(analytic, numeric);
        return GradientCheck{name, error, analytic(error.row, error.col), numeric(error.row, error.col)};
    };

    std::vector<GradientCheck> rows;
    for (const Parameter& p : network.parameters()) {
        const arma::mat analytic = *p.gradient;  // copied: the checks below run forward passes only
        rows.push_back(check(p.name, analytic, *p.value));
    }
    rows.push_back(check("input", input_gradient, x));
    return rows;
    // END SOLUTION
}

}  // namespace nn
