// Chapter 8: the MNIST classifier - train, evaluate, predict, serve.
//
//   ./course run 8 train [--hidden 512,256] [--optimizer adam] [--epochs 40] ...
//   ./course run 8 evaluate --model out/model.nnm [--out out/evaluate]
//   ./course run 8 predict --model out/model.nnm digit.png folder/ [--show] [--json]
//   ./course run 8 serve --model out/model.nnm [--host 127.0.0.1] [--port 8080]
//   ./course run 8 search [--trials 20] [--budget SECONDS] [--epochs 3] [--out DIR] ...
//
// Every option is listed with `--help` after the subcommand.

#include "app.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"Chapter 8: the full classifier - train, evaluate, predict, serve, search"};
    cli.require_subcommand(1);

    app::TrainConfig train;
    train.common.epochs = 40;
    train.common.learning_rate = 0.001;
    train.common.batch_size = 64;
    auto* train_cmd = cli.add_subcommand("train", "Train a classifier, select it on validation, test it once, save it");
    nn::add_data_options(*train_cmd, train.common);
    nn::add_training_options(*train_cmd, train.common);
    train_cmd->add_option("--hidden", train.hidden, "Hidden layer widths, e.g. 512,256")
        ->delimiter(',')
        ->check(CLI::Range(1, 8192))
        ->capture_default_str();
    train_cmd->add_option("--activation", train.activation, "Hidden activation")
        ->check(CLI::IsMember({"relu", "sigmoid", "tanh", "leaky_relu"}))
        ->capture_default_str();
    train_cmd->add_option("--dropout", train.dropout, "Drop probability after each hidden layer")
        ->check(nn::finite_range(0.0, 0.9))
        ->capture_default_str();
    train_cmd->add_option("--optimizer", train.optimizer, "Optimiser")
        ->check(CLI::IsMember({"sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "adamw"}))
        ->capture_default_str();
    train_cmd
        ->add_option("--weight-decay", train.weight_decay,
                     "AdamW's decoupled weight decay lambda (--optimizer adamw only; default 0.01)")
        ->check(nn::finite_range(0.0, 1.0));
    train_cmd->add_option("--schedule", train.schedule, "Learning-rate schedule")
        ->check(CLI::IsMember({"none", "step", "inverse"}))
        ->capture_default_str();
    train_cmd->add_option("--decay-every", train.decay_every, "Epochs per halving (step) or per unit of t (inverse)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    train_cmd->add_option("--features", train.features, "Input features")
        ->check(CLI::IsMember({"raw", "deskew", "deskew+stats"}))
        ->capture_default_str();
    train_cmd->add_option("--patience", train.patience, "Early stopping: epochs without a better validation accuracy")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    train_cmd->add_option("--shift", train.augmentation.max_shift, "Augmentation: shift by up to this many pixels")
        ->check(nn::finite_range(0.0, 8.0))
        ->capture_default_str();
    train_cmd->add_option("--rotate", train.augmentation.max_degrees, "Augmentation: rotate by up to this many degrees")
        ->check(nn::finite_range(0.0, 45.0))
        ->capture_default_str();
    train_cmd->add_option("--scale", train.augmentation.max_scaling, "Augmentation: scale by up to this fraction")
        ->check(nn::finite_range(0.0, 0.5))
        ->capture_default_str();
    train_cmd
        ->add_option("--elastic-alpha", train.augmentation.elastic_alpha,
                     "Augmentation: strength of elastic distortions in pixels (0: none)")
        ->check(nn::finite_range(0.0, 100.0))
        ->capture_default_str();
    train_cmd
        ->add_option("--elastic-sigma", train.augmentation.elastic_sigma,
                     "Augmentation: smoothness of elastic distortions in pixels")
        ->check(nn::finite_range(0.5, 10.0))
        ->capture_default_str();
    train_cmd
        ->add_option("--mirror", train.augmentation.mirror,
                     "Augmentation: probability of a left-right mirror image (for clothes; digits do not mirror)")
        ->check(nn::finite_range(0.0, 1.0))
        ->capture_default_str();
    train_cmd->add_option("--model", train.model_path, "Where to save the model")->capture_default_str();
    train_cmd
        ->add_option("--validation-size", train.validation_size,
                     "Images held out for validation, from the end of the training file")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
        ->capture_default_str();

    app::EvaluateConfig evaluate;
    auto* evaluate_cmd = cli.add_subcommand("evaluate", "Test accuracy, per-class precision and recall, pictures");
    evaluate_cmd->add_option("--model", evaluate.model_path, "The model file")->capture_default_str();
    evaluate_cmd->add_option("--data-dir", evaluate.data_dir, "Folder holding mnist/ (default as for train)");
    evaluate_cmd->add_option("--out", evaluate.out_dir, "Where to write the pictures")->capture_default_str();
    evaluate_cmd->add_option("--json", evaluate.json_path, "Write the metrics as JSON to this file");

    app::PredictConfig predict;
    auto* predict_cmd =
        cli.add_subcommand("predict", "Classify image files (PNG, JPEG, BMP, GIF, PGM) or folders of them");
    predict_cmd->add_option("--model", predict.model_path, "The model file")->capture_default_str();
    predict_cmd->add_option("paths", predict.paths, "Image files or folders")->required();
    predict_cmd->add_flag("--json", predict.json, "Print JSON instead of text");
    predict_cmd->add_flag("--show", predict.show, "Draw each preprocessed input as ASCII art");

    app::ServeConfig serve;
    auto* serve_cmd = cli.add_subcommand("serve", "Serve the model over HTTP: a drawing page, /predict and /health");
    serve_cmd->add_option("--model", serve.model_path, "The model file")->capture_default_str();
    serve_cmd->add_option("--host", serve.host, "Address to listen on (0.0.0.0: every interface)")
        ->capture_default_str();
    serve_cmd->add_option("--port", serve.port, "Port to listen on (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_cmd->add_option("--threads", serve.threads, "Requests handled at once")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();

    app::SearchConfig search;
    search.base = train;  // train's defaults, before parsing
    search.program = argc > 0 ? argv[0] : search.program;
    auto* search_cmd = app::add_search_command(cli, search);

    CLI11_PARSE(cli, argc, argv);
    return nn::guarded_main([&] {
        if (train_cmd->parsed()) return app::train(train);
        if (evaluate_cmd->parsed()) return app::evaluate(evaluate);
        if (predict_cmd->parsed()) return app::predict(predict);
        if (search_cmd->parsed()) return app::search(search);
        return app::serve(serve);
    });
}
