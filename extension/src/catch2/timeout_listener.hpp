#pragma once
// SHARDTAP_TEST_TIMEOUT (or --shardtap-test-timeout): a test case that runs longer ends the
// run. One watchdog thread for the whole run, armed at each test case's start by storing a
// deadline in an atomic: nothing per assertion, one clock read and two atomic stores per test
// case. Past a deadline the watchdog takes the test case (so that it cannot end meanwhile),
// lets the crash watchers write their last words (the tap-stream reporter: not ok, Bail out!),
// writes one line to stderr, and ends the process with status 124, as timeout(1) does; no
// durations file is written. Whatever reporter runs: the line and the status are the same.

#include <catch2/reporters/catch_reporter_event_listener.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace shardtap {

class TimeoutListener : public Catch::EventListenerBase {
public:
    using EventListenerBase::EventListenerBase;
    ~TimeoutListener() override;

    void testRunStarting(Catch::TestRunInfo const& info) override;
    void testCaseStarting(Catch::TestCaseInfo const& info) override;
    void testCaseEnded(Catch::TestCaseStats const& stats) override;
    void fatalErrorEncountered(Catch::StringRef error) override;
    void testRunEnded(Catch::TestRunStats const& stats) override;

private:
    using Clock = std::chrono::steady_clock;
    static constexpr std::int64_t disarmed = 0;
    static constexpr std::int64_t taken = -1;  // by the watchdog: the process is ending

    void watch();
    [[noreturn]] void time_out();
    void disarm();
    void stop();

    double m_seconds = 0;
    int m_pid = 0;  // the process that runs the tests
    bool m_crashed = false;
    std::string const* m_test_name = nullptr;
    std::atomic<std::int64_t> m_deadline{disarmed};  // nanoseconds on Clock
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_watchdog;
};

}  // namespace shardtap
