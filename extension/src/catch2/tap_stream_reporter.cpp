#include "tap_stream_reporter.hpp"

#include "applied_selection.hpp"
#include "catch2_bridge.hpp"

#include "core/identity/shared_names.hpp"
#include "core/text/quoted.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <catch2/interfaces/catch_interfaces_config.hpp>
#include <catch2/interfaces/catch_interfaces_registry_hub.hpp>
#include <catch2/interfaces/catch_interfaces_testcase.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fcntl.h>

namespace shardtap {
namespace {

DiagnosticsStyle diagnostics_option(std::map<std::string, std::string> const& options) {
    DiagnosticsStyle style = DiagnosticsStyle::yaml;
    for (auto const& [key, value] : options) {
        if (key != "Xdiagnostics") {
            throw std::invalid_argument(fmt::format(
                "tap-stream: unknown reporter option {}; the only option is "
                "-r tap-stream::Xdiagnostics=yaml|comments",
                in_quotes(key)));
        }
        if (value == "yaml") {
            style = DiagnosticsStyle::yaml;
        } else if (value == "comments") {
            style = DiagnosticsStyle::comments;
        } else {
            throw std::invalid_argument(fmt::format(
                "tap-stream: Xdiagnostics={} is not a choice; use Xdiagnostics=yaml (a YAML block "
                "per failed test) or Xdiagnostics=comments ('# ' lines, for Heroku CI)",
                value));
        }
    }
    return style;
}

// The test cases Catch2 will run. After shardtap's split, the node's share: the selection hid
// every other test case. Otherwise (no split, or Catch2 split by its --shard-*) counted before
// Catch2 builds its own list (testRunStarting comes first), as Catch2 will, from the registry's
// `unhidden` test cases where that is the answer; empty: the plan goes last.
std::optional<std::size_t> planned_test_cases(Catch::IConfig const* config, std::size_t unhidden) {
    if (auto const& applied = applied_selection(); applied && !applied->fingerprint.empty()) {
        return applied->selected;
    }
    if (!config) return std::nullopt;
    return catch2_bridge::planned_by_catch2(*config, unhidden);
}

// The header from what apply_selection decided. A field added to AppliedSelection takes one
// line here: a typed TapHeader field (tap_header.cpp's table), or, untyped,
// header.other.emplace_back("key", text) — the reader keeps those too.
TapHeader header_of(Catch::IConfig const* config) {
    TapHeader header;
    if (auto const& applied = applied_selection()) {
        header.node_index = applied->node.index;
        header.node_total = applied->node.total;
        header.provider = applied->node.provider;
        if (applied->node.total > 1) {
            header.strategy = std::string(to_string(applied->strategy));
            header.fingerprint = applied->fingerprint;
            header.suite_size = applied->candidates;
            header.predicted_seconds = applied->predicted_seconds;
            header.heaviest_node_seconds = applied->heaviest_predicted_seconds;
        }
    } else if (config) {  // no shardtap selection: Catch2's own --shard-* decided
        header.node_index = config->shardIndex();
        header.node_total = config->shardCount();
        header.provider = config->shardCount() > 1 ? "Catch2 --shard-count/--shard-index" : "none";
    }
    return header;
}

std::string_view kind_of(Catch::ResultWas::OfType type) {
    switch (type) {
        case Catch::ResultWas::ExpressionFailed: return "expression";
        case Catch::ResultWas::ExplicitFailure: return "explicit";
        case Catch::ResultWas::ThrewException: return "exception";
        case Catch::ResultWas::DidntThrowException: return "no exception";
        case Catch::ResultWas::FatalErrorCondition: return "fatal";
        default: return "failure";
    }
}

TapFailure failure_of(Catch::AssertionStats const& stats, std::vector<std::string> const& sections) {
    auto const& result = stats.assertionResult;
    TapFailure f;
    f.kind = std::string(kind_of(result.getResultType()));
    f.file = result.getSourceInfo().file;
    f.line = result.getSourceInfo().line;
    f.macro = std::string(result.getTestMacroName());
    if (result.hasExpression()) {
        f.expression = result.getExpression();
        f.expansion = result.getExpandedExpression();
    }
    if (result.hasMessage()) f.message = std::string(result.getMessage());
    for (auto const& message : stats.infoMessages) {
        if (message.type == Catch::ResultWas::Info) f.messages.push_back(message.message);
    }
    f.sections = sections;
    return f;
}

// Longer than any test case runs (115 days): a time of Catch2's beyond it is a clock gone back.
constexpr double longest_plausible_seconds = 1e7;

// A failed test case's message, for when no failed assertion says what is wrong (the writer
// adds the rest).
std::string_view failed_without_a_failure(bool expected_to_fail) {
    return expected_to_fail ? "the test case is tagged [!shouldfail] but did not fail"
                            : "the test case failed without a failed assertion";
}

// What the reporter needs from the whole registry, hidden test cases included, in one pass at
// the run's start that reads each test case once: at 100,000 test cases the memory read costs
// more than the work, so the test cases and names a few places on are fetched ahead.
struct RegistryScan {
    std::size_t unhidden = 0;  // test cases not hidden
    // Those whose name another test case shares (usually none), sorted by address. Every node
    // has the same registry, so every node picks the same ones.
    std::vector<Catch::TestCaseInfo const*> sharing_a_name;
};

RegistryScan scan_registry() {
    auto const& all = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
    constexpr std::size_t ahead = 8;
    RegistryScan scan;
    std::vector<std::uint64_t> hashes(all.size());
    for (std::size_t position = 0; position < all.size(); ++position) {
        if (position + 2 * ahead < all.size()) {
            auto const& later = all[position + 2 * ahead].getTestCaseInfo();
            __builtin_prefetch(&later.name);
            __builtin_prefetch(&later.properties);
        }
        if (position + ahead < all.size()) {
            __builtin_prefetch(all[position + ahead].getTestCaseInfo().name.data());
        }
        auto const& info = all[position].getTestCaseInfo();
        hashes[position] = name_hash(info.name);
        scan.unhidden += !info.isHidden();
    }
    auto const name_at = [&all](std::size_t position) {
        return std::string_view(all[position].getTestCaseInfo().name);
    };
    for (auto position : positions_sharing_a_name(hashes, name_at)) {
        scan.sharing_a_name.push_back(&all[position].getTestCaseInfo());
    }
    std::sort(scan.sharing_a_name.begin(), scan.sharing_a_name.end(), std::less<>());
    return scan;
}

// Where the stream goes, as a file descriptor, so that a crash can write it with write(2): stdout
// (the tests' own output then moved aside at the fd level), stderr, or the file of
// `-r tap-stream::out=FILE`, which shardtap opens again itself: Catch2 hands reporters only an
// std::ostream. Where the file cannot be told (catch2_bridge), the stream is written through the
// ostream.
TapOutput output_of(std::ostream const& stream, Catch::IConfig const* config,
                    std::map<std::string, std::string> const& options) {
    if (stream.rdbuf() == std::cout.rdbuf()) return {1, true};
    if (stream.rdbuf() == std::cerr.rdbuf() || stream.rdbuf() == std::clog.rdbuf()) return {2};
    auto const path = catch2_bridge::reporter_output_file(config, "tap-stream", options);
    if (!path) return {};
    int const fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    return fd < 0 ? TapOutput{} : TapOutput{fd, false, true};
}

}  // namespace

TapStreamReporter::TapStreamReporter(Catch::ReporterConfig&& config)
    : StreamingReporterBase(std::move(config)),
      m_writer(m_stream, {diagnostics_option(m_customOptions), m_config->includeSuccessfulResults()}),
      m_output(output_of(m_stream, m_config, m_customOptions)) {
    // On stdout the writer captures the tests' output at the fd level (printf too); elsewhere
    // Catch2's stream capture is enough.
    m_preferences.shouldRedirectStdOut = !m_output.capture;
    m_preferences.shouldReportAllAssertions = false;  // passing assertions cost nothing then
}

std::string TapStreamReporter::getDescription() {
    return "TAP version 14 for shardtap: a test point per test case, the plan first, every line "
           "written within 20 ms, Bail out! on a crash. -r tap-stream::Xdiagnostics=comments "
           "writes failure details as '# ' lines instead of YAML (Heroku CI)";
}

void TapStreamReporter::testRunStarting(Catch::TestRunInfo const& info) {
    StreamingReporterBase::testRunStarting(info);
    auto scan = scan_registry();
    m_sharing_a_name = std::move(scan.sharing_a_name);
    auto const planned = planned_test_cases(m_config, scan.unhidden);
    std::string skip_reason = "no test cases to run";
    if (auto const& applied = applied_selection(); applied && applied->node.total > 1) {
        skip_reason = fmt::format("node {} of {} has no test cases ({} in the whole suite)",
                                  applied->node.index, applied->node.total, applied->candidates);
    }
    m_writer.start(m_output, planned, skip_reason, header_of(m_config));
}

void TapStreamReporter::testCaseStarting(Catch::TestCaseInfo const& info) {
    StreamingReporterBase::testCaseStarting(info);
    m_section_depth = 0;
    m_body_seconds = 0;
    m_skip_reason.clear();
    // Most suites share no name: no lookup, no identity lines then.
    if (m_sharing_a_name.empty()) return m_writer.test_starting(info.name, {}, {});
    auto const identity = identity_lines(info);
    m_writer.test_starting(info.name, identity.class_name, identity.tags);
}

// The test case's own section (depth 1) is named after the test case: a failure lists only the
// sections inside it, whose names are kept.
void TapStreamReporter::sectionStarting(Catch::SectionInfo const& info) {
    if (m_section_depth++ == 0) return;
    std::size_t const inner = m_section_depth - 2;
    if (inner == m_sections.size()) m_sections.emplace_back();
    m_sections[inner] = info.name;  // reuses the string's storage
}

void TapStreamReporter::sectionEnded(Catch::SectionStats const& stats) {
    if (m_section_depth == 1) m_body_seconds += stats.durationInSeconds;
    if (m_section_depth > 0) --m_section_depth;
}

void TapStreamReporter::assertionEnded(Catch::AssertionStats const& stats) {
    auto const& result = stats.assertionResult;
    if (result.getResultType() == Catch::ResultWas::ExplicitSkip) {
        m_skip_reason = std::string(result.getMessage());
    } else if (!result.isOk() && !m_writer.ended()) {
        auto const inner = static_cast<std::ptrdiff_t>(m_section_depth > 0 ? m_section_depth - 1 : 0);
        m_writer.failure(failure_of(stats, {m_sections.begin(), m_sections.begin() + inner}));
    }
}

void TapStreamReporter::testCaseEnded(Catch::TestCaseStats const& stats) {
    auto const& info = *stats.testInfo;
    auto const& cases = stats.totals.testCases;
    TapOutcome outcome;  // the writer knows the test case's name, class and tags
    if (cases.failed > 0) {
        outcome.ok = false;
        outcome.message = failed_without_a_failure(info.expectedToFail());
    } else if (cases.failedButOk > 0) {
        outcome.ok = false;
        outcome.directive = TapDirective::todo;
        outcome.reason = info.expectedToFail() ? "tagged [!shouldfail]" : "tagged [!mayfail]";
    } else if (cases.skipped > 0) {
        outcome.directive = TapDirective::skip;
        outcome.reason = m_skip_reason;
    } else if (info.okToFail()) {
        outcome.directive = TapDirective::todo;  // [!mayfail] that passed
        outcome.reason = "tagged [!mayfail]";
    }
    // Every run of the body came to its end: Catch2 timed each (what `-d yes` prints), so the
    // writer need not read the clock again. Catch2 gives 0 for a run that a failed REQUIRE, an
    // exception or SKIP() ended; and 3.4 times with the wall clock (high_resolution_clock), so a
    // step back while the test ran reads as centuries.
    if (outcome.ok && cases.skipped == 0 && m_body_seconds < longest_plausible_seconds) {
        outcome.elapsed_ms = m_body_seconds * 1000;
    }
    m_writer.test_ended(outcome, stats.stdOut, stats.stdErr);
    StreamingReporterBase::testCaseEnded(stats);
}

void TapStreamReporter::skipTest(Catch::TestCaseInfo const& info) {
    TapPointView point;
    point.description = info.name;
    auto const identity = identity_lines(info);
    point.class_name = identity.class_name;
    point.tags = identity.tags;
    point.directive = TapDirective::skip;
    point.reason = "not run: the run was aborted (-x/--abort)";
    m_writer.not_started(point);
}

TapStreamReporter::IdentityLines TapStreamReporter::identity_lines(
    Catch::TestCaseInfo const& info) const {
    if (!std::binary_search(m_sharing_a_name.begin(), m_sharing_a_name.end(), &info, std::less<>())) {
        return {};
    }
    return {std::string_view(info.className.data(), info.className.size()), info.tagsAsString()};
}

// Inside Catch2's signal handler: the writer ends the stream here, before Catch2 goes on with
// the events that follow (and allocates for them); those then find the stream ended.
void TapStreamReporter::fatalErrorEncountered(Catch::StringRef error) {
    m_writer.end(TapWriter::Ending::crashed_in_test_body, std::string_view(error.data(), error.size()));
}

void TapStreamReporter::noMatchingTestCases(Catch::StringRef spec) {
    m_writer.comment(fmt::format("no test cases matched {}", in_quotes(std::string_view(spec.data(), spec.size()))));
}

void TapStreamReporter::testRunEnded(Catch::TestRunStats const& stats) {
    m_writer.end(TapWriter::Ending::completed);
    StreamingReporterBase::testRunEnded(stats);
}

}  // namespace shardtap
