#include "run/node_process.hpp"

#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shardtap::tools {
namespace {

enum class Candidate { missing, not_executable, directory, executable };

Candidate inspect(std::string const& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return Candidate::missing;
    if (S_ISDIR(info.st_mode)) return Candidate::directory;
    return ::access(path.c_str(), X_OK) == 0 ? Candidate::executable : Candidate::not_executable;
}

// "NAME=" of an environment entry "NAME=value".
std::string_view name_of(std::string_view entry) { return entry.substr(0, entry.find('=') + 1); }

bool overridden(std::string_view entry, std::vector<std::string> const& settings) {
    for (auto const& setting : settings) {
        if (name_of(entry) == name_of(setting)) return true;
    }
    return false;
}

// A file each node would write: inherited, every node would write the same one.
bool per_node(std::string_view entry) { return name_of(entry) == "SHARDTAP_DURATIONS_OUT="; }

// The node in a process group of its own, with a clean signal mask and dispositions.
struct SpawnAttributes {
    explicit SpawnAttributes(std::vector<int> const& default_signals) {
        posix_spawnattr_init(&value);
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        for (int signal : default_signals) sigaddset(&defaults, signal);
        posix_spawnattr_setsigmask(&value, &none);
        posix_spawnattr_setsigdefault(&value, &defaults);
        posix_spawnattr_setpgroup(&value, 0);
        posix_spawnattr_setflags(&value, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    }
    ~SpawnAttributes() { posix_spawnattr_destroy(&value); }
    SpawnAttributes(SpawnAttributes const&) = delete;
    SpawnAttributes& operator=(SpawnAttributes const&) = delete;
    posix_spawnattr_t value;
};

std::vector<char*> pointers(std::vector<std::string> const& strings) {
    std::vector<char*> result;
    for (auto const& s : strings) result.push_back(const_cast<char*>(s.c_str()));
    result.push_back(nullptr);
    return result;
}

}  // namespace

std::string resolve_command(std::string const& name, std::string const& path_variable) {
    if (name.find('/') != std::string::npos) {
        switch (inspect(name)) {
            case Candidate::executable: return name;
            case Candidate::missing:
                throw CommandError(exit_not_found, fmt::format("run: no such command: {}", in_quotes(name)));
            case Candidate::directory:
                throw CommandError(exit_not_executable, fmt::format("run: {} is a directory", in_quotes(name)));
            case Candidate::not_executable:
                throw CommandError(exit_not_executable,
                                   fmt::format("run: {} is not executable (chmod +x?)", in_quotes(name)));
        }
    }
    std::optional<std::string> found_not_executable;
    std::size_t start = 0;
    while (start <= path_variable.size()) {
        auto end = path_variable.find(':', start);
        if (end == std::string::npos) end = path_variable.size();
        std::string directory = path_variable.substr(start, end - start);
        if (directory.empty()) directory = ".";
        auto const candidate = directory + "/" + name;
        auto const kind = inspect(candidate);
        if (kind == Candidate::executable) return candidate;
        if (kind == Candidate::not_executable && !found_not_executable) found_not_executable = candidate;
        start = end + 1;
    }
    if (found_not_executable) {
        throw CommandError(exit_not_executable,
                           fmt::format("run: {} is not executable (chmod +x?)", in_quotes(*found_not_executable)));
    }
    throw CommandError(exit_not_found, fmt::format("run: command not found on PATH: {}", in_quotes(name)));
}

std::vector<std::string> node_environment(char const* const* environment, std::size_t index,
                                          std::size_t total, NodeSettings const& node) {
    std::vector<std::string> settings = {
        fmt::format("SHARDTAP_NODE_TOTAL={}", total), fmt::format("SHARDTAP_NODE_INDEX={}", index),
        fmt::format("CI_NODE_TOTAL={}", total), fmt::format("CI_NODE_INDEX={}", index)};
    if (node.durations_out) settings.push_back("SHARDTAP_DURATIONS_OUT=" + *node.durations_out);
    if (node.tmpdir) settings.push_back("TMPDIR=" + *node.tmpdir);
    if (node.test_timeout) settings.push_back("SHARDTAP_TEST_TIMEOUT=" + *node.test_timeout);
    std::vector<std::string> result;
    for (auto entry = environment; entry && *entry; ++entry) {
        if (!overridden(*entry, settings) && !per_node(*entry)) result.emplace_back(*entry);
    }
    result.insert(result.end(), settings.begin(), settings.end());
    return result;
}

NodeProcess::NodeProcess(std::string const& program, std::vector<std::string> const& arguments,
                         std::vector<std::string> const& environment, std::string const& stdout_path,
                         std::string const& stderr_path, std::vector<int> const& default_signals) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    SpawnAttributes const attributes(default_signals);
    auto argv = pointers(arguments);
    auto envp = pointers(environment);
    int const error = posix_spawn(&m_pid, program.c_str(), &actions, &attributes.value, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        m_pid = -1;
        auto const status = error == ENOENT ? exit_not_found : exit_not_executable;
        throw CommandError(status, fmt::format("run: cannot start {}: {}", in_quotes(program), std::strerror(error)));
    }
}

NodeProcess::~NodeProcess() {
    if (m_pid <= 0 || m_exit) return;
    ::kill(-m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
}

bool NodeProcess::poll() {
    if (m_exit) return true;
    int status = 0;
    pid_t const done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == 0) return false;
    if (done < 0) {
        m_exit = NodeExit{-1, 0, m_stopped_with};  // cannot happen for our own child; a failed node
    } else if (WIFSIGNALED(status)) {
        m_exit = NodeExit{128 + WTERMSIG(status), WTERMSIG(status), m_stopped_with};
    } else {
        m_exit = NodeExit{WEXITSTATUS(status), 0, m_stopped_with};
    }
    return true;
}

bool NodeProcess::stop(int signal) {
    if (poll()) return false;
    ::kill(-m_pid, signal);  // the group: a wrapper script's children too
    if (m_stopped_with == 0) m_stopped_with = signal;
    return true;
}

}  // namespace shardtap::tools
