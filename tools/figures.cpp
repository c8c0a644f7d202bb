// The book's concept figures, one or more per chapter, computed with the
// course's reference code so that they stay true when the code changes. The
// docs target runs it before Doxygen:
//
//   nn_figures --out DIR --data-dir tests/data
//
// Digits come from the small MNIST subset committed under tests/data (1000
// training images: the first 800 train, the last 200 validate), so the
// figures need no download and are the same on every machine. Every random
// draw is seeded.

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/chart.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/csv.hpp"
#include "nn/dataset.hpp"
#include "nn/dropout.hpp"
#include "nn/features.hpp"
#include "nn/image.hpp"
#include "nn/layers.hpp"
#include "nn/matrix_ops.hpp"
#include "nn/network.hpp"
#include "nn/optimizers.hpp"
#include "nn/random.hpp"
#include "nn/report.hpp"
#include "nn/softmax.hpp"
#include "nn/timer.hpp"
#include "nn/training.hpp"

#include "ch07_feature_engineering/augmentation.hpp"  // the distortions chapter 7 shows

namespace {

// x values from lo to hi, evenly spaced (or evenly in log10 if log).
std::vector<double> range(double lo, double hi, int count, bool log = false) {
    const arma::vec v = log ? arma::logspace(std::log10(lo), std::log10(hi), count) : arma::linspace(lo, hi, count);
    return arma::conv_to<std::vector<double>>::from(v);
}

std::vector<double> to_vector(const arma::mat& m) {
    return arma::conv_to<std::vector<double>>::from(arma::vectorise(m));
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    if (!out || !(out << text) || !out.flush()) throw nn::InputError(path + ": cannot write the figure");
}

// ---------------------------------------------------------------------------
// Chapter 1: the three terms of the squared distances and their sum, as heat
// maps of K centres (rows) by N images (columns).
// ---------------------------------------------------------------------------

// A red (positive) / blue (negative) colour for v on the scale [-limit, limit].
std::string diverging_colour(double v, double limit) {
    const double t = std::clamp(std::abs(v) / limit, 0.0, 1.0);
    const auto mix = [&](int full) { return static_cast<int>(std::lround(255 + (full - 255) * t)); };
    char text[8];
    if (v >= 0)
        std::snprintf(text, sizeof text, "#%02x%02x%02x", mix(178), mix(24), mix(43));
    else
        std::snprintf(text, sizeof text, "#%02x%02x%02x", mix(33), mix(102), mix(172));
    return text;
}

// One K x N matrix as a grid of cells at (x, y), its title above it.
void matrix_panel(std::ostream& svg, const arma::mat& m, double limit, double x, double y, double cell,
                  const std::string& title) {
    svg << "<text x=\"" << x + m.n_cols * cell / 2 << "\" y=\"" << y - 10 << "\" text-anchor=\"middle\">" << title
        << "</text>\n";
    for (arma::uword k = 0; k < m.n_rows; ++k)
        for (arma::uword j = 0; j < m.n_cols; ++j)
            svg << "<rect x=\"" << x + j * cell << "\" y=\"" << y + k * cell << "\" width=\"" << cell << "\" height=\""
                << cell << "\" fill=\"" << diverging_colour(m(k, j), limit) << "\"/>\n";
    svg << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << m.n_cols * cell << "\" height=\"" << m.n_rows * cell
        << "\" fill=\"none\" stroke=\"#333\"/>\n";
}

// The class numbers beside the first panel; under the last, the true labels,
// and a ring around the smallest distance of each column: the predicted class.
void distance_labels(std::ostream& svg, const arma::mat& distances, const arma::uvec& labels, double left, double last,
                     double top, double cell) {
    for (arma::uword k = 0; k < distances.n_rows; ++k)
        svg << "<text x=\"" << left - 8 << "\" y=\"" << top + k * cell + cell - 3 << "\" text-anchor=\"end\">" << k
            << "</text>\n";
    svg << "<text x=\"" << left - 8 << "\" y=\"" << top - 10 << "\" text-anchor=\"end\">k</text>\n";
    const arma::uvec nearest = arma::index_min(distances, 0).t();
    for (arma::uword j = 0; j < distances.n_cols; ++j) {
        const double x = last + j * cell + cell / 2;
        svg << "<text x=\"" << x << "\" y=\"" << top + distances.n_rows * cell + 16
            << "\" text-anchor=\"middle\" font-size=\"11\">" << labels(j) << "</text>\n"
            << "<circle cx=\"" << x << "\" cy=\"" << top + nearest(j) * cell + cell / 2
            << "\" r=\"4.5\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n";
    }
    svg << "<text x=\"" << last + distances.n_cols * cell / 2 << "\" y=\"" << top + distances.n_rows * cell + 34
        << "\" text-anchor=\"middle\" font-size=\"11\">true label of x<tspan dy=\"4\" "
           "font-size=\"9\">j</tspan></text>\n";
}

void ch01_squared_distances(const nn::Splits& data, const nn::Options& out) {
    const arma::mat centres = nn::class_means(data.train.images, data.train.labels, 10);  // D x K
    const arma::mat points = data.validation.images.head_cols(12);                        // D x N
    const arma::mat centre_norms = arma::repmat(arma::sum(arma::square(centres), 0).t(), 1, points.n_cols);
    const arma::mat point_norms = arma::repmat(arma::sum(arma::square(points), 0), centres.n_cols, 1);
    const arma::mat products = -2.0 * centres.t() * points;
    const arma::mat distances = nn::squared_distances(points, centres);
    const double limit = arma::abs(arma::join_rows(centre_norms, point_norms, products)).max();

    const double cell = 14, panel = 12 * cell, gap = 44, left = 34, top = 58;
    const std::vector<std::string> titles = {
        "\u2016c<tspan dy=\"4\" font-size=\"10\">k</tspan><tspan dy=\"-4\">\u2016\u00b2: same "
        "along a row</tspan>",
        "\u2016x<tspan dy=\"4\" font-size=\"10\">j</tspan><tspan dy=\"-4\">\u2016\u00b2: same down "
        "a column</tspan>",
        "\u22122 C<tspan dy=\"-6\" font-size=\"10\">\u22a4</tspan><tspan dy=\"6\">X: one "
        "product</tspan>",
        "\u0394: the squared distances"};
    std::ostringstream svg;
    const double width = left + 4 * panel + 3 * gap + 20, height = top + 10 * cell + 44;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    const arma::mat* panels[] = {&centre_norms, &point_norms, &products, &distances};
    for (int p = 0; p < 4; ++p) {
        const double x = left + p * (panel + gap);
        matrix_panel(svg, *panels[p], limit, x, top, cell, titles[p]);
        if (p < 3)
            svg << "<text x=\"" << x + panel + gap / 2 << "\" y=\"" << top + 5 * cell + 8
                << "\" text-anchor=\"middle\" font-size=\"24\">" << (p < 2 ? "+" : "=") << "</text>\n";
    }
    distance_labels(svg, distances, data.validation.labels, left, left + 3 * (panel + gap), top, cell);
    svg << "</svg>\n";
    write_text(nn::output_path(out, "ch01_squared_distances.svg"), svg.str());
}

// ---------------------------------------------------------------------------
// Chapter 2: softmax of one logit vector, divided by a temperature T.
// ---------------------------------------------------------------------------
void ch02_softmax_temperature(const nn::Options& out) {
    const arma::vec logits = {3.0, 2.0, 1.0, -1.0};
    const std::vector<double> temperatures = range(0.1, 20, 121, true);
    std::vector<nn::Series> curves;
    for (arma::uword k = 0; k < logits.n_elem; ++k) {
        std::ostringstream name;
        name << "class " << k + 1 << ", logit " << logits(k);
        curves.push_back({name.str(), temperatures, {}});
    }
    for (const double t : temperatures) {
        const arma::mat p = nn::softmax(logits / t);
        for (arma::uword k = 0; k < logits.n_elem; ++k) curves[k].y.push_back(p(k, 0));
    }
    nn::ChartOptions options;
    options.title = "softmax(z / T) for z = (3, 2, 1, -1)";
    options.x_label = "temperature T (T = 1: the plain softmax)";
    options.y_label = "probability";
    options.y_min = 0.0;
    options.y_max = 1.0;
    options.x_log = true;
    nn::write_line_chart(nn::output_path(out, "ch02_softmax_temperature.svg"), curves, options);
}

// ---------------------------------------------------------------------------
// Chapter 3: the activations (solid) and their derivatives (dashed), the
// derivatives from the backward passes with an upstream gradient of ones.
// ---------------------------------------------------------------------------
void ch03_activations(const nn::Options& out) {
    const std::vector<double> x = range(-5, 5, 401);
    const arma::mat z(x), ones(arma::size(z), arma::fill::ones);
    const arma::mat s = nn::sigmoid(z), t = arma::tanh(z);
    const char* colours[] = {"#0072B2", "#D55E00", "#009E73"};
    const auto series = [&](const std::string& name, const arma::mat& y, int colour, bool dashed) {
        nn::Series c{name, x, to_vector(y)};
        c.colour = colours[colour];
        c.dashed = dashed;
        return c;
    };
    const std::vector<nn::Series> curves = {
        series("relu(z)", nn::relu(z), 0, false),
        series("relu'(z)", nn::relu_backward(z, ones), 0, true),
        series("sigmoid(z)", s, 1, false),
        series("sigmoid'(z), at most 1/4", nn::sigmoid_backward(s, ones), 1, true),
        series("tanh(z)", t, 2, false),
        series("tanh'(z) = 1 - tanh(z)^2", 1.0 - arma::square(t), 2, true),
    };
    nn::ChartOptions options;
    options.title = "Activation functions (solid) and their derivatives (dashed)";
    options.x_label = "z";
    options.y_label = "value";
    options.y_min = -1.1;
    options.y_max = 2.0;
    options.legend_left = true;
    nn::write_line_chart(nn::output_path(out, "ch03_activations.svg"), curves, options);
}

// ---------------------------------------------------------------------------
// Chapter 4: the error of forward and central differences against the step
// h, for the softplus ln(1 + e^x), whose derivative is the sigmoid. The
// central differences are the course's numerical_gradient(); the error is
// its relative_error(), the median over 21 points x in [-2, 2].
// ---------------------------------------------------------------------------
void ch04_difference_error(const nn::Options& out) {
    const std::vector<double> steps = range(1e-14, 1e-1, 53, true);
    const arma::vec points = arma::linspace(-2, 2, 21);
    nn::Series central{"central difference (numerical_gradient)", {}, {}}, forward{"forward difference", {}, {}};
    for (const double h : steps) {
        arma::vec central_errors(points.n_elem), forward_errors(points.n_elem);
        for (arma::uword i = 0; i < points.n_elem; ++i) {
            arma::mat x(1, 1, arma::fill::value(points(i)));
            const auto softplus = [&] { return std::log1p(std::exp(x(0, 0))); };
            const arma::mat exact = nn::sigmoid(x);
            central_errors(i) = nn::relative_error(exact, nn::numerical_gradient(softplus, x, h)).value;
            const double at = softplus();
            x(0, 0) += h;
            const arma::mat forward_difference(1, 1, arma::fill::value((softplus() - at) / h));
            x(0, 0) = points(i);
            forward_errors(i) = nn::relative_error(exact, forward_difference).value;
        }
        central.x.push_back(h), central.y.push_back(arma::median(central_errors));
        forward.x.push_back(h), forward.y.push_back(arma::median(forward_errors));
    }
    nn::ChartOptions options;
    options.title = "Error of finite differences for f(x) = ln(1 + e^x)";
    options.x_label = "step h";
    options.y_label = "relative error (median over 21 points)";
    options.x_log = true;
    options.y_log = true;
    nn::write_line_chart(nn::output_path(out, "ch04_difference_error.svg"), {forward, central}, options);
}

// ---------------------------------------------------------------------------
// Chapter 5: dropout masks on digits: each row a digit, then mask and result
// for p = 0.25 and p = 0.5 (the results clipped at white for display).
// ---------------------------------------------------------------------------
void ch05_dropout_masks(const nn::Splits& data, const nn::Options& out) {
    nn::set_seed(nn::default_seed, nullptr);
    const arma::uword digits = 3;
    arma::mat panels(784, digits * 5);
    for (arma::uword j = 0; j < digits; ++j) {
        const arma::vec x = data.train.images.col(j);
        panels.col(5 * j) = x;
        for (const double p : {0.25, 0.5}) {
            nn::Dropout dropout(p);
            const arma::mat kept = dropout.forward(x);
            const arma::uword at = 5 * j + (p < 0.3 ? 1 : 3);
            panels.col(at) = dropout.mask * (1 - p);  // 1 where kept
            panels.col(at + 1) = arma::clamp(kept, 0.0, 1.0);
        }
    }
    nn::write_png(nn::output_path(out, "ch05_dropout_masks.png"), nn::image_grid(panels, 28, 28, 5, 5, 6));
}

// ---------------------------------------------------------------------------
// Chapter 6: the paths of the four optimisers, the course's own classes, on
// the ill-conditioned bowl L = (x^2 + 20 y^2) / 2, over its contour lines.
// ---------------------------------------------------------------------------
nn::Series optimiser_path(nn::Optimizer& optimiser, const std::string& name, int steps) {
    arma::mat theta = arma::vec{-9.0, 2.0}, gradient(2, 1);
    const std::vector<nn::Parameter> parameters = {{"theta", &theta, &gradient}};
    nn::Series path{name, {theta(0)}, {theta(1)}};
    for (int t = 0; t < steps; ++t) {
        gradient = arma::vec{theta(0), 20.0 * theta(1)};  // the gradient of L
        optimiser.step(parameters);
        path.x.push_back(theta(0)), path.y.push_back(theta(1));
    }
    path.markers = true;
    path.width = 1.5;
    return path;
}

void ch06_optimizer_paths(const nn::Options& out) {
    const auto loss = [](double x, double y) { return 0.5 * (x * x + 20 * y * y); };
    std::vector<nn::Series> curves;
    for (const double level : {0.5, 2.0, 5.0, 10.0, 20.0, 40.0, 60.0})
        curves.push_back(nn::contour_lines(loss, -10, 4, -3, 3, level, 140));
    // SGD near its limit 2/20; momentum and Nesterov with the course's 0.9 and
    // a rate at which Nesterov is stable too; Adam with a rate of its own.
    const int steps = 40;
    nn::Sgd sgd(0.09);
    nn::Momentum momentum(0.02, 0.9);
    nn::Nesterov nesterov(0.02, 0.9);
    nn::Adam adam(0.3);
    curves.push_back(optimiser_path(sgd, "SGD, learning rate 0.09", steps));
    curves.push_back(optimiser_path(momentum, "momentum 0.9, learning rate 0.02", steps));
    curves.push_back(optimiser_path(nesterov, "Nesterov 0.9, learning rate 0.02", steps));
    curves.push_back(optimiser_path(adam, "Adam, learning rate 0.3", steps));
    const char* colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7"};
    for (int k = 0; k < 4; ++k) curves[curves.size() - 4 + k].colour = colours[k];
    nn::ChartOptions options;
    options.title = "40 steps from (-9, 2) on L = (x\u00b2 + 20 y\u00b2) / 2";
    options.x_label = "x (gentle direction, curvature 1)";
    options.y_label = "y (steep direction, curvature 20)";
    options.y_min = -3.0;
    options.y_max = 3.0;
    options.width = 900;  // about equal scales on both axes: 14 x 6 units in 810 x 350 pixels
    options.height = 450;
    nn::write_line_chart(nn::output_path(out, "ch06_optimizer_paths.svg"), curves, options);
}

// ---------------------------------------------------------------------------
// Chapter 7: deskewing, with the line the shear makes vertical drawn over
// the digit before (its slant alpha from the moments) and after.
// ---------------------------------------------------------------------------
struct Moments {
    double row = 0, col = 0, slant = 0;  // centroid and alpha = mu_rc / mu_rr
};

Moments moments(const arma::vec& image) {
    const arma::mat pixels = arma::reshape(image, 28, 28).t();  // (r, c)
    const arma::vec rows = arma::regspace(0, 27);
    const double mass = arma::accu(pixels);
    Moments m;
    m.row = arma::dot(arma::sum(pixels, 1), rows) / mass;
    m.col = arma::dot(arma::sum(pixels, 0).t(), rows) / mass;
    const arma::vec dr = rows - m.row, dc = rows - m.col;
    const double mu_rr = arma::dot(arma::sum(pixels, 1), arma::square(dr)) / mass;
    const double mu_rc = arma::as_scalar(dr.t() * pixels * dc) / mass;
    m.slant = mu_rc / mu_rr;
    return m;
}

// Draws the line c = col + slant (r - row) in red over a digit drawn at
// scale s with its top left corner at (x0, y0).
void draw_slant(nn::Image& image, int x0, int y0, int s, const Moments& m) {
    for (double r = -0.5; r <= 27.5; r += 0.25 / s) {
        const double c = m.col + m.slant * (r - m.row);
        const int px = x0 + static_cast<int>(std::lround((c + 0.5) * s));
        const int py = y0 + static_cast<int>(std::lround((r + 0.5) * s));
        for (int dx = -1; dx <= 1; ++dx) {
            if (px + dx < x0 || px + dx >= x0 + 28 * s || py < y0 || py >= y0 + 28 * s) continue;
            std::uint8_t* p = &image.bytes[3 * (static_cast<std::size_t>(py) * image.width + px + dx)];
            p[0] = 230, p[1] = 60, p[2] = 40;
        }
    }
}

void ch07_deskew_shear(const nn::Splits& data, const nn::Options& out) {
    // The first four training digits that lean by more than 0.25 columns per row.
    std::vector<arma::uword> chosen;
    for (arma::uword j = 0; j < data.train.size() && chosen.size() < 4; ++j)
        if (std::abs(moments(data.train.images.col(j)).slant) > 0.25) chosen.push_back(j);
    const int s = 6, gap = 6, pair_gap = 24, digit = 28 * s, pair_width = 2 * digit + gap + pair_gap;
    nn::Image image(2 * pair_width - pair_gap, 2 * digit + pair_gap, 3, 255);  // two pairs per row
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const int x_pair = static_cast<int>(i % 2) * pair_width, y0 = static_cast<int>(i / 2) * (digit + pair_gap);
        const arma::vec before = data.train.images.col(chosen[i]), after = nn::deskew(before);
        for (int half = 0; half < 2; ++half) {
            const arma::vec& pixels = half ? after : before;
            const nn::Image gray = nn::gray_image(pixels, 28, 28, s);
            const int x0 = x_pair + half * (digit + gap);
            for (int y = 0; y < digit; ++y)
                for (int x = 0; x < digit; ++x)
                    for (int ch = 0; ch < 3; ++ch)
                        image.bytes[3 * (static_cast<std::size_t>(y0 + y) * image.width + x0 + x) + ch] =
                            gray.bytes[static_cast<std::size_t>(y) * digit + x];
            draw_slant(image, x0, y0, s, moments(pixels));
        }
    }
    nn::write_png(nn::output_path(out, "ch07_deskew_shear.png"), image);
}

