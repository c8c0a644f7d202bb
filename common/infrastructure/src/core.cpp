#include "nn/core.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace nn {
namespace {

// "/home/x/repo/exercises/ch02_softmax_regression.cpp" -> "exercises/ch02_softmax_regression.cpp"
std::string project_relative(const std::string& file) {
    for (const char* folder : {"exercises/", "solutions/", "stubs/"}) {
        const auto at = file.rfind(folder);
        if (at != std::string::npos) return "exercises/" + file.substr(at + std::string(folder).size());
    }
    return file;
}

// "ch02.1 softmax" -> 2 (0 if the task id has another form)
int chapter_of(const std::string& task) {
    if (task.size() >= 4 && task.compare(0, 2, "ch") == 0) return std::atoi(task.c_str() + 2);
    return 0;
}

std::string not_implemented_message(const std::string& task, const char* file) {
    std::ostringstream message;
    message << task << " is not implemented yet: write it in " << project_relative(file);
    if (const int chapter = chapter_of(task)) message << " (chapter " << chapter << ")";
    return message.str();
}

}  // namespace

NotImplemented::NotImplemented(const std::string& task, const char* file)
    : message_(not_implemented_message(task, file)) {}

int guarded_main(const std::function<int()>& body) { return guarded_main(body, std::cerr); }

int guarded_main(const std::function<int()>& body, std::ostream& errors) {
    try {
        return body();
    } catch (const NotImplemented& e) {
        std::cout.flush();
        errors << "\nnot implemented: " << e.what() << '\n'
               << "  ./course check shows which tasks of the chapter pass; "
                  "./course run N --reference runs the reference solution.\n";
        return 3;
    } catch (const InputError& e) {
        std::cout.flush();
        errors << "\nerror: " << e.what() << '\n';
        return 2;
    } catch (const TrainingDiverged& e) {
        std::cout.flush();
        errors << "\ntraining stopped: " << e.what() << '\n';
        return 4;
    } catch (const std::exception& e) {
        std::cout.flush();
        errors << "\nerror: " << e.what() << '\n';
        return 1;
    }
}

void require_finite_loss(double loss, int epoch, double learning_rate) {
    if (std::isfinite(loss)) return;
    std::ostringstream message;
    message << "the loss became " << loss << " in epoch " << epoch << " with learning rate " << learning_rate
            << ". The steps are too large and the weights blew up: "
            << "try a smaller learning rate, e.g. --learning-rate " << learning_rate / 10;
    throw TrainingDiverged(message.str());
}

namespace {

// Removes the temporary files "<name>.tmp.<pid>" beside path whose process no
// longer exists: saves killed before their rename. A save still under way
// (its process alive) keeps its file.
void remove_stale_temporaries(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const std::string prefix = target.filename().string() + ".tmp.";
    std::error_code error;
    fs::directory_iterator entry(target.has_parent_path() ? target.parent_path() : fs::path("."), error);
    for (; !error && entry != fs::directory_iterator(); entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        const std::string pid = name.substr(std::min(prefix.size(), name.size()));
        if (name.compare(0, prefix.size(), prefix) != 0 || pid.empty() || pid.size() > 9 ||
            pid.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::error_code ignored;
        if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove(entry->path(), ignored);
    }
}

}  // namespace

void write_file_atomically(const std::string& path, const void* data, std::size_t size, const std::string& what) {
    remove_stale_temporaries(path);
    // A name of its own per process, so two programs saving at once do not share a temporary file.
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    std::FILE* out = std::fopen(temporary.c_str(), "wb");
    if (!out) throw InputError(path + ": cannot write the " + what + ": " + std::strerror(errno));
    const bool written =
        std::fwrite(data, 1, size, out) == size && std::fflush(out) == 0 && ::fsync(::fileno(out)) == 0;
    if (std::fclose(out) != 0 || !written) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot write the " + what + " (disk full?)");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot move the " + what + " into place: " + error.message());
    }
}

}  // namespace nn
