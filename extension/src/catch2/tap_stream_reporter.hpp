#pragma once
// The tap-stream reporter: Catch2's events in, shardtap's TAP encoder out. One test point per
// test case, the plan first, every line written within 20 ms of being known (tap_sink.hpp); on
// a crash the crashing test case gets `not ok` and the stream ends with `Bail out!`. The same
// when exit() ends the process in mid-run (the exit status stays exit()'s: only the stream
// tells a consumer).

#include "posix/crash_guard.hpp"
#include "posix/output_capture.hpp"
#include "posix/tap_sink.hpp"

#include "core/tap/tap_encoder.hpp"

#include <catch2/reporters/catch_reporter_streaming_base.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <sys/types.h>

namespace shardtap {

class TapStreamReporter final : public Catch::StreamingReporterBase, private CrashWatcher {
public:
    explicit TapStreamReporter(Catch::ReporterConfig&& config);
    ~TapStreamReporter() override;

    static std::string getDescription();

    void testRunStarting(Catch::TestRunInfo const& info) override;
    void testCaseStarting(Catch::TestCaseInfo const& info) override;
    void sectionStarting(Catch::SectionInfo const& info) override;
    void sectionEnded(Catch::SectionStats const& stats) override;
    void assertionEnded(Catch::AssertionStats const& stats) override;
    void testCaseEnded(Catch::TestCaseStats const& stats) override;
    void skipTest(Catch::TestCaseInfo const& info) override;
    void fatalErrorEncountered(Catch::StringRef error) override;
    void noMatchingTestCases(Catch::StringRef spec) override;
    void testRunEnded(Catch::TestRunStats const& stats) override;

private:
    enum class State { before_run, running, finished };

    void on_crash(char const* reason, char const* reason_yaml) noexcept override;
    void on_exit() noexcept override;
    bool end_run() noexcept;  // true for the one caller that ends the run
    // In a child forked by a test case (the sink knows it, or, on a crash path, the process
    // id tells): nothing here is this process's to write.
    bool in_forked_child() const noexcept { return m_sink.inert(); }
    bool crashing_in_forked_child() noexcept;
    void write_exit_point();
    void write_start();
    void write_test_point(Catch::TestCaseStats const& stats);
    void put(std::string_view lines);  // nothing after a Bail out!
    void bail_out(std::string_view reason) noexcept;
    // The end of a run not cut short by a crash: the last lines, all of them written, the file
    // descriptors back.
    void end_stream() noexcept;
    // What a point needs to tell its test case apart from others of the same name: the class
    // and tags, for a test case whose name another shares; nothing otherwise.
    struct IdentityLines {
        std::string_view class_name;
        std::string tags;
    };
    IdentityLines identity_lines(Catch::TestCaseInfo const& info) const;

    DiagnosticsStyle m_style;
    TapEncoder m_tap;
    // The capture before the sink, so it is destroyed after it: the sink's last flush goes to
    // the capture's copy of the real stdout while that is still open.
    OutputCapture m_capture;
    TapSink m_sink;
    bool m_capture_wanted = false;
    std::atomic<State> m_state{State::before_run};  // a crash or exit() may come at any time
    bool m_after_crash = false;  // the sink was flushed after a crash: write straight through
    std::atomic<bool> m_bailed_out{false};
    std::optional<std::size_t> m_planned;
    std::chrono::steady_clock::time_point m_run_start;
    pid_t m_pid = 0;  // the process that runs the tests
    // The registry's test cases whose name another of them shares (usually none).
    std::unordered_set<Catch::TestCaseInfo const*> m_sharing_a_name;

    // The test case in progress.
    bool m_in_test = false;
    std::chrono::steady_clock::time_point m_test_start;
    std::vector<std::string> m_sections;  // names, the test case's own section first; the
    std::size_t m_section_depth = 0;      // first m_section_depth are current
    std::vector<TapFailure> m_failures;
    std::string m_skip_reason;
    std::string m_crash_point;  // "not ok N - name\n", ready for a signal handler
    std::string_view m_crash_point_name;  // the escaped name inside it
    std::string m_crash_identity;  // its class and tags lines, or empty
    std::optional<std::string> m_fatal_error;  // from Catch2's fatalErrorEncountered
    std::string m_fatal_test;
};

}  // namespace shardtap