// ---------------------------------------------------------------------------
// Chapter 7: augmentation. A digit and twelve random distortions of it
// (nn::augment: rotation, scaling, shift and an elastic field, the settings of
// the chapter 7 program), and the elastic field alone at four smoothnesses
// (rows) and four strengths (columns), drawn from the same noise.
// ---------------------------------------------------------------------------
// Copies a one-channel image into a one-channel canvas, its top left corner at (x0, y0).
void paste(nn::Image& canvas, const nn::Image& part, int x0, int y0) {
    for (int y = 0; y < part.height; ++y)
        std::copy_n(&part.bytes[static_cast<std::size_t>(y) * part.width], part.width,
                    &canvas.bytes[static_cast<std::size_t>(y0 + y) * canvas.width + x0]);
}

void ch07_augment(const nn::Splits& data, const nn::Options& out) {
    const nn::Augmentation augmentation = ch07::shown_augmentation();
    nn::set_seed(nn::default_seed, nullptr);
    const arma::vec digit = data.train.images.col(0);
    arma::mat draws(784, 12);
    for (arma::uword j = 0; j < draws.n_cols; ++j) draws.col(j) = nn::augment(digit, augmentation);
    // The digit on the left, then the draws in two rows of six.
    const int scale = 4, size = 28 * scale, apart = 24;
    const nn::Image grid = nn::image_grid(draws, 28, 28, 6, scale, 4);
    nn::Image canvas(size + apart + grid.width, grid.height, 1, 255);
    paste(canvas, nn::gray_image(digit, 28, 28, scale), 0, (grid.height - size) / 2);
    paste(canvas, grid, size + apart, 0);
    nn::write_png(nn::output_path(out, "ch07_augment.png"), canvas);
}

