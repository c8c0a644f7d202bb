/// \file
/// \brief Chapter 7: feature engineering for digits: deskewing by image
/// moments, intensity and symmetry features, and standardisation fitted on
/// the training split only.
///
/// Images are columns of rows*cols pixels in [0, 1], row-major (pixel (r, c)
/// at index r*cols + c). Legend: D = input size, N = number of samples.
///
/// \ingroup course
#pragma once

#include <armadillo>
#include <string>

namespace nn {

/// \brief **Task ch07.1**: straightens a slanted digit with the shear that
/// makes its ink's second-order moment vertical.
///
/// With ink mass \f$m = \sum I(r,c)\f$, centroid
/// \f$\bar r = \frac{1}{m}\sum r\, I\f$, \f$\bar c = \frac{1}{m}\sum c\, I\f$, and moments
/// \f$\mu_{rc} = \frac{1}{m}\sum (r-\bar r)(c-\bar c)\, I\f$,
/// \f$\mu_{rr} = \frac{1}{m}\sum (r-\bar r)^2\, I\f$, the skew is
/// \f$\alpha = \mu_{rc} / \mu_{rr}\f$ (columns moved per row). The result is
/// \f[ I'(r, c) = I\big(r,\; c + \alpha\,(r - \bar r)\big), \f]
/// with linear interpolation between the two nearest columns and 0 outside
/// the image: each row slides sideways, the centroid's row stays put.
/// An image with no ink, or with all ink in one row, is returned unchanged.
/// Shapes: image rows*cols -> the same.
///
/// Introduced in \ref ch07_feature_engineering.
///
/// \param image one image; \param rows pixel rows; \param cols pixel columns.
arma::vec deskew(const arma::vec& image, arma::uword rows = 28, arma::uword cols = 28);

/// \brief **Task ch07.2**: the intensity of an image: its mean pixel value.
///
/// \f[ \text{intensity} = \frac{1}{D}\sum_i x_i \f]
///
/// Introduced in \ref ch07_feature_engineering.
double intensity(const arma::vec& image);

/// \brief Which mirror symmetry() compares an image with.
enum class Axis {
    left_right,  ///< mirror the columns (a vertical axis)
    top_bottom,  ///< mirror the rows (a horizontal axis)
};

/// \brief **Task ch07.3**: how symmetric an image is under a mirror: 1 minus
/// the mean absolute difference between the image and its mirror image.
///
/// \f[ \text{symmetry} = 1 - \frac{1}{D}\sum_{r,c} \big|I(r,c) - I'(r,c)\big| \f]
/// with \f$I'(r,c) = I(r, C-1-c)\f$ for Axis::left_right and
/// \f$I(R-1-r, c)\f$ for Axis::top_bottom. A perfectly symmetric image
/// scores 1; for pixels in [0, 1] the score is in [0, 1].
///
/// Introduced in \ref ch07_feature_engineering.
///
/// \param image one image; \param axis the mirror; \param rows pixel rows; \param cols pixel columns.
double symmetry(const arma::vec& image, Axis axis, arma::uword rows = 28, arma::uword cols = 28);

/// \brief Standardisation: each feature shifted to mean 0 and scaled to
/// standard deviation 1, with statistics from the training data only.
/// \ingroup course
struct Standardizer {
    arma::vec mean;   ///< per-feature mean of the training data (D)
    arma::vec scale;  ///< per-feature standard deviation, 1 where it is (nearly) 0 (D)

    /// \brief **Task ch07.4**: fits mean and scale on \p train (D x N).
    ///
    /// \f[ \mu_d = \frac{1}{N}\sum_j X_{dj}, \qquad
    ///     \sigma_d = \sqrt{\frac{1}{N}\sum_j (X_{dj} - \mu_d)^2} \f]
    /// (the population standard deviation). A feature with
    /// \f$\sigma_d < 10^{-8}\f$ (a pixel that is always blank) gets scale 1, so
    /// apply() never divides by zero.
    ///
    /// Introduced in \ref ch07_feature_engineering.
    ///
    /// \throws std::invalid_argument if \p train has no columns.
    void fit(const arma::mat& train);

