#pragma once
#include "core/durations/durations.hpp"

#include <catch2/reporters/catch_reporter_event_listener.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace shardtap {

// Times each test case from testCaseStarting to testCaseEnded on a steady clock (Catch2's own
// section durations are 0 when a test case ends by an exception) and, when SHARDTAP_DURATIONS_OUT
// or --shardtap-durations-out names a file, merges them into it at the end of the run
// (merge_into_durations_file: atomically, one process at a time, as ctest runs many).
// A file it cannot write stops the run before the first test case. After a crash it writes
// nothing: Catch2 ends the run from inside its signal handler, where allocating, fsync and
// rename could deadlock (a crash inside malloc holds its lock); the previous file stays.
class DurationsListener : public Catch::EventListenerBase {
public:
    using EventListenerBase::EventListenerBase;
    void testRunStarting(Catch::TestRunInfo const& info) override;
    void testCaseStarting(Catch::TestCaseInfo const& info) override;
    void testCaseEnded(Catch::TestCaseStats const& stats) override;
    void fatalErrorEncountered(Catch::StringRef error) override;
    void testRunEnded(Catch::TestRunStats const& stats) override;

private:
    std::optional<std::string> m_out;
    std::chrono::steady_clock::time_point m_started;
    Durations m_durations;
    bool m_crashed = false;
    std::string m_not_written;  // the line to say so after a crash, made while it is safe
};

}  // namespace shardtap
