#pragma once
// The threads shardtap starts beside the tests (the TAP sink's flusher, the timeout watchdog)
// take no signal: signals keep going to the thread running the tests, where Catch2's handling of
// fatal signals and crash_guard expect them.

#include <signal.h>

#include <thread>
#include <utility>

namespace shardtap {

// A thread running `function` with every signal blocked. The caller's signal mask is as it was
// afterwards, also when no thread could be started (std::thread threw).
template <typename Function>
std::thread start_signal_free_thread(Function&& function) {
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    struct Restore {
        sigset_t const& mask;
        ~Restore() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
    } const restore{previous};
    return std::thread(std::forward<Function>(function));
}

}  // namespace shardtap
