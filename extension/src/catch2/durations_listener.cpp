#include "durations_listener.hpp"

#include "command_line_options.hpp"
#include "posix/environment.hpp"
#include "core/text/quoted.hpp"
#include "posix/durations_file.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace shardtap {

void DurationsListener::testRunStarting(Catch::TestRunInfo const&) {
    try {
        m_out = resolve_durations_out(process_environment(), command_line_arguments());
        if (m_out) {
            check_durations_writable(*m_out);
            m_not_written = fmt::format("shardtap: the run crashed; durations were not written to {} "
                                        "(a previous file there is left as it was)\n",
                                        in_quotes(*m_out));
        }
    } catch (std::exception const& error) {
        fmt::print(stderr, "{}\n", error.what());
        std::fflush(stderr);
        std::exit(1);
    }
}

void DurationsListener::testCaseStarting(Catch::TestCaseInfo const&) {
    if (m_out) m_started = std::chrono::steady_clock::now();  // no reading of the clock for nothing
}

void DurationsListener::testCaseEnded(Catch::TestCaseStats const& stats) {
    if (!m_out || m_crashed) return;  // no allocation inside a signal handler
    std::chrono::duration<double> const elapsed = std::chrono::steady_clock::now() - m_started;
    auto const seconds = std::round(elapsed.count() * 1e6) / 1e6;  // microseconds are plenty
    auto const& info = *stats.testInfo;
    m_durations.record({info.name, std::string(info.className), info.tagsAsString()}, seconds);
}

void DurationsListener::fatalErrorEncountered(Catch::StringRef) { m_crashed = true; }

void DurationsListener::testRunEnded(Catch::TestRunStats const&) {
    if (!m_out) return;
    if (m_crashed) {  // inside Catch2's signal handler: one write(2), nothing more
        [[maybe_unused]] auto const written = ::write(2, m_not_written.data(), m_not_written.size());
        return;
    }
    try {
        merge_into_durations_file(*m_out, m_durations);
    } catch (DurationsError const& error) {
        // The results are already decided and the reporters still have to finish: say so, and
        // leave the missing file to whoever wanted it.
        fmt::print(stderr, "{}\n", error.what());
    }
}

}  // namespace shardtap
