// A short, bounded load check of `ch08_mnist_classifier serve`, on loopback
// only. It starts the server on a free port, times how long it takes to
// answer /health, then has N clients POST real MNIST test digits to /predict
// for a few seconds, and prints requests per second and latency percentiles.
// Finally it stops the server with SIGINT (as Ctrl-C would) and times that.
// `--json FILE` writes the settings and the numbers (tools/results_tables
// stores them in docs/results/ for the README).
//
//   build/release/bin/serve_load --model out/model.nnm [--clients 4] [--seconds 3] [--body json|png] [--json FILE]

#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <thread>

#include "child_process.hpp"
#include "nn/cli.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/image.hpp"
#include "nn/metrics.hpp"
#include "nn/progress.hpp"
#include "nn/timer.hpp"
#include "serve_measure.hpp"

namespace {

using nn_tools::beside_this_program;
using nn_tools::latency_json;
using nn_tools::ms;
using nn_tools::percentile;

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Config {
    std::string server;
    std::string model = "out/model.nnm";
    std::string data_dir;
    int clients = 4;
    double seconds = 3.0;
    std::string body = "json";
    int digits = 200;
    std::string json_path;
};

struct Request {
    std::string body;
    std::string type;
    arma::uword label;
};

std::vector<Request> make_requests(const Config& config) {
    const nn::Splits data = nn::load_splits("mnist", nn::resolve_data_dir(config.data_dir), 0);
    std::vector<Request> requests;
    for (int i = 0; i < config.digits; ++i) {
        const arma::vec pixels = data.test.images.col(i);
        if (config.body == "png") {
            requests.push_back({nn::encode_png(nn::gray_image(pixels, 28, 28, 4)), "image/png", data.test.labels[i]});
        } else {
            requests.push_back({nn::Json{{"pixels", arma::conv_to<std::vector<double>>::from(pixels)}}.dump(),
                                "application/json", data.test.labels[i]});
        }
    }
    return requests;
}

int run(const Config& config) {
    const std::vector<Request> requests = make_requests(config);

    // Start the server and time it until it answers.
    nn::Timer startup;
    nn::ChildProcess server({config.server, "serve", "--model", config.model, "--port", "0"});
    const std::string line = server.wait_for_line("Serving on http://", 30s);
    const double listening = startup.seconds();
    const int port = std::stoi(line.substr(line.rfind(':') + 1));
    httplib::Client probe("127.0.0.1", port);
    while (!probe.Get("/health")) {
        if (startup.seconds() > 30.0) throw nn::InputError("the server does not answer /health");
        std::this_thread::sleep_for(5ms);
    }
    const double answering = startup.seconds();

    // The load: each client sends the digits in turn, one request at a time, on one kept-alive connection.
    std::vector<std::vector<double>> latencies(config.clients);
    std::atomic<long> errors{0}, correct{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    nn::Timer wall;
    for (int c = 0; c < config.clients; ++c)
        clients.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle delay between them
            client.set_read_timeout(10s);
            for (std::size_t i = static_cast<std::size_t>(c) * 7; !stop; ++i) {
                const Request& r = requests[i % requests.size()];
                nn::Timer one;
                auto result = client.Post("/predict", r.body, r.type);
                const double seconds = one.seconds();
                if (!result || result->status != 200) {
                    ++errors;
                    continue;
                }
                latencies[c].push_back(seconds);
                if (nn::Json::parse(result->body)["digit"].get<arma::uword>() == r.label) ++correct;
            }
        });
    std::this_thread::sleep_for(std::chrono::duration<double>(config.seconds));
    stop = true;
    for (auto& t : clients) t.join();
    const double elapsed = wall.seconds();

    nn::Timer stopping;
    server.send(SIGINT);
    const auto status = server.wait(30s);
    const double stop_seconds = stopping.seconds();

    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    const auto row = [](const std::string& name, const std::string& value) {
        std::cout << std::left << std::setw(26) << name << value << '\n';
    };
    std::cout << "Load check of " << fs::path(config.server).filename().string() << " serve (loopback, "
              << config.clients << " clients, " << config.seconds << " s, " << config.body << " bodies of "
              << requests.size() << " MNIST test digits)\n"
              << std::string(70, '-') << '\n';
    row("listening after", ms(listening));
    row("answering /health after", ms(answering));
    row("requests", std::to_string(all.size()) + " answered, " + std::to_string(errors.load()) + " failed");
    row("throughput", std::to_string(static_cast<long>(all.size() / elapsed)) + " requests/s");
    row("latency p50 / p90 / p99",
        ms(percentile(all, 0.50)) + " / " + ms(percentile(all, 0.90)) + " / " + ms(percentile(all, 0.99)));
    row("latency max", ms(all.empty() ? 0.0 : all.back()));
    row("answers matching label", nn::percent(all.empty() ? 0.0 : static_cast<double>(correct) / all.size()));
    row("stop on SIGINT",
        status ? ms(stop_seconds) + ", exit code " + std::to_string(*status) : "did not stop in 30 s");
    if (!config.json_path.empty())
        nn::write_json(config.json_path, {{"server", fs::path(config.server).filename().string()},
                                          {"model", config.model},
                                          {"clients", config.clients},
                                          {"seconds", config.seconds},
                                          {"body", config.body},
                                          {"digits", requests.size()},
                                          {"listening_seconds", listening},
                                          {"answering_seconds", answering},
                                          {"answered", all.size()},
                                          {"failed", errors.load()},
                                          {"elapsed_seconds", elapsed},
                                          {"requests_per_second", all.size() / elapsed},
                                          {"latency_seconds", latency_json(all, {50, 90, 99})},
                                          {"answers_matching_label", correct.load()},
                                          {"stop_seconds", stop_seconds},
                                          {"exit_code", status ? nn::Json(*status) : nn::Json()}});
    return errors == 0 && status == 0 && !all.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Config config;
    config.server = beside_this_program("ch08_mnist_classifier_reference");
    CLI::App app{"A short load check of the classifier's HTTP server, on loopback"};
    app.add_option("--model", config.model, "The model file to serve")->capture_default_str();
    app.add_option("--server", config.server, "The program to start with `serve`")->capture_default_str();
    app.add_option("--data-dir", config.data_dir, "Folder holding mnist/ (the digits to send)");
    app.add_option("--clients", config.clients, "Clients sending requests at once")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    app.add_option("--seconds", config.seconds, "How long to send requests")
        ->check(CLI::Range(0.5, 30.0))
        ->capture_default_str();
    app.add_option("--body", config.body, "Send MNIST pixels as JSON, or 4x enlarged PNG images")
        ->check(CLI::IsMember({"json", "png"}))
        ->capture_default_str();
    app.add_option("--json", config.json_path, "Write the settings and the numbers as JSON to this file");
    CLI11_PARSE(app, argc, argv);
    return nn::guarded_main([&] { return run(config); });
}