void ch07_elastic(const nn::Splits& data, const nn::Options& out) {
    nn::set_seed(nn::default_seed, nullptr);
    const arma::vec digit = data.train.images.col(0);
    const arma::mat noise_rows = 2 * arma::randu(28, 28) - 1, noise_cols = 2 * arma::randu(28, 28) - 1;
    const std::vector<double> sigmas = {1, 2, 4, 8}, alphas = {8, 17, 34, 68};
    arma::mat panels(784, sigmas.size() * (alphas.size() + 1));
    arma::uword at = 0;
    for (const double sigma : sigmas) {
        panels.col(at++) = digit;
        for (const double alpha : alphas) {
            nn::SourceGrid grid = nn::affine_grid(28, 28, 0.0, 1.0, 0.0, 0.0);
            grid.row += nn::elastic_displacement(noise_rows, sigma, alpha);
            grid.col += nn::elastic_displacement(noise_cols, sigma, alpha);
            panels.col(at++) = nn::remap(digit, grid);
        }
    }
    // Labels (the font has digits only): sigma left of each row, alpha above each column.
    const int scale = 3, gap = 4, cell = 28 * scale + gap, left = 34, top = 26;
    const nn::Image grid = nn::image_grid(panels, 28, 28, static_cast<int>(alphas.size() + 1), scale, gap);
    nn::Image canvas(left + grid.width, top + grid.height, 1, 255);
    paste(canvas, grid, left, top);
    for (std::size_t i = 0; i < sigmas.size(); ++i)
        nn::draw_text(canvas, 8, top + gap + static_cast<int>(i) * cell + 28 * scale / 2 - 7,
                      nn::number_text(sigmas[i]), 3, 0);
    for (std::size_t j = 0; j < alphas.size(); ++j)
        nn::draw_text(canvas, left + gap + static_cast<int>(j + 1) * cell + 28 * scale / 2 - 10, 4,
                      nn::number_text(alphas[j]), 3, 0);
    nn::write_png(nn::output_path(out, "ch07_elastic.png"), canvas);
}

