#include "commands.hpp"
#include "exit_status.hpp"
#include "node_process.hpp"
#include "progress.hpp"

#include "posix/files.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <signal.h>
#include <unistd.h>

extern char** environ;

namespace shardtap::tools {
namespace {

using Clock = std::chrono::steady_clock;
// How often nodes and their files are looked at: short, so the wall time is not padded.
constexpr auto poll_interval = std::chrono::milliseconds(20);

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// --out DIR, created if needed, or a new directory under $TMPDIR.
std::string output_directory(std::optional<std::string> const& requested) {
    if (requested) {
        std::error_code error;
        std::filesystem::create_directories(*requested, error);
        if (error || !std::filesystem::is_directory(*requested)) {
            throw CommandError(exit_cannot_create, fmt::format("run: cannot create the directory '{}': {}",
                                                               *requested, error.message()));
        }
        return *requested;
    }
    char const* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/shardtap-run-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
        throw CommandError(exit_cannot_create, fmt::format("run: cannot create a directory like '{}': {}",
                                                           pattern, std::strerror(errno)));
    }
    return pattern;
}

// A node's stream file; one that cannot be read is a stream cut short before its first line.
NodeStream read_node_file(std::string const& path) {
    try {
        return read_node_stream(path, read_file(path));
    } catch (FileReadError const& error) {
        auto node = read_node_stream(path, "");
        node.problem = error.what();
        return node;
    }
}

}  // namespace

int run_command(RunOptions const& options) {
    std::string directory;
    std::string program;
    try {
        char const* path = std::getenv("PATH");
        program = resolve_command(options.command[0], path ? path : "/usr/bin:/bin");
        directory = output_directory(options.out_dir);
    } catch (CommandError const& error) {
        fmt::print(stderr, "shardtap: {}\n", error.what());
        return error.status();
    }

    auto const total = options.nodes;
    auto const width = fmt::formatted_size("{}", total - 1);
    std::vector<std::string> tap_files, log_files;
    auto outputs = options.outputs;
    for (std::size_t i = 0; i < total; ++i) {
        tap_files.push_back(fmt::format("{}/node-{:0{}}.tap", directory, i, width));
        log_files.push_back(fmt::format("{}/node-{:0{}}.log", directory, i, width));
        if (outputs.durations) {
            outputs.node_durations.push_back(
                fmt::format("{}/node-{:0{}}.durations.json", directory, i, width));
            // An earlier run's file in --out DIR would pass for this run's if the node dies.
            std::error_code ignored;
            std::filesystem::remove(outputs.node_durations.back(), ignored);
        }
    }

    auto const start = Clock::now();
    std::vector<std::unique_ptr<NodeProcess>> nodes;
    try {
        for (std::size_t i = 0; i < total; ++i) {
            nodes.push_back(std::make_unique<NodeProcess>(
                program, options.command,
                node_environment(environ, i, total,
                                 outputs.durations ? std::optional(outputs.node_durations[i])
                                                   : std::nullopt),
                tap_files[i], log_files[i]));
        }
    } catch (CommandError const& error) {
        fmt::print(stderr, "shardtap: {}\n", error.what());
        for (auto& node : nodes) {
            ::kill(node->pid(), SIGTERM);
            while (!node->poll()) std::this_thread::sleep_for(poll_interval);
        }
        return error.status();
    }
    fmt::print(stderr, "shardtap: {} node{} of {} started; streams in {}\n", total,
               total == 1 ? "" : "s", options.command[0], directory);

    ProgressDisplay display(stderr, ::isatty(STDERR_FILENO) == 1);
    std::vector<GrowingFile> files(tap_files.begin(), tap_files.end());
    std::vector<ProgressReader> readers(total);
    std::vector<NodeProgress> progress(total);
    std::size_t running = total;
    auto look = [&] {
        running = 0;
        for (std::size_t i = 0; i < total; ++i) {
            if (!nodes[i]->poll()) ++running;
            if (files[i].refresh()) {
                readers[i].read(files[i].new_lines());
                progress[i] = readers[i].progress();
            }
        }
    };
    for (look(); running > 0; look()) {
        display.show("shardtap: " + format_progress(progress, running, seconds_since(start)),
                     seconds_since(start));
        std::this_thread::sleep_for(poll_interval);
    }
    double const wall = seconds_since(start);
    display.finish("shardtap: " + format_progress(progress, 0, wall));

    std::vector<NodeStream> streams;
    for (std::size_t i = 0; i < total; ++i) {
        streams.push_back(read_node_file(tap_files[i]));
        streams.back().exit = nodes[i]->exit();
    }
    int const status = finish_merge(streams, outputs, wall);
    if (status == exit_verification || status == exit_bad_input) {
        fmt::print(stderr, "shardtap: each node's stderr is in {}/node-*.log\n", directory);
    }
    return status;
}

}  // namespace shardtap::tools