    /// \brief **Task ch07.5**: applies the fitted statistics:
    /// \f$(X_{dj} - \mu_d) / \sigma_d\f$.
    /// Shapes: data D x N -> D x N.
    ///
    /// Introduced in \ref ch07_feature_engineering.
    ///
    /// \throws std::invalid_argument if D differs from the fitted size.
    arma::mat apply(const arma::mat& data) const;
};

/// \brief Where each pixel of a warped image is read from: for output pixel
/// (r, c), the fractional source position (row(r, c), col(r, c)) in the
/// original image. Both matrices are rows x cols. Every augmentation below is
/// such a grid: the identity grid row(r, c) = r, col(r, c) = c copies the image.
/// \ingroup course
struct SourceGrid {
    arma::mat row;  ///< source row of each output pixel (rows x cols)
    arma::mat col;  ///< source column of each output pixel (rows x cols)
};

/// \brief **Task ch07.6**: warps an image: each output pixel is the original
/// image read at its source position, by bilinear interpolation.
///
/// With \f$r_0 = \lfloor \rho \rfloor\f$, \f$c_0 = \lfloor \gamma \rfloor\f$,
/// \f$a = \rho - r_0\f$, \f$b = \gamma - c_0\f$ for the source position
/// \f$(\rho, \gamma) = (\text{row}(r, c), \text{col}(r, c))\f$:
/// \f[ I'(r, c) = (1-a)(1-b)\, I(r_0, c_0) + (1-a)\, b\, I(r_0, c_0+1)
///              + a\, (1-b)\, I(r_0+1, c_0) + a\, b\, I(r_0+1, c_0+1), \f]
/// where a pixel outside the image counts as 0 (blank paper). An integer
/// source position copies that pixel exactly; a source position one pixel or
/// more outside the image (\f$\rho \le -1\f$ or \f$\rho \ge\f$ rows, or the
/// same for \f$\gamma\f$ and cols: all four neighbours blank), or not
/// finite, gives 0.
/// Shapes: image rows*cols (row-major), grid rows x cols -> rows*cols.
///
/// Introduced in \ref ch07_feature_engineering.
///
/// \param image one image; \param grid the source positions; \param rows pixel rows; \param cols pixel columns.
/// \throws std::invalid_argument if the image or the grid does not have the given size.
arma::vec remap(const arma::vec& image, const SourceGrid& grid, arma::uword rows = 28, arma::uword cols = 28);

/// \brief **Task ch07.7**: the source grid of a rotation, a scaling and a
/// shift of the image about its centre.
///
/// With the centre \f$(\bar r, \bar c) = ((R-1)/2, (C-1)/2)\f$, the image's
/// content is rotated counter-clockwise (as seen on the screen, rows going
/// down) by \f$\theta\f$ and scaled by \f$s\f$, then moved by
/// \f$(t_r, t_c)\f$ pixels of the output (down and right). remap() needs the inverse: for
/// output pixel (r, c), with \f$u = c - \bar c - t_c\f$ and
/// \f$v = \bar r + t_r - r\f$ (up is positive),
/// \f[ \text{col}(r, c) = \bar c + \frac{u\cos\theta + v\sin\theta}{s}, \qquad
///     \text{row}(r, c) = \bar r - \frac{-u\sin\theta + v\cos\theta}{s}. \f]
/// \f$\theta = 0\f$, \f$s = 1\f$, no shift gives the identity grid.
/// Shapes: -> two rows x cols matrices.
///
/// Introduced in \ref ch07_feature_engineering.
///
/// \param rows pixel rows; \param cols pixel columns; \param angle \f$\theta\f$ in radians;
/// \param scale \f$s\f$; \param shift_rows \f$t_r\f$; \param shift_cols \f$t_c\f$.
/// \throws std::invalid_argument if \p scale is not positive.
SourceGrid affine_grid(arma::uword rows, arma::uword cols, double angle, double scale, double shift_rows,
                       double shift_cols);

/// \brief **Task ch07.8**: an elastic displacement field (Simard, Steinkraus
/// and Platt, 2003): random noise smoothed by a Gaussian, scaled by alpha.
///
/// The noise is smoothed by the normalised Gaussian kernel
/// \f$g_k = e^{-k^2/(2\sigma^2)} / \sum_{j=-K}^{K} e^{-j^2/(2\sigma^2)}\f$,
/// \f$|k| \le K = \lceil 3\sigma \rceil\f$, along the columns and then along the rows
/// (the kernel is separable), with 0 outside the field:
/// \f[ D = \alpha\, (g * N), \qquad (g * N)(r, c) = \sum_{i,j} g_i\, g_j\, N(r+i, c+j). \f]
/// A constant field far from the border stays constant (times alpha); near
/// the border it fades, as the zeros outside come in.
/// Shapes: noise rows x cols -> rows x cols.
///
/// Introduced in \ref ch07_feature_engineering.
///
/// \param noise N, e.g. uniform in [-1, 1]; \param sigma \f$\sigma > 0\f$, the smoothness in pixels;
/// \param alpha \f$\alpha\f$, the strength in pixels.
/// \throws std::invalid_argument if \p sigma is not positive.
arma::mat elastic_displacement(const arma::mat& noise, double sigma, double alpha);

/// \brief The feature pipelines the programs offer.
enum class Features {
    raw,                 ///< the 784 pixels
    deskewed,            ///< the 784 pixels of the deskewed image
    deskewed_with_stats  ///< deskewed pixels + intensity + left-right and top-bottom symmetry (787)
};

/// \brief `raw`, `deskew` or `deskew+stats`.
std::string features_name(Features features);
/// \brief Parses features_name(). \throws std::invalid_argument for another name.
Features parse_features(const std::string& name);

/// \return the number of rows \p features adds to the 784 pixels (0 or 3).
arma::uword extra_feature_rows(Features features);

/// \brief make_features() in place, for large datasets: \p images has
/// 784 + extra_feature_rows() rows, the pixels in the first 784 (the rest
/// are overwritten). Needs no second copy of the data.
void make_features_in_place(arma::mat& images, Features features, arma::uword rows = 28, arma::uword cols = 28);

/// \brief Standardizer::apply() in place, a chunk of columns at a time.
///
/// Each chunk is held twice more while it is standardised (the columns as a
/// matrix, and apply()'s result): with 512 columns of 787 features, 6.4 MB.
void standardize_in_place(const Standardizer& standardizer, arma::mat& data, arma::uword chunk = 512);

/// \brief Turns images into features: optional deskewing of every column,
/// then, for Features::deskewed_with_stats, three rows appended (intensity and
/// the two symmetries of the deskewed image).
/// Shapes: images 784 x N -> 784 x N or 787 x N.
arma::mat make_features(const arma::mat& images, Features features, arma::uword rows = 28, arma::uword cols = 28);

/// \brief How augment() distorts an image: each draw is uniform in the range given.
/// \ingroup course
struct Augmentation {
    double max_shift = 0.0;      ///< shift by up to this many pixels along each axis
    double max_degrees = 0.0;    ///< rotate by up to this many degrees either way
    double max_scaling = 0.0;    ///< scale by a factor in [1 - max_scaling, 1 + max_scaling]
    double elastic_alpha = 0.0;  ///< strength of the elastic displacement in pixels; 0 for none
    double elastic_sigma = 4.0;  ///< its smoothness (the Gaussian's standard deviation)
    double mirror = 0.0;         ///< probability of a left-right mirror image (clothes, not digits)