// ---------------------------------------------------------------------------
// Chapter 8: a learning-rate sweep. 784-128-10 (ReLU) trained for one epoch
// on 800 images, batches of 32, the same seed for every run; validation
// accuracy on 200 held-out images.
// ---------------------------------------------------------------------------
// The validation accuracy after one epoch at \p rate, and the epoch's mean loss.
std::pair<double, double> sweep_point(const nn::Splits& data, const std::string& optimiser_name, double rate) {
    nn::set_seed(nn::default_seed, nullptr);  // the same start and batches at every rate
    nn::Sequential network = nn::make_mlp({784, 128, 10}, "relu");
    const auto optimiser = nn::make_optimizer(optimiser_name, rate);
    const double loss = nn::minibatch_epoch(network, data.train, 32, [&](const auto& p) { optimiser->step(p); });
    // A diverged run (loss not finite) has no accuracy worth plotting.
    const double accuracy = std::isfinite(loss) ? nn::evaluate_accuracy(network, data.validation)
                                                : std::numeric_limits<double>::quiet_NaN();
    return {accuracy, loss};
}

void ch08_learning_rate_sweep(const nn::Splits& data, const nn::Options& out) {
    nn::Series sgd{"plain SGD", {}, {}}, adam{"Adam", {}, {}};
    nn::CsvWriter csv(
        nn::output_path(out, "ch08_learning_rate_sweep.csv"),
        {"learning_rate", "sgd_loss", "sgd_validation_accuracy", "adam_loss", "adam_validation_accuracy"});
    for (const double rate : range(1e-4, std::sqrt(10.0), 19, true)) {  // 10^-4 to 10^0.5
        const auto [sgd_accuracy, sgd_loss] = sweep_point(data, "sgd", rate);
        const auto [adam_accuracy, adam_loss] = sweep_point(data, "adam", rate);
        sgd.x.push_back(rate), sgd.y.push_back(sgd_accuracy);
        adam.x.push_back(rate), adam.y.push_back(adam_accuracy);
        csv.row({rate, sgd_loss, sgd_accuracy, adam_loss, adam_accuracy});
    }
    sgd.markers = adam.markers = true;
    nn::ChartOptions options;
    options.title = "Validation accuracy after one epoch on 800 images";
    options.x_label = "learning rate";
    options.y_label = "validation accuracy (200 images)";
    options.y_min = 0.0;
    options.y_max = 1.0;
    options.x_log = true;
    nn::write_line_chart(nn::output_path(out, "ch08_learning_rate_sweep.svg"), {sgd, adam}, options);
}

}  // namespace

