#pragma once
// Last words for a process that dies: fatal signals, std::terminate, exit(), and a test case
// past its time limit.
//
// Catch2 handles fatal signals only while a test body runs (it then reports through the
// normal events and raises the signal again). Signals outside that window (between test
// cases, in a listener, SIGBUS) and std::terminate outside a test come here instead: every
// watcher gets on_crash() once, then the signal is raised again with its default action.
// exit() (a test that calls it, or a listener) ends the process without Catch2 knowing: an
// atexit hook, registered once per process, gives every watcher still watching on_exit().
// A test case past SHARDTAP_TEST_TIMEOUT: the watchdog calls announce_timeout(), every watcher
// gets on_timeout(), and the watchdog ends the process.

#include <atomic>

namespace shardtap {

class CrashWatcher {
public:
    // Called inside a signal handler: only async-signal-safe work. The reason is plain text,
    // e.g. "SIGTERM - Termination request signal".
    virtual void on_crash(char const* reason) noexcept = 0;
    // Called by the atexit hook, in ordinary context; the process then ends with the status
    // given to exit(), which cannot be changed from here.
    virtual void on_exit() noexcept = 0;
    // Called on the watchdog's thread while the test case still runs on its own; the process
    // ends right after. The reason names the test case and the limit.
    virtual void on_timeout(char const* reason) noexcept = 0;
    // Called in ordinary context when shardtap itself stops the process (exit status 1) for
    // `reason`; on_exit() follows.
    virtual void on_bail_out(char const* reason) noexcept = 0;

protected:
    ~CrashWatcher() = default;
};

// Installs the handlers with the first watcher, restores the previous ones after the last.
void watch_crashes(CrashWatcher& watcher);
void unwatch_crashes(CrashWatcher& watcher);

// Gives every watcher on_timeout(reason).
void announce_timeout(char const* reason) noexcept;

// Called before the thread that may call announce_timeout() starts. Until then no timeout can
// come, and a watcher need not make its thread's work visible to another (TapWriter's busy mark
// costs a fence on every call otherwise).
void expect_timeouts() noexcept;
namespace detail {
extern std::atomic<bool> timeouts_expected;
}
inline bool timeouts_expected() noexcept {
    return detail::timeouts_expected.load(std::memory_order_relaxed);
}

// Gives every watcher on_bail_out(reason).
void announce_bail_out(char const* reason) noexcept;

// After std::terminate: "uncaught exception: <what()>"; nullptr before.
// Catch2 reports the SIGABRT that follows; this says why.
char const* terminate_reason();

}  // namespace shardtap