    /// \return whether any distortion is switched on.
    bool any() const { return max_shift > 0 || max_degrees > 0 || max_scaling > 0 || elastic_alpha > 0 || mirror > 0; }
    /// \return e.g. `shift 2 px, rotation 10 deg, scaling 10%, elastic alpha 8 sigma 4`, or `none`.
    std::string describe() const;
};

/// \brief One random distortion of \p image: a rotation, scaling and shift
/// drawn from \p augmentation (affine_grid()), plus an elastic
/// displacement of noise uniform in [-1, 1] (elastic_displacement()) added
/// to the grid, and with probability `mirror` the grid read mirrored left to
/// right, applied by remap(). Draws from the seeded generator.
/// Shapes: rows*cols -> rows*cols.
arma::vec augment(const arma::vec& image, const Augmentation& augmentation, arma::uword rows = 28,
                  arma::uword cols = 28);

/// \brief augment() for a batch of feature columns made by
/// make_features_in_place() and standardised by \p standardizer (or not
/// standardised, if it is not fitted): each column is taken back to pixels,
/// its first rows*cols rows (the image) distorted, the extra features of
/// \p features (intensity, symmetries) computed again from the distorted
/// image, and the column standardised again. One column is copied at a time.
void augment_features_in_place(arma::mat& batch, const Augmentation& augmentation, Features features,
                               const Standardizer& standardizer, arma::uword rows = 28, arma::uword cols = 28);

}  // namespace nn
