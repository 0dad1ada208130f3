// `shardtap run`, as named steps: plan the node files (pure), prepare them, start the nodes,
// follow them until they end (passing on a stop signal), merge what they wrote, clean up.
#include "run/run_command.hpp"

#include "cli/exit_status.hpp"
#include "run/node_process.hpp"
#include "run/progress.hpp"
#include "run/stop_signals.hpp"
#include "verify/merge_command.hpp"

#include "core/text/counted.hpp"
#include "core/text/quoted.hpp"
#include "posix/files.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unistd.h>

extern char** environ;

namespace shardtap::tools {
namespace {

using Clock = std::chrono::steady_clock;
// How often nodes and their files are looked at: short, so the wall time is not padded.
constexpr auto poll_interval = std::chrono::milliseconds(20);
// After a stop signal, how long the nodes may take to end before they are killed.
constexpr auto stop_grace = std::chrono::seconds(10);

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Where node i's files go.
struct NodeFiles {
    std::string tap;     // its stdout
    std::string log;     // its stderr
    std::string tmpdir;  // its TMPDIR
    std::optional<std::string> durations;  // its SHARDTAP_DURATIONS_OUT, with --durations
};

// DIR/node-i.*, i zero-padded so that the files sort in node order. Pure.
std::vector<NodeFiles> plan_node_files(std::string const& directory, std::size_t total, bool durations) {
    auto const width = fmt::formatted_size("{}", total - 1);
    std::vector<NodeFiles> files;
    for (std::size_t i = 0; i < total; ++i) {
        auto const stem = fmt::format("{}/node-{:0{}}", directory, i, width);
        files.push_back({stem + ".tap", stem + ".log", stem + ".tmp",
                         durations ? std::optional(stem + ".durations.json") : std::nullopt});
    }
    return files;
}

std::vector<NodeSettings> plan_node_settings(std::vector<NodeFiles> const& files,
                                             std::optional<double> test_timeout) {
    std::vector<NodeSettings> settings;
    for (auto const& node : files) {
        settings.push_back({node.durations, node.tmpdir,
                            test_timeout ? std::optional(fmt::format("{}", *test_timeout)) : std::nullopt});
    }
    return settings;
}

[[noreturn]] void cannot_create(std::string const& what, std::string const& path, std::string const& why) {
    throw CommandError(exit_cannot_create, fmt::format("run: cannot create {} {}: {}", what, in_quotes(path), why));
}

// --out DIR, created if needed, or a new directory under $TMPDIR.
std::string output_directory(std::optional<std::string> const& requested) {
    if (requested) {
        std::error_code error;
        std::filesystem::create_directories(*requested, error);
        if (error || !std::filesystem::is_directory(*requested)) {
            cannot_create("the directory", *requested, error.message());
        }
        return *requested;
    }
    char const* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/shardtap-run-XXXXXX";
    if (!::mkdtemp(pattern.data())) cannot_create("a directory like", pattern, std::strerror(errno));
    return pattern;
}

// An earlier run's durations file in --out DIR would pass for this run's if the node dies, and
// its TMPDIR would hand this run its files: both go; each node gets a new, empty TMPDIR.
void prepare_node_files(std::vector<NodeFiles> const& files) {
    for (auto const& node : files) {
        std::error_code error;
        if (node.durations) std::filesystem::remove(*node.durations, error);
        std::filesystem::remove_all(node.tmpdir, error);
        if (!std::filesystem::create_directory(node.tmpdir, error)) {
            cannot_create("the node's TMPDIR", node.tmpdir, error.message());
        }
    }
}

void remove_node_tmpdirs(std::vector<NodeFiles> const& files) {
    for (auto const& node : files) {
        std::error_code ignored;
        std::filesystem::remove_all(node.tmpdir, ignored);
    }
}

using Nodes = std::vector<std::unique_ptr<NodeProcess>>;

Nodes start_nodes(std::string const& program, RunOptions const& options,
                  std::vector<NodeFiles> const& files, std::vector<int> const& default_signals) {
    auto const settings = plan_node_settings(files, options.test_timeout);
    Nodes nodes;  // if one cannot start, those started are stopped as they go out of scope
    for (std::size_t i = 0; i < files.size(); ++i) {
        nodes.push_back(std::make_unique<NodeProcess>(
            program, options.command, node_environment(environ, i, files.size(), settings[i]),
            files[i].tap, files[i].log, default_signals));
    }
    return nodes;
}

// Follows the nodes' TAP files for the progress line.
class Followers {
public:
    explicit Followers(std::vector<NodeFiles> const& files) : m_progress(files.size()) {
        for (auto const& node : files) m_files.emplace_back(node.tap);
        m_readers.resize(files.size());
    }
    std::vector<NodeProgress> const& look() {
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            if (!m_files[i].refresh()) continue;
            m_readers[i].read(m_files[i].new_lines());
            m_progress[i] = m_readers[i].progress();
        }
        return m_progress;
    }

private:
    std::vector<GrowingFile> m_files;
    std::vector<ProgressReader> m_readers;
    std::vector<NodeProgress> m_progress;
};

std::size_t still_running(Nodes& nodes) {
    std::size_t running = 0;
    for (auto& node : nodes) running += node->poll() ? 0 : 1;
    return running;
}

// Passes `signal` on to every node still running; returns how many got it.
std::size_t stop_nodes(Nodes& nodes, int signal) {
    std::size_t stopped = 0;
    for (auto& node : nodes) stopped += node->stop(signal) ? 1 : 0;
    return stopped;
}

// A stop signal's course: passed on to the nodes, then, on a second one or when the nodes
// still run `stop_grace` later, SIGKILL.
struct Stopping {
    int signal = 0;  // the first stop signal; 0: none came
    bool killed = false;
    Clock::time_point deadline;
};


// `signal`: what this look brought (0: nothing).
void react(int signal, Stopping& stopping, Nodes& nodes, ProgressDisplay& display) {
    if (stopping.signal == 0 && signal != 0) {
        stopping.signal = signal;
        stopping.deadline = Clock::now() + stop_grace;
        auto const stopped = stop_nodes(nodes, signal);
        display.note(fmt::format("shardtap: {}: passed on to {} still running; what they wrote is merged",
                                 signal_name(signal), counted(stopped, "node")));
        return;
    }
    if (stopping.signal == 0 || stopping.killed) return;
    if (signal == 0 && Clock::now() < stopping.deadline) return;
    stopping.killed = true;
    auto const killed = stop_nodes(nodes, SIGKILL);
    display.note(signal != 0 ? fmt::format("shardtap: {} again: killed {}", signal_name(signal), counted(killed, "node"))
                             : fmt::format("shardtap: killed {} still running {} s after {}", counted(killed, "node"),
                                           stop_grace.count(), signal_name(stopping.signal)));
}

// How a run ends: when the nodes have ended, and the first stop signal, if any.
struct RunEnd {
    double wall_seconds = 0;
    int signal = 0;
};

// Waits for the nodes while showing progress, reacting to stop signals.
RunEnd follow_nodes(Nodes& nodes, Followers& followers, StopSignals& signals, ProgressDisplay& display,
                    Clock::time_point start) {
    Stopping stopping;
    for (auto running = still_running(nodes); running > 0; running = still_running(nodes)) {
        display.show("shardtap: " + format_progress(followers.look(), running, seconds_since(start)),
                     seconds_since(start));
        react(signals.wait(poll_interval), stopping, nodes, display);
    }
    RunEnd const end{seconds_since(start), stopping.signal};
    display.finish("shardtap: " + format_progress(followers.look(), 0, end.wall_seconds));
    return end;
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

std::vector<NodeStream> collect_streams(std::vector<NodeFiles> const& files, Nodes const& nodes) {
    std::vector<NodeStream> streams;
    for (std::size_t i = 0; i < files.size(); ++i) {
        streams.push_back(read_node_file(files[i].tap));
        streams.back().exit = nodes[i]->exit();
    }
    return streams;
}

// A run ended by a signal says so, whatever the merge found: 128 + its number, as a shell does.
int run_status(int merge_status, int signal) { return signal != 0 ? 128 + signal : merge_status; }

int run(RunOptions const& options, StopSignals& signals) {
    char const* path = std::getenv("PATH");
    auto const program = resolve_command(options.command[0], path ? path : "/usr/bin:/bin");
    auto const directory = output_directory(options.out_dir);
    auto const files = plan_node_files(directory, options.nodes, options.outputs.durations.has_value());
    prepare_node_files(files);
    auto outputs = options.outputs;
    for (auto const& node : files) {
        if (node.durations) outputs.node_durations.push_back(*node.durations);
    }

    auto const start = Clock::now();
    auto nodes = start_nodes(program, options, files, signals.node_defaults());
    fmt::print(stderr, "shardtap: {} of {} started; streams in {}\n", counted(nodes.size(), "node"),
               options.command[0], directory);
    ProgressDisplay display(stderr, ::isatty(STDERR_FILENO) == 1);
    Followers followers(files);
    auto const end = follow_nodes(nodes, followers, signals, display, start);

    int const status = finish_merge(collect_streams(files, nodes), outputs, end.wall_seconds);
    if (status == exit_verification || status == exit_bad_input) {
        fmt::print(stderr, "shardtap: each node's stderr is in {}/node-*.log\n", directory);
    }
    if (!options.out_dir) remove_node_tmpdirs(files);
    int const late_signal = signals.wait(std::chrono::milliseconds(0));  // one during the merge
    return run_status(status, end.signal != 0 ? end.signal : late_signal);
}

// One line on stderr that cannot throw: stderr itself may be what failed.
void say(std::string const& line) noexcept {
    try {
        fmt::print(stderr, "shardtap: {}\n", line);
    } catch (...) {
    }
}

}  // namespace

int run_command(RunOptions const& options) {
    StopSignals signals;
    try {
        return run(options, signals);
    } catch (CommandError const& error) {
        say(error.what());
        return error.status();
    } catch (std::exception const& error) {
        // The nodes are gone by now: stopped and reaped as run() unwound.
        say(fmt::format("run: stopped every node after an error: {}", error.what()));
        return exit_software;
    }
}

}  // namespace shardtap::tools
