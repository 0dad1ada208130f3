#pragma once
// Writing a TAP version 14 stream, one piece at a time: the caller writes (and flushes) each
// returned piece as soon as it is known, so a crash leaves every finished line behind.
//
//     TapEncoder tap;
//     out << tap.version() << tap.header(header) << tap.plan(2);
//     out << tap.point({true, "adds"});
//     out << tap.point({false, "divides", TapDirective::none, {}, &diagnostics});
//
// No Catch2 in here: the reporter and the shardtap command share it.

#include "core/tap/tap_header.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap {

enum class TapDirective { none, skip, todo };

// Where a failed point's details go: a YAML block indented two spaces (TAP 14), or the same
// lines as `# ` comments, so that no line starts with whitespace (Heroku CI rejects those).
enum class DiagnosticsStyle { yaml, comments };

// One failed assertion, an unexpected exception or a fatal error.
struct TapFailure {
    std::string kind;        // "expression", "explicit", "exception", "fatal", ...
    std::string file;
    std::size_t line = 0;    // 0: unknown
    std::string macro;       // "CHECK", "REQUIRE_THROWS_AS", ...
    std::string expression;  // as written in the source
    std::string expansion;   // with the values substituted
    std::string message;     // exception or fatal error text, FAIL()'s message
    std::vector<std::string> messages;  // INFO / CAPTURE / UNSCOPED_INFO in scope
    std::vector<std::string> sections;  // outermost first

    friend bool operator==(TapFailure const&, TapFailure const&);
};

struct TapDiagnostics {
    std::optional<double> duration_ms;
    std::string message;  // what is wrong, when no single failure says it
    std::vector<TapFailure> failures;
    std::string stdout_text;  // the test's own output, captured
    std::string stderr_text;

    bool empty() const;
    friend bool operator==(TapDiagnostics const&, TapDiagnostics const&);
};

// What the encoder needs for one test point; it numbers the points itself.
struct TapPointView {
    bool ok = true;
    std::string_view description;
    TapDirective directive = TapDirective::none;
    std::string_view reason;  // the directive's reason
    TapDiagnostics const* diagnostics = nullptr;  // nullptr or empty: no block
    std::string_view class_name;  // Catch2's class of a TEST_CASE_METHOD; empty: none
    // How long the test case took; nullopt: it did not run. Written where tap-parser reads it
    // as the point's time: node-tap's " # time=12.345ms" after the description, or, where a
    // SKIP or TODO directive takes that place, as the diagnostics block's duration_ms.
    std::optional<double> elapsed_ms;
};

class TapEncoder {
public:
    explicit TapEncoder(DiagnosticsStyle style = DiagnosticsStyle::yaml) : m_style(style) {}

    // Each returns complete lines, valid until the next call.
    std::string_view version();                           // "TAP version 14"
    std::string_view header(TapHeader const& header);     // "# shardtap ..." lines
    std::string_view plan(std::size_t count);             // "1..N", before the first point
    std::string_view skip_all(std::string_view reason);   // "1..0 # SKIP reason": nothing to run
    std::string_view point(TapPointView const& point);    // "ok N - ...", its diagnostics,
                                                          // then its class line
    std::string_view final_plan();                        // "1..N" after the last point, when
                                                          // plan() was not called
    std::string_view bail_out(std::string_view reason);   // "Bail out! reason"
    std::string_view comment(std::string_view text);      // "# text", escaped onto one line

    std::size_t points_written() const { return m_points; }
    bool has_plan() const { return m_planned.has_value(); }

private:
    std::string_view finish();

    DiagnosticsStyle m_style;
    std::string m_out;
    std::size_t m_points = 0;
    std::optional<std::size_t> m_planned;
};

// A test case's class, on a comment line right after its test point and diagnostics block:
//
//     ok 7 - same name, two fixtures
//     # shardtap class: SecondFixture
//
// Descriptions stay the test case names; the name and this line together tell apart the test
// cases Catch2 allows to share a name (TEST_CASE_METHOD on different classes).
inline constexpr std::string_view tap_class_prefix = "# shardtap class: ";

// The class line alone (nothing for an empty class name), as TapEncoder::point writes it.
void append_tap_class(std::string& out, std::string_view class_name);

// The diagnostics block alone (with its `---` and `...` lines, each prefixed by two spaces
// or by "# "), as TapEncoder::point writes it.
void append_tap_diagnostics(std::string& out, TapDiagnostics const& diagnostics,
                            DiagnosticsStyle style);

// A test point's time as TapEncoder::point writes it after the description: "time=12.345ms".
inline constexpr std::string_view tap_time_key = "time=";

}  // namespace shardtap
