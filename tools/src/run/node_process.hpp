#pragma once
// Starting a node's process with its own environment and output files, and waiting for it.

#include "cli/exit_status.hpp"
#include "verify/node_stream.hpp"

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardtap::tools {

// A command that cannot be started; status() is what `shardtap run` exits with.
class CommandError : public std::runtime_error {
public:
    CommandError(ExitStatus status, std::string const& message)
        : std::runtime_error(message), m_status(status) {}
    ExitStatus status() const { return m_status; }

private:
    ExitStatus m_status;
};

// The file that running `name` executes: `name` itself when it holds a '/', else the first
// executable match on PATH, as a shell finds it. Throws CommandError: 127 when there is no
// such file, 126 when it is a directory or not executable.
std::string resolve_command(std::string const& name, std::string const& path_variable);

// What `shardtap run` sets for one node besides its index.
struct NodeSettings {
    std::optional<std::string> durations_out;  // SHARDTAP_DURATIONS_OUT (--durations)
    std::optional<std::string> tmpdir;         // TMPDIR: the node's own
    std::optional<std::string> test_timeout;   // SHARDTAP_TEST_TIMEOUT (--timeout)
};

// This process's environment with node `index` of `total` set, for shardtap
// (SHARDTAP_NODE_TOTAL/INDEX, which win over any CI's variables) and for tools that read
// Heroku CI's CI_NODE_TOTAL/INDEX), and each of `settings` that is given.
// An inherited SHARDTAP_DURATIONS_OUT is never passed on: every node would write that one file.
std::vector<std::string> node_environment(char const* const* environment, std::size_t index,
                                          std::size_t total, NodeSettings const& settings = {});

// One node's process, in a process group of its own (its children included). It never
// outlives its object: destroyed while it runs, its process group is killed and it is reaped.
class NodeProcess {
public:
    // Starts `program` with `arguments` (arguments[0] included), stdin from /dev/null, stdout
    // and stderr into the given files (created or truncated), no signal blocked and
    // `default_signals` at their default action. Throws CommandError.
    NodeProcess(std::string const& program, std::vector<std::string> const& arguments,
                std::vector<std::string> const& environment, std::string const& stdout_path,
                std::string const& stderr_path, std::vector<int> const& default_signals = {});
    ~NodeProcess();
    NodeProcess(NodeProcess const&) = delete;
    NodeProcess& operator=(NodeProcess const&) = delete;

    // Does not block; true once the process has ended (and was reaped).
    bool poll();
    // Sends `signal` to the node's process group if it still runs; the first signal sent is
    // its exit's stopped_with. True when it was running.
    bool stop(int signal);
    std::optional<NodeExit> const& exit() const { return m_exit; }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_stopped_with = 0;
    std::optional<NodeExit> m_exit;
};

}  // namespace shardtap::tools