int main(int argc, char** argv) {
    nn::Options options;
    CLI::App app{"The book's concept figures, computed with the course's reference code"};
    nn::add_data_options(app, options);
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] {
        if (options.out_dir.empty()) throw std::invalid_argument("nn_figures: --out DIR is required");
        const nn::Options& out = options;
        const nn::Splits data = nn::load_splits("mnist", nn::resolve_data_dir(options.data_dir), 200);
        const std::vector<std::pair<std::string, std::function<void()>>> figures = {
            {"ch01 squared distances", [&] { ch01_squared_distances(data, out); }},
            {"ch02 softmax temperature", [&] { ch02_softmax_temperature(out); }},
            {"ch03 activations", [&] { ch03_activations(out); }},
            {"ch04 difference error", [&] { ch04_difference_error(out); }},
            {"ch05 dropout masks", [&] { ch05_dropout_masks(data, out); }},
            {"ch06 optimizer paths", [&] { ch06_optimizer_paths(out); }},
            {"ch07 deskew shear", [&] { ch07_deskew_shear(data, out); }},
            {"ch07 augment", [&] { ch07_augment(data, out); }},
            {"ch07 elastic", [&] { ch07_elastic(data, out); }},
            {"ch08 learning-rate sweep", [&] { ch08_learning_rate_sweep(data, out); }},
        };
        for (const auto& [name, make] : figures) {
            nn::Timer timer;
            make();
            std::cout << name << ": " << timer.seconds() << " s\n";
        }
        return 0;
    });
}
