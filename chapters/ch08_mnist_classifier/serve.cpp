// `serve`: the classifier over HTTP, with a page to draw digits on.
//
//   GET  /         the drawing page (compiled into the program: no files, no CDN)
//   GET  /health   status, architecture, dataset and the test accuracy recorded in the model
//   POST /predict  {"pixels": [784 numbers]} as application/json, or an image body
//                  (image/png, ...): {"digit", "label", "probabilities", "preprocessed"}
//
// Every refusal is a 4xx (or a 503 when too many clients connect at once) with
// {"error": "..."}. The limits on bytes, time, threads and connections are
// kept by BoundedServer (bounded_server.hpp). Ctrl-C (or SIGTERM) stops the
// server within about a second, whatever the clients do.

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "app.hpp"
#include "bounded_server.hpp"
#include "nn/close_on_exec.hpp"
#include "nn/core.hpp"
#include "nn/dataset.hpp"
#include "nn/metrics.hpp"
#include "nn/model.hpp"
#include "nn/progress.hpp"
#include "predict_body.hpp"
#include "serve_page.hpp"  // generated from page.html: app::page_html

namespace app {
namespace {

void send_json(httplib::Response& res, int status, const nn::Json& body) {
    res.status = status;
    res.set_content(json_text(body), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    send_json(res, status, {{"error", message}});
}

// At most `threads` requests are worked on at once (parsing, decoding, the
// model), whatever the number of connections: this bounds the memory they
// take together (a 1 MiB JSON body parses into tens of MB).
class Gate {
public:
    explicit Gate(int slots) : free_(slots) {}
    void run(const std::function<void()>& work) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            opened_.wait(lock, [this] { return free_ > 0; });
            --free_;
        }
        const auto leave = [this] {
            {
                const std::lock_guard<std::mutex> lock(mutex_);
                ++free_;
            }
            opened_.notify_one();
        };
        try {
            work();
        } catch (...) {
            leave();
            throw;
        }
        leave();
    }

private:
    std::mutex mutex_;
    std::condition_variable opened_;
    int free_;
};

nn::Json health(const nn::Classifier& model, const nn::DatasetInfo& info) {
    nn::Json accuracy = nullptr;
    if (std::isfinite(model.test_accuracy)) accuracy = model.test_accuracy;
    return {{"status", "ok"},
            {"dataset", model.dataset},
            {"classes", info.class_names},
            {"features", nn::features_name(model.features)},
            {"activation", model.activation},
            {"sizes", model.sizes},
            {"architecture", model.network.describe()},
            {"test_accuracy", accuracy}};
}

// POST /predict: the pixels or the image in the body, through the model (predict_body.cpp).
void answer_prediction(const httplib::Request& req, httplib::Response& res, Predictor& predictor,
                       const nn::DatasetInfo& info) {
    const PredictAnswer answer = answer_predict(req.get_header_value("Content-Type"), req.body, predictor, info);
    send_json(res, answer.status, answer.body);
}

std::string status_text(int status) {
    switch (status) {
        case 400:
            return "bad request";
        case 404:
            return "no such page: try GET /, GET /health or POST /predict";
        case 405:
            return "method not allowed";
        case 414:
            return "the request line is too long";
        case 415:
            return "unsupported content type";
        case 416:
            return "a malformed Range header (Range is not served here: send none)";
        default:
            return "HTTP status " + std::to_string(status);
    }
}

// Ctrl-C and SIGTERM stop the server. The handler only writes the signal's
// number to a pipe (all a handler may safely do, and other libraries' threads,
// such as OpenBLAS's, may be the ones that receive it); a thread reads the pipe
// and calls stop(), which lets the requests in progress finish.
int stop_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int signal) {
    const int saved = errno;  // the interrupted code may be about to read errno
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = write(stop_pipe[1], &byte, 1);
    errno = saved;
}

