#pragma once
// The signals that stop `shardtap run` (SIGINT, SIGTERM, SIGHUP), taken synchronously: while a
// StopSignals lives they are blocked and read with wait(), so no handler runs and nothing in
// shardtap has to be async-signal-safe. SIGPIPE is ignored meanwhile: a write to a closed pipe
// fails with EPIPE (an exception, so the nodes are stopped) instead of ending shardtap at once.

#include <signal.h>

#include <chrono>
#include <vector>

namespace shardtap::tools {

class StopSignals {
public:
    // A signal that is ignored when shardtap starts (`nohup`, a background job of a script) is
    // left alone, and stays ignored in the nodes.
    StopSignals();
    // Drops a signal still pending, and restores the signal mask and SIGPIPE.
    ~StopSignals();
    StopSignals(StopSignals const&) = delete;
    StopSignals& operator=(StopSignals const&) = delete;

    // The next stop signal, waiting at most `timeout`; 0 when none came.
    int wait(std::chrono::milliseconds timeout);

    // What the nodes start with: no signal blocked, these at their default action.
    std::vector<int> const& node_defaults() const { return m_node_defaults; }

private:
    sigset_t m_stop_set;
    sigset_t m_old_mask;
    struct sigaction m_old_pipe;
    std::vector<int> m_node_defaults;
};

// "SIGTERM" for the stop signals and SIGKILL, else "signal N".
char const* signal_name(int signal);

}  // namespace shardtap::tools
