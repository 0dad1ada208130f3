#pragma once
// Reading a TAP stream back: what the shardtap command merges, and what the tests check the
// reporter's output with. Reads TAP 12-14 without subtests; knows the shardtap header fields
// (tap_header.hpp), shardtap's own diagnostics blocks and class lines (tap_encoder.hpp), and
// keeps any other YAML as lines.
//
//     auto stream = read_tap(text);        // throws TapReadError on malformed input
//     for (auto const& point : stream.points) if (point.failed()) ...
//     if (stream.bail_out) ...             // a crash: points before it are intact

#include "core/tap/tap_encoder.hpp"
#include "core/tap/tap_header.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap {

struct TapPoint {
    bool ok = true;
    std::size_t number = 0;
    std::string description;  // unescaped
    TapDirective directive = TapDirective::none;
    std::string reason;       // the directive's reason, unescaped
    std::string class_name;   // from its `# shardtap class:` line, unescaped; empty: none
    // The diagnostics block's lines between `---` and `...`, without the two-space or "# "
    // prefix; and the same block understood, when it is in shardtap's own form.
    std::vector<std::string> diagnostic_lines;
    std::optional<TapDiagnostics> diagnostics;
    // How long the test case took: " # time=12.345ms" (or "=1.5s") on the point's line, or
    // else its diagnostics' duration_ms; nullopt: the stream does not say.
    std::optional<double> elapsed_ms;
    std::size_t line = 0;  // 1-based line of the test point in the stream

    // A failure in TAP's sense: not ok, and neither SKIP nor TODO.
    bool failed() const { return !ok && directive == TapDirective::none; }
};

struct TapPlan {
    std::size_t count = 0;
    std::optional<std::string> skip_reason;  // `1..0 # SKIP reason`
    bool before_points = true;  // false: the plan came last
    std::size_t line = 0;
};

struct TapBailOut {
    std::string reason;  // unescaped
    std::size_t line = 0;
};

struct TapStream {
    int version = 12;  // 12 when there is no version line
    TapHeader header;
    std::optional<TapPlan> plan;
    std::vector<TapPoint> points;
    std::optional<TapBailOut> bail_out;  // reading stops at `Bail out!`
};

// Malformed or truncated input: the 1-based line and what is wrong with it; everything read
// before the problem stays available in partial().
class TapReadError : public std::runtime_error {
public:
    TapReadError(std::size_t line, std::string const& problem, TapStream partial);
    std::size_t line() const { return m_line; }
    std::string const& problem() const { return m_problem; }
    TapStream const& partial() const { return m_partial; }

private:
    std::size_t m_line;
    std::string m_problem;
    TapStream m_partial;
};

// Reads a whole stream. Besides lines that are not TAP, it rejects a stream that ends before
// its plan is fulfilled (or without any plan) unless it bailed out, a diagnostics block left
// open, points out of sequence or beyond the plan, a malformed shardtap header field, and a
// class line that does not follow a test point (or its diagnostics block) directly.
TapStream read_tap(std::string_view text);

// Reads a stream while it is being written, each piece of it once: give read() the stream's
// lines in order, a piece of whole lines at a time (each piece ending with a newline). It reads
// them as read_tap does, keeping what it read, and stops at `Bail out!` or at the first line
// read_tap would reject (error() then says why). It does not check that the stream is complete.
//
//     TapStreamReader reader;
//     reader.read("TAP version 14\n1..2\n");
//     reader.read("ok 1 - a\n");              // reader.stream().points.size() == 1
class TapStreamReader {
public:
    TapStreamReader();
    ~TapStreamReader();
    TapStreamReader(TapStreamReader&&) noexcept;
    TapStreamReader& operator=(TapStreamReader&&) noexcept;

    void read(std::string_view lines);
    TapStream const& stream() const;     // everything read so far
    TapReadError const* error() const;   // the line it stopped at, or nullptr

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Reads one shardtap diagnostics block (lines without their prefix, between `---` and `...`);
// nullopt when the lines are not in that form.
std::optional<TapDiagnostics> read_tap_diagnostics(std::vector<std::string> const& lines);

}  // namespace shardtap