class StopOnSignal {
public:
    explicit StopOnSignal(BoundedServer& server) {
        if (nn::pipe_close_on_exec(stop_pipe) != 0) throw std::runtime_error("cannot create a pipe for Ctrl-C");
        struct sigaction action {};
        action.sa_handler = on_stop_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
        thread_ = std::thread([this, &server] {
            // poll() returns on a signal whatever SA_RESTART says (read() would be
            // restarted); under ThreadSanitizer the handler runs only once it returns.
            pollfd wake{stop_pipe[0], POLLIN, 0};
            while (poll(&wake, 1, -1) < 0 && errno == EINTR) {
            }
            unsigned char signal = 0;
            while (read(stop_pipe[0], &signal, 1) < 0 && errno == EINTR) {
            }
            if (signal != SIGINT && signal != SIGTERM) return;  // woken by the destructor
            std::cout << "\nStopping (" << (signal == SIGINT ? "Ctrl-C" : "SIGTERM") << ")..." << std::endl;
            // stop() does nothing until listen has started: a signal that comes
            // just before must wait for it rather than be lost.
            while (!server.is_running() && !finished_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            server.stop_serving();
        });
        // This thread, which accepts the connections, and the threads it starts
        // block the two signals, so that the kernel hands them to the thread
        // above (or to one of OpenBLAS's). Under ThreadSanitizer a handler
        // that interrupts accept() is held back until the call returns, which
        // with SA_RESTART means until the next client connects.
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask_);
    }
    // The server has stopped, on a signal or on its own: wake the thread if it still waits.
    ~StopOnSignal() {
        finished_ = true;
        on_stop_signal(0);
        thread_.join();
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        close(stop_pipe[0]);
        close(stop_pipe[1]);
    }
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;

private:
    std::atomic<bool> finished_{false};
    std::thread thread_;
    struct sigaction old_int_ {
    }, old_term_{};
    sigset_t old_mask_{};
};

}  // namespace

int serve(const ServeConfig& config) {
    Predictor predictor(nn::load_model(config.model_path));
    const nn::DatasetInfo info = nn::dataset_info(predictor.model().dataset);

    BoundedServer server(ServerLimits{}, send_error);
    server.set_payload_max_length(server.limits().max_body_bytes);
    server.set_tcp_nodelay(true);  // answers go out in two writes; without this, Nagle holds the second ~40 ms
    Gate gate(config.threads);

    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(page_html.data(), page_html.size(), "text/html; charset=utf-8");
    });
    const nn::Json health_answer = health(predictor.model(), info);  // the model does not change
    server.Get("/health", [&](const httplib::Request&, httplib::Response& res) { send_json(res, 200, health_answer); });
    server.Post("/predict", [&](const httplib::Request& req, httplib::Response& res) {
        gate.run([&] { answer_prediction(req, res, predictor, info); });
    });

    for (const char* path : {"/predict", "/health", "/"}) {
        const std::string allowed = std::string(path) == "/predict" ? "POST" : "GET";
        const auto refuse = [allowed](const httplib::Request& req, httplib::Response& res) {
            res.set_header("Allow", allowed);
            send_error(res, 405, req.method + " is not allowed here; use " + allowed);
        };
        if (allowed == "POST")
            server.Get(path, refuse);
        else
            server.Post(path, refuse);
        server.Put(path, refuse);
        server.Delete(path, refuse);
    }
    // Statuses httplib sets by itself (unknown path, body too large, ...) get a JSON body too.
    server.set_error_handler(httplib::Server::Handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) send_error(res, res.status, status_text(res.status));
    }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "internal error";
        try {
            if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what += std::string(": ") + e.what();
        } catch (...) {
        }
        std::cerr << "serve: " << what << '\n';
        send_error(res, 500, what);
    });

    const int port = server.open_port(config.host, config.port);
    if (port < 0 && config.port == 0) throw nn::InputError("cannot listen on " + config.host + " (any port)");
    if (port < 0) {
        throw nn::InputError("cannot listen on " + config.host + ":" + std::to_string(config.port) +
                             ": the port is in use (is a server already running?), or " + config.host +
                             " is not an address of this machine; try another --port");
    }
    const double accuracy = predictor.model().test_accuracy;
    std::cout << "Model: " << config.model_path << " (" << info.title << ", " << predictor.model().network.describe()
              << (std::isfinite(accuracy) ? ", test accuracy " + nn::percent(accuracy) : std::string()) << ")\n"
              << "Serving on http://" << config.host << ':' << port << "/  (Ctrl-C to stop)" << std::endl;

    {
        StopOnSignal stopper(server);
        if (!server.listen_after_bind()) throw nn::InputError("the server stopped with an error");
    }
    std::cout << "Stopped." << std::endl;
    return 0;
}

}  // namespace app
