#include "tap_stream_reporter.hpp"

#include "applied_selection.hpp"

#include "core/tap/tap_text.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <catch2/interfaces/catch_interfaces_config.hpp>
#include <catch2/interfaces/catch_interfaces_registry_hub.hpp>
#include <catch2/interfaces/catch_interfaces_testcase.hpp>
#include <catch2/internal/catch_test_case_registry_impl.hpp>
#include <catch2/catch_test_spec.hpp>
#include <fmt/format.h>

#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace shardtap {
namespace {

// More captured output than this per stream and test case is cut to its end (output_tail).
constexpr std::size_t output_limit = 64 * 1024;

DiagnosticsStyle diagnostics_option(std::map<std::string, std::string> const& options) {
    DiagnosticsStyle style = DiagnosticsStyle::yaml;
    for (auto const& [key, value] : options) {
        if (key != "Xdiagnostics") {
            throw std::invalid_argument(fmt::format(
                "tap-stream: unknown reporter option '{}'; the only option is "
                "-r tap-stream::Xdiagnostics=yaml|comments",
                key));
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

// The test cases Catch2 will run. After shardtap's split, the node's share: apply_selection
// hid every other test case. Otherwise (no split, or a binary without shardtap's selection)
// counted before Catch2 builds its own list (testRunStarting comes first): its filter, then
// its --shard-* split, exactly as its TestGroup does.
std::optional<std::size_t> planned_test_cases(Catch::IConfig const* config) {
    if (auto const& applied = applied_selection(); applied && !applied->fingerprint.empty()) {
        return applied->selected;
    }
    if (!config) return std::nullopt;
    try {
        auto const& all = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
        // filterTests already applies Catch2's --shard-* split (createShard), as TestGroup does.
        return Catch::filterTests(all, config->testSpec(), *config).size();
    } catch (...) {
        return std::nullopt;  // the plan goes last
    }
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
    if (sections.size() > 1) f.sections.assign(sections.begin() + 1, sections.end());
    return f;
}

// TEST_CASE_METHOD's class: written after the test point, so that merges tell apart test
// cases that share a name.
std::string_view class_of(Catch::TestCaseInfo const& info) {
    return std::string_view(info.className.data(), info.className.size());
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TapStreamReporter::TapStreamReporter(Catch::ReporterConfig&& config)
    : StreamingReporterBase(std::move(config)),
      m_style(diagnostics_option(m_customOptions)),
      m_tap(m_style),
      m_sink(m_stream) {
    // On stdout the tests' own output would land inside the stream: move it aside at the
    // file-descriptor level (printf too). Elsewhere Catch2's stream capture is enough.
    m_capture_wanted = m_stream.rdbuf() == std::cout.rdbuf();
    m_preferences.shouldRedirectStdOut = !m_capture_wanted;
    m_preferences.shouldReportAllAssertions = false;  // passing assertions cost nothing then
}

TapStreamReporter::~TapStreamReporter() {
    if (in_forked_child()) {  // a child that returned from its test case into Catch2
        m_capture.forget_parent();
        return;
    }
    // testRunEnded never came: Catch2 gave up on the run (e.g. another reporter failed to
    // start) and destroys its reporters. The stream still gets its end.
    if (!end_run()) return;
    unwatch_crashes(*this);
    end_stream();
}

std::string TapStreamReporter::getDescription() {
    return "TAP version 14 for shardtap: a test point per test case, the plan first, every line "
           "written within 20 ms, Bail out! on a crash. -r tap-stream::Xdiagnostics=comments "
           "writes failure details as '# ' lines instead of YAML (Heroku CI)";
}

void TapStreamReporter::testRunStarting(Catch::TestRunInfo const& info) {
    StreamingReporterBase::testRunStarting(info);
    m_run_start = std::chrono::steady_clock::now();
    m_pid = ::getpid();
    if (m_capture_wanted && m_capture.start()) m_sink.use_descriptor(m_capture.original_stdout());
    m_state = State::running;
    watch_crashes(*this);

    try {
        write_start();
    } catch (std::exception const& error) {
        bail_out(error.what());
    }
}

void TapStreamReporter::write_start() {
    // The plan right after the version line, the header after it: tappy accepts a plan only
    // there or on the very last line. One write: the first is never held back.
    std::string start(m_tap.version());
    m_planned = planned_test_cases(m_config);
    if (m_planned && *m_planned > 0) {
        start += m_tap.plan(*m_planned);
    } else if (m_planned) {
        auto const& applied = applied_selection();
        start += m_tap.skip_all(applied && applied->node.total > 1
                                    ? fmt::format("node {} of {} has no test cases ({} in the whole suite)",
                                                  applied->node.index, applied->node.total,
                                                  applied->candidates)
                                    : std::string("no test cases to run"));
    }  // else the plan goes last
    start += m_tap.header(header_of(m_config));
    put(start);
}

void TapStreamReporter::bail_out(std::string_view reason) noexcept {
    if (m_bailed_out) return;
    try {
        put(m_tap.bail_out(reason));
    } catch (...) {  // no memory even for that: the short plan still tells a consumer
    }
    m_bailed_out = true;  // nothing more after it: consumers stop reading at Bail out!
}

void TapStreamReporter::put(std::string_view lines) {
    if (m_bailed_out) return;
    if (m_after_crash) {
        m_sink.write_after_crash(lines);  // inside a signal handler, or exit()'s hook
    } else {
        m_sink.write(lines);
    }
}

void TapStreamReporter::testCaseStarting(Catch::TestCaseInfo const& info) {
    StreamingReporterBase::testCaseStarting(info);
    m_test_start = std::chrono::steady_clock::now();
    m_section_depth = 0;
    m_failures.clear();
    m_skip_reason.clear();
    m_crash_point.clear();  // reused: no allocation per test case
    fmt::format_to(std::back_inserter(m_crash_point), "not ok {} - ", m_tap.points_written() + 1);
    std::size_t const name_start = m_crash_point.size();
    append_escaped_text(m_crash_point, info.name);
    m_crash_point += '\n';
    m_crash_point_name = std::string_view(m_crash_point).substr(name_start, m_crash_point.size() - name_start - 1);
    m_crash_class.clear();
    append_tap_class(m_crash_class, class_of(info));
    m_in_test = true;
}

void TapStreamReporter::sectionStarting(Catch::SectionInfo const& info) {
    if (m_section_depth == m_sections.size()) m_sections.emplace_back();
    m_sections[m_section_depth++] = info.name;  // reuses the string's storage
}

void TapStreamReporter::sectionEnded(Catch::SectionStats const&) {
    if (m_section_depth > 0) --m_section_depth;
}

void TapStreamReporter::assertionEnded(Catch::AssertionStats const& stats) {
    auto const& result = stats.assertionResult;
    if (result.getResultType() == Catch::ResultWas::ExplicitSkip) {
        m_skip_reason = std::string(result.getMessage());
    } else if (!result.isOk()) {
        m_failures.push_back(failure_of(stats, {m_sections.begin(), m_sections.begin() + m_section_depth}));
        if (m_fatal_error) m_failures.back().message = *m_fatal_error;  // with terminate's reason
    }
}

void TapStreamReporter::testCaseEnded(Catch::TestCaseStats const& stats) {
    if (in_forked_child()) return;
    // The encoder refuses what would make an invalid stream (a test point beyond the plan): the
    // stream then ends with the reason, and the run goes on as Catch2 decides.
    try {
        write_test_point(stats);
    } catch (std::exception const& error) {
        bail_out(error.what());
        StreamingReporterBase::testCaseEnded(stats);
    }
}

void TapStreamReporter::write_test_point(Catch::TestCaseStats const& stats) {
    if (!m_in_test) return;
    m_in_test = false;
    auto const& info = *stats.testInfo;
    auto const& cases = stats.totals.testCases;

    TapPointView point;
    point.description = info.name;
    point.class_name = class_of(info);
    TapDiagnostics diagnostics;
    std::string_view reason;
    if (cases.failed > 0) {
        point.ok = false;
        if (m_failures.empty()) {
            diagnostics.message = info.expectedToFail()
                                      ? "the test case is tagged [!shouldfail] but did not fail"
                                      : "the test case failed without a failed assertion";
        }
    } else if (cases.failedButOk > 0) {
        point.ok = false;
        point.directive = TapDirective::todo;
        reason = info.expectedToFail() ? "tagged [!shouldfail]" : "tagged [!mayfail]";
    } else if (cases.skipped > 0) {
        point.directive = TapDirective::skip;
        reason = m_skip_reason;
    } else if (info.okToFail()) {
        point.directive = TapDirective::todo;  // [!mayfail] that passed
        reason = "tagged [!mayfail]";
    }
    point.reason = reason;

    point.elapsed_ms = milliseconds_since(m_test_start);
    auto output = m_capture.take(output_limit);
    if (!point.ok) {
        diagnostics.failures = std::move(m_failures);
        // Catch2's capture (stream in a file) or ours (on stdout): only one of each is set.
        diagnostics.stdout_text = output_tail(stats.stdOut, output_limit) + output.out;
        diagnostics.stderr_text = output_tail(stats.stdErr, output_limit) + output.err;
        point.diagnostics = &diagnostics;
    }
    put(m_tap.point(point));
    StreamingReporterBase::testCaseEnded(stats);
}

void TapStreamReporter::skipTest(Catch::TestCaseInfo const& info) {
    if (in_forked_child()) return;
    TapPointView point;
    point.description = info.name;
    point.class_name = class_of(info);
    point.directive = TapDirective::skip;
    point.reason = "not run: the run was aborted (-x/--abort)";
    try {
        put(m_tap.point(point));
    } catch (std::exception const& error) {
        bail_out(error.what());
    }
}

void TapStreamReporter::fatalErrorEncountered(Catch::StringRef error) {
    if (crashing_in_forked_child()) return;  // Catch2's events go on: each of them returns too
    m_sink.flush_after_crash();  // what waits, before the crash's own lines
    m_after_crash = true;
    std::string_view const signal(error.data(), error.size());
    if (char const* terminated = terminate_reason()) {
        m_fatal_error = fmt::format("{} ({})", terminated, signal);
    } else {
        m_fatal_error = std::string(signal);
    }
    m_fatal_test = currentTestCaseInfo ? currentTestCaseInfo->name : std::string();
}

void TapStreamReporter::noMatchingTestCases(Catch::StringRef spec) {
    put(m_tap.comment(fmt::format("no test cases matched '{}'", std::string_view(spec.data(), spec.size()))));
}

void TapStreamReporter::testRunEnded(Catch::TestRunStats const& stats) {
    if (in_forked_child()) {
        m_capture.forget_parent();
        return;
    }
    if (!end_run()) return;
    unwatch_crashes(*this);
    if (m_fatal_error) {
        // Inside Catch2's signal handler, which raises the signal again next: no locks, no
        // joining the flusher thread; the process ends.
        put(m_tap.bail_out(m_fatal_test.empty() ? *m_fatal_error
                                                : *m_fatal_error + " during test case: " + m_fatal_test));
        m_capture.stop(false);
        return;
    }
    end_stream();
    StreamingReporterBase::testRunEnded(stats);
}

void TapStreamReporter::end_stream() noexcept {
    try {
        TapHeader end;
        end.elapsed_seconds = milliseconds_since(m_run_start) / 1000.0;
        std::string lines(m_tap.header(end));
        if (!m_tap.has_plan()) {
            lines += m_tap.final_plan();  // the very last line
        } else if (m_planned && m_tap.points_written() < *m_planned) {
            lines += m_tap.bail_out(fmt::format("the run ended after {} of the {} planned test cases",
                                                m_tap.points_written(), *m_planned));
        }
        put(lines);
    } catch (std::exception const& error) {
        bail_out(error.what());
    }
    m_sink.stop();
    m_capture.stop();
    m_sink.use_descriptor(-1);
}

bool TapStreamReporter::end_run() noexcept {
    State running = State::running;
    return m_state.compare_exchange_strong(running, State::finished);
}

bool TapStreamReporter::crashing_in_forked_child() noexcept {
    if (in_forked_child()) return true;
    if (::getpid() == m_pid) return false;
    m_sink.forget_parent();  // a child made without the fork handlers (a raw clone)
    return true;
}

void TapStreamReporter::on_exit() noexcept {
    if (crashing_in_forked_child()) return;
    if (!end_run()) return;
    m_sink.flush_after_crash();  // what waits; the flusher writes no more
    m_after_crash = true;
    try {
        if (m_in_test && currentTestCaseInfo) {
            write_exit_point();
            bail_out("exit() called during test case " + currentTestCaseInfo->name);
        } else {
            bail_out("exit() called between test cases");
        }
    } catch (std::exception const& error) {  // e.g. a test point beyond the plan
        bail_out(error.what());
    }
    m_capture.stop();  // fds 1 and 2 back: what is written after this reaches the real ones
}

void TapStreamReporter::write_exit_point() {
    TapPointView point;
    point.ok = false;
    point.description = currentTestCaseInfo->name;
    point.class_name = class_of(*currentTestCaseInfo);
    point.elapsed_ms = milliseconds_since(m_test_start);
    TapDiagnostics diagnostics;
    diagnostics.message = "exit() was called during the test case; the process ends with the "
                          "status given to exit()";
    diagnostics.failures = std::move(m_failures);
    auto output = m_capture.take(output_limit);
    diagnostics.stdout_text = std::move(output.out);
    diagnostics.stderr_text = std::move(output.err);
    point.diagnostics = &diagnostics;
    put(m_tap.point(point));
}

void TapStreamReporter::on_crash(char const* reason, char const* reason_yaml) noexcept {
    if (crashing_in_forked_child()) return;
    if (!end_run()) return;
    m_sink.flush_after_crash();
    if (m_bailed_out) {  // the stream has ended already
        m_capture.stop(false);
        return;
    }
    std::string_view const prefix = m_style == DiagnosticsStyle::yaml ? "  " : "# ";
    if (m_in_test) {
        for (std::string_view piece : {std::string_view(m_crash_point), prefix, std::string_view("---\n"),
                                       prefix, std::string_view("message: "), std::string_view(reason_yaml),
                                       std::string_view("\n"), prefix, std::string_view("...\n")}) {
            m_sink.write_after_crash(piece);
        }
        m_sink.write_after_crash(m_crash_class);
    }
    m_sink.write_after_crash("Bail out! ");
    m_sink.write_after_crash(reason);
    if (m_in_test) {
        m_sink.write_after_crash(" during test case: ");
        m_sink.write_after_crash(m_crash_point_name);
    }
    m_sink.write_after_crash("\n");
    m_capture.stop(false);  // what the tests wrote goes to the real stderr
}

}  // namespace shardtap
