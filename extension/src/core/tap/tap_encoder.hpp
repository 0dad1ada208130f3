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
    // What tells the test case apart from others of its name (tap_identity_lines); empty: none.
    std::string_view class_name;
    std::string_view tags;
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
                                                          // then its class and tags lines
    std::string_view final_plan();                        // "1..N" after the last point, when
                                                          // plan() was not called
    std::string_view bail_out(std::string_view reason);   // "Bail out! reason"
    std::string_view comment(std::string_view text);      // "# text", escaped onto one line

    std::size_t points_written() const { return m_points; }
    bool has_plan() const { return m_planned.has_value(); }

private:
    std::string_view finish();
    std::string_view point_line(TapPointView const& point, std::optional<double> time);

    DiagnosticsStyle m_style;
    std::string m_out;
    std::string m_line;  // room for a point's line, which point() writes in place
    void count_point();

    std::size_t m_points = 0;
    char m_number[24] = {'0'};  // m_points in decimal
    std::size_t m_number_size = 1;
    std::optional<std::size_t> m_planned;
};

// What a crash, or a timeout, says about the test case in progress.
struct TapCrash {
    std::string_view reason;  // the diagnostics' message, and Bail out!'s reason
    // The reason also as a failure of kind "fatal" after the test case's own failures: Catch2
    // reported the crash as a failed assertion of the test body.
    bool fatal_failure = false;
    // Bail out!'s reason ends with " during test case: NAME".
    bool name_in_bail_out = true;
    double duration_ms = -1;  // negative: unknown
    std::string_view stdout_text;  // the test's output so far
    std::string_view stderr_text;
};

// The lines that end a stream cut short by a crash or a timeout: the test case in progress gets
// its `not ok` point (diagnostics block and identity lines as TapEncoder::point writes them), then
// `Bail out!`. Prepared while allocating is safe (prepare() at each test case's start, add_failure()
// as failures come); lines() then allocates nothing, takes no lock and calls nothing but this
// code: fit for a signal handler. prepare() only notes the test case and makes room: the point's
// lines are written by lines(), into that room, so a test case that does not crash costs no
// formatting.
//
//     crash.reserve(64 * 1024);                       // once, before the run
//     crash.prepare(DiagnosticsStyle::yaml, 3, "divides", "", "");
//     write_all(fd, crash.lines({"SIGSEGV - Segmentation violation signal", true}));
class TapCrashLines {
public:
    static constexpr std::size_t reason_limit = 1024;  // bytes of a reason kept

    // Room for lines() with up to `output_limit` bytes of each output stream.
    void reserve(std::size_t output_limit);
    // The test case whose point a crash writes: the next point, `number`. The texts are viewed,
    // not copied: they must outlive the test case (until clear() or the next prepare()).
    // Allocates only when the room must grow.
    void prepare(DiagnosticsStyle style, std::size_t number, std::string_view description,
                 std::string_view class_name, std::string_view tags) {
        m_style = style;
        m_in_test = true;
        m_number = number;
        m_description = description;
        m_class_name = class_name;
        m_tags = tags;
        m_failures.clear();  // reused: no allocation per test case once it is large enough
        add_failure_room();
    }
    // No test case in progress: a crash writes only Bail out!.
    void clear() noexcept { m_in_test = false; }
    // One more failure of the test case in progress. Allocates.
    void add_failure(TapFailure const& failure);

    // What to write, valid until the next call. Output that would not fit in the room reserved
    // is left out rather than allocated for.
    std::string_view lines(TapCrash const& crash) noexcept;

private:
    std::size_t fixed_size() const noexcept;  // the most lines() writes besides the output
    void add_failure_room();
    void append_point() noexcept;  // "not ok N - description\n"

    DiagnosticsStyle m_style = DiagnosticsStyle::yaml;
    bool m_in_test = false;
    std::size_t m_number = 0;
    std::string_view m_description;  // as given; escaped by lines()
    std::string_view m_class_name;
    std::string_view m_tags;
    std::string m_failures;     // the failures' lines so far
    std::string m_out;          // capacity reserved; never grows in lines()
    std::size_t m_output_room = 0;
};

// A test case's class and tags, on comment lines right after its test point and diagnostics
// block, each only when not empty:
//
//     ok 7 - same name
//     # shardtap class: SecondFixture
//     # shardtap tags: [a][b]
//
// Descriptions stay the test case names. The tap-stream reporter writes these lines only for a
// test case whose name another test case of the binary shares (Catch2 allows it across classes
// and tags): the name and these lines then identify it (core/identity), and where names are
// unique the stream has no line more.
inline constexpr std::string_view tap_class_prefix = "# shardtap class: ";
inline constexpr std::string_view tap_tags_prefix = "# shardtap tags: ";

// The class and tags lines alone, as TapEncoder::point writes them.
void append_tap_identity_lines(std::string& out, std::string_view class_name, std::string_view tags);

// The diagnostics block alone (with its `---` and `...` lines, each prefixed by two spaces
// or by "# "), as TapEncoder::point writes it.
void append_tap_diagnostics(std::string& out, TapDiagnostics const& diagnostics,
                            DiagnosticsStyle style);

// A test point's time as TapEncoder::point writes it after the description: "time=12.345ms".
inline constexpr std::string_view tap_time_key = "time=";

}  // namespace shardtap
