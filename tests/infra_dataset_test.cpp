// Datasets, splits and mini-batches.

#include <cstdlib>
#include <filesystem>
#include <set>

#include "memory_probe.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/idx.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

// A data folder holding the subset's test files and the given training files.
std::string data_dir_with_training_files(const std::string& name, std::uint64_t count, std::uint64_t rows,
                                         std::uint64_t cols) {
    const fs::path dir = nn_test::temp_path("dataset", name);
    fs::create_directories(dir / "mnist");
    for (const char* file : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
        fs::copy_file(nn_test::test_data_path(std::string("mnist/") + file), dir / "mnist" / file,
                      fs::copy_options::overwrite_existing);
    nn::write_idx_u8((dir / "mnist/train-labels-idx1-ubyte").string(), {count}, std::vector<std::uint8_t>(count, 1));
    nn::write_idx_u8((dir / "mnist/train-images-idx3-ubyte").string(), {count, rows, cols},
                     std::vector<std::uint8_t>(count * rows * cols, 9));
    return dir.string();
}

}  // namespace

TEST_CASE("load_splits takes validation from the end of the training file", "[infra][dataset]") {
    const nn::Splits& data = nn_test::mnist_subset();  // 1000 train file images, validation 200
    CHECK(data.info.name == "mnist");
    CHECK(data.info.num_classes() == 10);
    CHECK(data.train.size() == 800);
    CHECK(data.validation.size() == 200);
    CHECK(data.test.size() == 500);
    CHECK(data.train.images.n_rows == 784);
    CHECK(data.train.images.n_cols == 800);
    CHECK(data.validation.images.n_cols == 200);

    const arma::mat all = nn::read_idx_images(nn_test::test_data_path("mnist/train-images-idx3-ubyte.gz"));
    CHECK_THAT(data.train.images, EqualsMatrix(all.cols(0, 799), 0.0));
    CHECK_THAT(data.validation.images, EqualsMatrix(all.cols(800, 999), 0.0));
    // The first test labels of MNIST: 7 2 1 0 4.
    CHECK_THAT(arma::uvec(data.test.labels.head(5)), EqualsLabels(arma::uvec{7, 2, 1, 0, 4}));
    CHECK(data.test.images.min() >= 0.0);
    CHECK(data.test.images.max() <= 1.0);
}

TEST_CASE("a validation split as large as the training file is refused", "[infra][dataset]") {
    CHECK_THROWS_WITH(nn::load_splits("mnist", NN_TEST_DATA_DIR, 1000), ContainsSubstring("validation split"));
}

TEST_CASE("a missing dataset names where it looked and the command that fetches it", "[infra][dataset]") {
    CHECK_THROWS_AS(nn::load_splits("mnist", "no/such/dir"), nn::InputError);
    CHECK_THROWS_WITH(nn::find_dataset_dir("mnist", "no/such/dir"),
                      ContainsSubstring("MNIST not found in no/such/dir/mnist") && ContainsSubstring("./course setup"));
}

TEST_CASE("both datasets have names and ten classes; others are refused", "[infra][dataset]") {
    CHECK(nn::dataset_info("fashion").title == "Fashion-MNIST");
    CHECK(nn::dataset_info("fashion").class_names.at(9) == "Ankle boot");
    CHECK(nn::dataset_info("mnist").class_names.at(7) == "7");
    CHECK(nn::dataset_info("fashion").image_size() == 784);
    CHECK_THROWS_WITH(nn::dataset_info("cifar"), ContainsSubstring("unknown dataset 'cifar'"));
}

TEST_CASE("the data directory comes from the option, then NN_DATA_DIR", "[infra][dataset]") {
    CHECK(nn::resolve_data_dir("given") == "given");
    ::setenv("NN_DATA_DIR", "from-env", 1);
    CHECK(nn::resolve_data_dir("") == "from-env");
    ::unsetenv("NN_DATA_DIR");
    CHECK_FALSE(nn::resolve_data_dir("").empty());
}

TEST_CASE("mini-batches visit every sample exactly once, the last batch holding the rest", "[infra][dataset]") {
    NN_TEST_SEED(5);
    const nn::Dataset& train = nn_test::mnist_subset().train;
    nn::MiniBatches batches(train, 300);
    REQUIRE(batches.count() == 3);
    std::multiset<double> seen_sums, expected_sums;
    std::vector<arma::uword> sizes;
    for (const nn::Batch& batch : batches) {
        sizes.push_back(batch.labels.n_elem);
        REQUIRE(batch.images.n_cols == batch.labels.n_elem);
        for (arma::uword j = 0; j < batch.labels.n_elem; ++j) seen_sums.insert(arma::accu(batch.images.col(j)));
    }
    for (arma::uword j = 0; j < train.size(); ++j) expected_sums.insert(arma::accu(train.images.col(j)));
    CHECK(sizes == std::vector<arma::uword>{300, 300, 200});
    CHECK(seen_sums == expected_sums);
    // The order is a permutation of 0..N-1.
    CHECK_THAT(arma::uvec(arma::sort(batches.order())), EqualsLabels(arma::regspace<arma::uvec>(0, 799)));
}

