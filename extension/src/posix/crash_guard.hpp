#pragma once
// Last words for a process that dies: fatal signals, std::terminate and exit().
//
// Catch2 handles fatal signals only while a test body runs (it then reports through the
// normal events and raises the signal again). Signals outside that window (between test
// cases, in a listener, SIGBUS) and std::terminate outside a test come here instead: every
// watcher gets on_crash() once, then the signal is raised again with its default action.
// exit() (a test that calls it, or a listener) ends the process without Catch2 knowing: an
// atexit hook, registered once per process, gives every watcher still watching on_exit().

namespace shardtap {

class CrashWatcher {
public:
    // Called inside a signal handler: only async-signal-safe work. The reason is given
    // escaped for a TAP line and double-quoted for YAML.
    virtual void on_crash(char const* reason, char const* reason_yaml) noexcept = 0;
    // Called by the atexit hook, in ordinary context; the process then ends with the status
    // given to exit(), which cannot be changed from here.
    virtual void on_exit() noexcept = 0;

protected:
    ~CrashWatcher() = default;
};

// Installs the handlers with the first watcher, restores the previous ones after the last.
void watch_crashes(CrashWatcher& watcher);
void unwatch_crashes(CrashWatcher& watcher);

// After std::terminate: "uncaught exception: <what()>"; nullptr before.
// Catch2 reports the SIGABRT that follows; this says why.
char const* terminate_reason();

}  // namespace shardtap
