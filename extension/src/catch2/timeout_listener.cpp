#include "timeout_listener.hpp"

#include "command_line_options.hpp"
#include "core/tap/tap_timeout.hpp"
#include "posix/crash_guard.hpp"
#include "posix/environment.hpp"
#include "posix/files.hpp"
#include "posix/signal_free_thread.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <new>

#include <unistd.h>

namespace shardtap {
namespace {

std::int64_t nanoseconds(std::chrono::steady_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

// The test thread, reaching its next event after the watchdog took its test case: the process
// ends on the watchdog's thread in a moment, and nothing here may run on meanwhile.
[[noreturn]] void wait_for_the_end() {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

// stdio's buffers (a console reporter's last lines), unless a hung test holds their lock.
void flush_if_free(std::FILE* file) {
    if (::ftrylockfile(file) != 0) return;
    std::fflush(file);
    ::funlockfile(file);
}

}  // namespace

TimeoutListener::~TimeoutListener() { stop(); }

void TimeoutListener::testRunStarting(Catch::TestRunInfo const&) {
    try {
        auto const seconds = resolve_test_timeout(process_environment(), command_line_arguments());
        if (!seconds) return;
        m_seconds = *seconds;
        m_pid = ::getpid();
    } catch (std::exception const& error) {
        fmt::print(stderr, "{}\n", error.what());
        std::fflush(stderr);
        std::exit(1);
    }
    expect_timeouts();
    m_watchdog = start_signal_free_thread([this] { watch(); });
}

void TimeoutListener::testCaseStarting(Catch::TestCaseInfo const& info) {
    if (!m_watchdog.joinable()) return;
    m_test_name = &info.name;
    auto const limit = std::chrono::duration<double>(m_seconds);
    m_deadline.store(nanoseconds(Clock::now() + std::chrono::duration_cast<Clock::duration>(limit)));
}

// Without a watchdog nothing was armed: no exchange (a fence) after every test case.
void TimeoutListener::disarm() {
    if (!m_watchdog.joinable()) return;
    if (m_deadline.exchange(disarmed) == taken) wait_for_the_end();
}

void TimeoutListener::testCaseEnded(Catch::TestCaseStats const&) { disarm(); }

// Inside Catch2's signal handler: the crash ends the process, not the watchdog.
void TimeoutListener::fatalErrorEncountered(Catch::StringRef) {
    m_crashed = true;
    std::int64_t armed = m_deadline.load();
    if (armed != taken) m_deadline.compare_exchange_strong(armed, disarmed);
}

void TimeoutListener::testRunEnded(Catch::TestRunStats const&) {
    disarm();
    if (!m_crashed) stop();  // after a crash, still in the signal handler: no joining
}

void TimeoutListener::stop() {
    if (!m_watchdog.joinable()) return;
    if (::getpid() != m_pid) {  // a child forked by a test case: the thread is the parent's
        new (&m_watchdog) std::thread;
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_watchdog.join();
}

// Sleeps until the armed deadline; while nothing is armed (between test cases) it looks again
// every 50 ms at most, so that arming costs no wake-up call.
void TimeoutListener::watch() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stopping) {
        std::int64_t deadline = m_deadline.load();
        auto const now = Clock::now();
        if (deadline > 0 && nanoseconds(now) >= deadline) {
            if (m_deadline.compare_exchange_strong(deadline, taken)) time_out();
            continue;
        }
        auto wake = now + std::chrono::milliseconds(50);
        if (deadline > 0) wake = Clock::time_point(std::chrono::nanoseconds(deadline));
        m_wake.wait_until(lock, wake, [this] { return m_stopping; });
    }
}

void TimeoutListener::time_out() {
    std::string const reason = tap_timeout_reason({*m_test_name, m_seconds});
    announce_timeout(reason.c_str());
    flush_if_free(stdout);
    flush_if_free(stderr);
    write_all(2, "shardtap: " + reason + "\n");
    ::_exit(124);
}

}  // namespace shardtap
