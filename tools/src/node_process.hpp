#pragma once
// Starting a node's process with its own environment and output files, and waiting for it.

#include "exit_status.hpp"
#include "node_stream.hpp"

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
        : std::runtime_error(message), status_(status) {}
    ExitStatus status() const { return status_; }

private:
    ExitStatus status_;
};

// The file that running `name` executes: `name` itself when it holds a '/', else the first
// executable match on PATH, as a shell finds it. Throws CommandError: 127 when there is no
// such file, 126 when it is a directory or not executable.
std::string resolve_command(std::string const& name, std::string const& path_variable);

// This process's environment with node `index` of `total` set, for shardtap
// (SHARDTAP_NODE_TOTAL/INDEX, which win over any CI's variables) and for tools that read
// Heroku CI's CI_NODE_TOTAL/INDEX), and SHARDTAP_DURATIONS_OUT when `durations_out` is given.
// An inherited SHARDTAP_DURATIONS_OUT is never passed on: every node would write that one file.
std::vector<std::string> node_environment(char const* const* environment, std::size_t index,
                                          std::size_t total,
                                          std::optional<std::string> const& durations_out = {});

class NodeProcess {
public:
    // Starts `program` with `arguments` (arguments[0] included), stdin from /dev/null, stdout
    // and stderr into the given files (created or truncated). Throws CommandError.
    NodeProcess(std::string const& program, std::vector<std::string> const& arguments,
                std::vector<std::string> const& environment, std::string const& stdout_path,
                std::string const& stderr_path);

    // Does not block; true once the process has ended.
    bool poll();
    std::optional<NodeExit> const& exit() const { return exit_; }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::optional<NodeExit> exit_;
};

}  // namespace shardtap::tools
