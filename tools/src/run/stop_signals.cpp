#include "run/stop_signals.hpp"

#include <cerrno>
#include <ctime>

namespace shardtap::tools {
namespace {

constexpr int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

bool ignored(int signal) {
    struct sigaction current {};
    return ::sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

}  // namespace

StopSignals::StopSignals() {
    sigemptyset(&m_stop_set);
    for (int signal : stop_signals) {
        if (ignored(signal)) continue;
        sigaddset(&m_stop_set, signal);
        m_node_defaults.push_back(signal);
    }
    if (!ignored(SIGPIPE)) m_node_defaults.push_back(SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &m_stop_set, &m_old_mask);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &m_old_pipe);
}

StopSignals::~StopSignals() {
    while (wait(std::chrono::milliseconds(0)) != 0) {
    }
    ::sigaction(SIGPIPE, &m_old_pipe, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &m_old_mask, nullptr);
}

int StopSignals::wait(std::chrono::milliseconds timeout) {
    auto const seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    struct timespec const wait_for {
        static_cast<std::time_t>(seconds.count()),
        static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())
    };
    for (;;) {
        int const signal = ::sigtimedwait(&m_stop_set, nullptr, &wait_for);
        if (signal > 0) return signal;
        if (errno != EINTR) return 0;  // EAGAIN: the time is up
    }
}

char const* signal_name(int signal) {
    switch (signal) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGHUP: return "SIGHUP";
        case SIGKILL: return "SIGKILL";
        default: return "a signal";
    }
}

}  // namespace shardtap::tools
