#pragma once
// The tap-stream reporter: Catch2's events mapped onto a TapWriter (posix/tap_writer.hpp), which
// owns the stream: one test point per test case, the plan first, every line written within
// 20 ms of being known, `Bail out!` after a crash, exit() or a timeout.

#include "posix/tap_writer.hpp"

#include <catch2/reporters/catch_reporter_streaming_base.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap {

class TapStreamReporter final : public Catch::StreamingReporterBase {
public:
    explicit TapStreamReporter(Catch::ReporterConfig&& config);
    ~TapStreamReporter() override = default;

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
    // What a point needs to tell its test case apart from others of the same name: the class
    // and tags, for a test case whose name another shares; nothing otherwise.
    struct IdentityLines {
        std::string_view class_name;
        std::string tags;
    };
    IdentityLines identity_lines(Catch::TestCaseInfo const& info) const;

    TapWriter m_writer;
    TapOutput m_output;
    std::size_t m_section_depth = 0;      // the test case's own section included
    double m_body_seconds = 0;  // Catch2's times of the test case's runs so far (its own section)
    std::vector<std::string> m_sections;  // the names inside it: the first m_section_depth - 1
                                          // are current
    std::string m_skip_reason;
    // The registry's test cases whose name another of them shares (usually none), sorted by
    // address.
    std::vector<Catch::TestCaseInfo const*> m_sharing_a_name;
};

}  // namespace shardtap