TEST_CASE("a batch's images and labels belong together", "[infra][dataset]") {
    NN_TEST_SEED(6);
    const nn::Dataset& train = nn_test::mnist_subset().train;
    nn::MiniBatches batches(train, 64);
    const nn::Batch& batch = batches.get(1);
    for (arma::uword j = 0; j < batch.labels.n_elem; ++j) {
        const arma::uword source = batches.order()[64 + j];
        CHECK(batch.labels[j] == train.labels[source]);
        CHECK(arma::approx_equal(batch.images.col(j), train.images.col(source), "absdiff", 0.0));
    }
}

TEST_CASE("each epoch draws a fresh order; the same seed draws the same one", "[infra][dataset]") {
    const nn::Dataset& train = nn_test::mnist_subset().train;
    nn::set_seed(9, nullptr);
    const arma::uvec first = nn::MiniBatches(train, 32).order();
    const arma::uvec second = nn::MiniBatches(train, 32).order();
    nn::set_seed(9, nullptr);
    const arma::uvec again = nn::MiniBatches(train, 32).order();
    CHECK(arma::any(first != second));
    CHECK_THAT(again, EqualsLabels(first));
}

TEST_CASE("mini-batches refuse a batch size of zero", "[infra][dataset]") {
    CHECK_THROWS_AS(nn::MiniBatches(nn_test::mnist_subset().train, 0), std::invalid_argument);
}

TEST_CASE("Dataset::head takes the first samples", "[infra][dataset]") {
    const nn::Dataset& train = nn_test::mnist_subset().train;
    const nn::Dataset head = train.head(10);
    CHECK(head.size() == 10);
    CHECK_THAT(head.images, EqualsMatrix(train.images.cols(0, 9), 0.0));
    CHECK(train.head(5000).size() == 800);
}

TEST_CASE("load_splits checks the image size of every file before allocating the splits", "[infra][dataset]") {
    // 80,000 images of 1x1 pixel: 80 KB on disk, 500 MB once given room for 28x28 pixels as doubles.
    const std::string dir = data_dir_with_training_files("tiny_images", 80000, 1, 1);
    const auto run = nn_test::run_in_child([&] { nn::load_splits("mnist", dir, 200); });
    REQUIRE(run.completed);
    CHECK_THAT(run.error,
               ContainsSubstring("train-images-idx3-ubyte") && ContainsSubstring("image size: expected 28x28"));
    CHECK(run.peak_growth_mib < 64);
}

TEST_CASE("the test split loads without the training files, so a bad training file does not matter",
          "[infra][dataset]") {
    const std::string dir = data_dir_with_training_files("bad_training", 3, 5, 5);
    CHECK_THROWS_WITH(nn::load_splits("mnist", dir, 1), ContainsSubstring("image size"));
    const nn::Dataset test = nn::load_test_split("mnist", dir, 3);
    CHECK(test.size() == 500);
    CHECK(test.images.n_rows == 784 + 3);
    CHECK_THAT(test.images.rows(0, 783), EqualsMatrix(nn_test::mnist_subset().test.images, 0.0));
    CHECK_THAT(test.labels, EqualsLabels(nn_test::mnist_subset().test.labels));
}

TEST_CASE("the training splits load without the test files, and equal load_splits' train and validation",
          "[infra][dataset]") {
    const fs::path dir = nn_test::temp_path("dataset", "training_only");
    fs::create_directories(dir / "mnist");
    for (const char* file : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"})
        fs::copy_file(nn_test::test_data_path(std::string("mnist/") + file), dir / "mnist" / file,
                      fs::copy_options::overwrite_existing);
    CHECK_THROWS_WITH(nn::load_splits("mnist", dir.string(), 200), ContainsSubstring("MNIST not found"));
    const nn::Splits data = nn::load_training_splits("mnist", dir.string(), 200, 3);
    const nn::Splits& all = nn_test::mnist_subset();  // validation 200, like here
    CHECK(data.test.size() == 0);
    CHECK(data.test.images.n_cols == 0);
    REQUIRE(data.train.images.n_rows == 784 + 3);
    CHECK_THAT(data.train.images.rows(0, 783), EqualsMatrix(all.train.images, 0.0));
    CHECK_THAT(data.validation.images.rows(0, 783), EqualsMatrix(all.validation.images, 0.0));
    CHECK_THAT(data.train.labels, EqualsLabels(all.train.labels));
    CHECK_THAT(data.validation.labels, EqualsLabels(all.validation.labels));
    CHECK_THROWS_WITH(nn::load_training_splits("mnist", dir.string(), 1000), ContainsSubstring("validation split"));
}
