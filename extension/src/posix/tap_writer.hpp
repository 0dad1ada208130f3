#pragma once
// One TAP stream from its first line to its last: the plan and header, a point per test case,
// and one way to end it, end(), whatever ends it. No Catch2 here: the tap-stream reporter maps
// Catch2's events onto these calls, and the unit tests call them directly.
//
//     TapWriter writer(std::cout, {DiagnosticsStyle::yaml});
//     writer.start({1, true}, 2, {}, header);      // fd 1, the tests' own output moved aside
//     writer.test_starting("adds", "", "");
//     writer.test_ended({true});
//     writer.end(TapWriter::Ending::completed);
//
// Every text comes from the encoder (core/tap/tap_encoder.hpp). A crash or a timeout writes
// lines the encoder prepared when the test case started (TapCrashLines), with write(2) and
// without allocating or locking: async-signal-safe from the signal handler to `Bail out!`.
//
// The endings, each at most once per stream (the first one decides; later calls only release
// what is still held):
//   completed    the run ended: the elapsed time, the plan when it came last, or Bail out!
//                when fewer points than planned were written. Threads joined, fds back.
//   bailed_out   the stream cannot go on (e.g. a point beyond the plan): Bail out! reason; the
//                run goes on, and completed later releases what is held.
//   crashed      a fatal signal or std::terminate outside Catch2's handling (crash_guard):
//                the test case in progress gets not ok, then Bail out! reason.
//   crashed_in_test_body  the same from Catch2's fatal-signal handler, which counts the crash
//                as a failed assertion: the point lists it as a failure of kind "fatal".
//   exited       exit() in mid-run (crash_guard's atexit hook, ordinary context).
//   timed_out    the test case in progress ran past its limit (crash_guard's announce_timeout,
//                on the watchdog's thread): not ok with its time and output so far, Bail out!.

#include "posix/crash_guard.hpp"
#include "posix/output_capture.hpp"
#include "posix/tap_sink.hpp"

#include "core/tap/tap_encoder.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace shardtap {

// How a test case ended: what its point says beyond the name, class and tags it started with.
struct TapOutcome {
    bool ok = true;
    TapDirective directive = TapDirective::none;
    std::string_view reason;   // the directive's reason
    std::string_view message;  // what is wrong, for a point that no failure() explains
    std::optional<double> elapsed_ms;  // nullopt: the writer's own time, from test_starting
};

// Where a stream goes.
struct TapOutput {
    int fd = -1;  // -1: the fallback stream given to TapWriter (not async-signal-safe)
    bool capture = false;  // fd is stdout: move the tests' own writes to fds 1 and 2 aside
    bool close = false;    // the writer opened fd: it closes it at the end
};

class TapWriter final : private CrashWatcher {
public:
    // More captured output than this per stream and test case is cut to its end (output_tail).
    static constexpr std::size_t output_limit = 64 * 1024;

    struct Options {
        DiagnosticsStyle style = DiagnosticsStyle::yaml;
        bool passing_output = false;  // passing points carry their test's output too (-s)
    };
    enum class Ending { completed, bailed_out, crashed, crashed_in_test_body, exited, timed_out };

    TapWriter(std::ostream& fallback, Options options);
    TapWriter(TapWriter const&) = delete;
    TapWriter& operator=(TapWriter const&) = delete;
    ~TapWriter();  // ends the stream (completed) if nothing did

    // The version line, the plan (or `1..0 # SKIP reason` for an empty plan; none: the plan
    // goes last) and the header. Watches for crashes and exit() from here on.
    void start(TapOutput output, std::optional<std::size_t> plan, std::string_view skip_reason,
               TapHeader const& header);
    void comment(std::string_view text);

    // The class and tags are what tells the test case apart from others of its name (empty
    // where its name is unique): written after its point. The description is viewed, not
    // copied: it must last until the test case's point is written (Catch2's names do).
    void test_starting(std::string_view description, std::string_view class_name,
                       std::string_view tags);
    void failure(TapFailure failure);  // a failure of the test case in progress
    // The test case in progress's point, with the description, class and tags it started with.
    // A failed point (or any, with passing_output) carries the test's output, which the writer
    // captured or the caller passes (captured_out/err: Catch2's capture).
    void test_ended(TapOutcome const& outcome, std::string_view captured_out = {},
                    std::string_view captured_err = {});
    // A point for a test case that never started (cut off by --abort).
    void not_started(TapPointView point);

    void end(Ending ending, std::string_view reason = {}) noexcept;
    bool ended() const noexcept { return m_state.load() != State::running; }

    // In a child forked by a test case, whose stream and files are the parent's: forget them.
    void forget_parent() noexcept;
    bool in_forked_child() const noexcept { return m_sink.inert(); }

private:
    enum class State { before_start, running, text_ended, finished };

    // Crash-time inputs (see crash_guard.hpp).
    void on_crash(char const* reason) noexcept override;
    void on_exit() noexcept override;
    void on_timeout(char const* reason) noexcept override;
    void on_bail_out(char const* reason) noexcept override;

    void end_completed() noexcept;
    void end_abruptly(Ending ending, std::string_view reason) noexcept;  // exit(), crash, timeout
    void write(std::string_view lines, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
        if (m_state.load() == State::running) m_sink.write(lines, now);
    }
    // Bail out! for a point beyond the plan.
    void write_point(TapPointView const& point,
                     std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());
    void bail_out(std::string_view reason) noexcept;
    void write_last_lines() noexcept;
    void write_exit_point();
    void write_crash(Ending ending, std::string_view reason) noexcept;
    void release() noexcept;  // idempotent
    bool crashing_in_forked_child() noexcept;
    double test_milliseconds(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) const {
        return std::chrono::duration<double, std::milli>(now - m_test_start).count();
    }

    Options m_options;
    TapEncoder m_tap;
    TapCrashLines m_crash;
    // The capture before the sink, so it is destroyed after it: the sink's last flush goes to
    // the capture's copy of the real stdout while that is still open.
    OutputCapture m_capture;
    TapSink m_sink;
    TapOutput m_output;
    std::atomic<State> m_state{State::before_start};
    // Set while the test thread changes what a timeout reads (on the watchdog's thread): the
    // timeout waits for it after taking the ending.
    std::atomic<bool> m_busy{false};
    pid_t m_pid = 0;  // the process that runs the tests
    std::optional<std::size_t> m_planned;
    std::chrono::steady_clock::time_point m_run_start;

    // The test case in progress.
    bool m_in_test = false;
    std::string_view m_test_description;  // the caller's, until the point is written
    std::string m_test_class;
    std::string m_test_tags;
    std::chrono::steady_clock::time_point m_test_start;
    std::vector<TapFailure> m_failures;
    std::unique_ptr<char[]> m_crash_output;  // room for a crash's copy of the captured output
};

}  // namespace shardtap
