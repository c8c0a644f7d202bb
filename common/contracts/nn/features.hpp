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

}  // namespace nn
