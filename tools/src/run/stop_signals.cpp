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
    sigemptyset(&stop_set_);
    for (int signal : stop_signals) {
        if (ignored(signal)) continue;
        sigaddset(&stop_set_, signal);
        node_defaults_.push_back(signal);
    }
    if (!ignored(SIGPIPE)) node_defaults_.push_back(SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &stop_set_, &old_mask_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &old_pipe_);
}

StopSignals::~StopSignals() {
    while (wait(std::chrono::milliseconds(0)) != 0) {
    }
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

int StopSignals::wait(std::chrono::milliseconds timeout) {
    auto const seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    struct timespec const wait_for {
        static_cast<std::time_t>(seconds.count()),
        static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())
    };
    for (;;) {
        int const signal = ::sigtimedwait(&stop_set_, nullptr, &wait_for);
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
