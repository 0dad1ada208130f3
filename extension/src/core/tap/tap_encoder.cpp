#include "core/tap/tap_encoder.hpp"
#include "core/tap/tap_text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <stdexcept>

namespace shardtap {
namespace {

void append_count(std::string& out, std::size_t value) {
    char digits[20];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// round(value * 1000), halves to even, of the exact value of `value`, as printf's %.3f rounds;
// none outside [0, 1e12) (negative zero included), where std::to_chars takes over. In integers,
// so exact: value is mantissa * 2^-shift, and mantissa * 1000 < 2^63.
std::optional<std::uint64_t> thousandths(double value) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    if ((bits >> 63) != 0 || !(value < 1e12)) return std::nullopt;  // negative, NaN, too large
    auto const biased_exponent = static_cast<int>(bits >> 52);
    std::uint64_t const fraction = bits & ((std::uint64_t{1} << 52) - 1);
    std::uint64_t const mantissa = biased_exponent == 0 ? fraction : fraction | std::uint64_t{1} << 52;
    int const shift = 1075 - (biased_exponent == 0 ? 1 : biased_exponent);  // > 12: value < 2^40
    std::uint64_t const product = mantissa * 1000;
    if (shift >= 64) return 0;  // value * 1000 < 2^63 * 2^-64: below one half
    std::uint64_t rounded = product >> shift;
    std::uint64_t const rest = product & ((std::uint64_t{1} << shift) - 1);
    std::uint64_t const half = std::uint64_t{1} << (shift - 1);
    if (rest > half || (rest == half && rounded % 2 == 1)) ++rounded;
    return rounded;
}

// thousandths(value), with one multiplication where that gives the same: below 1e9, value * 1000
// in doubles is within 2^-14 of the exact product, so a fraction further than that from one half
// (all but a few values in a thousand) rounds as the exact one does.
std::optional<std::uint64_t> rounded_thousandths(double value) {
    if (!std::signbit(value) && value < 1e9) {
        double const scaled = value * 1000;
        auto const whole = static_cast<std::int64_t>(scaled);
        double const fraction = scaled - static_cast<double>(whole);
        if (fraction < 0.499 || fraction > 0.501) return static_cast<std::uint64_t>(whole + (fraction > 0.5));
    }
    return thousandths(value);
}

// "00" to "99", for writing two digits with one copy.
struct TwoDigits {
    char pairs[200] = {};
    constexpr TwoDigits() {
        for (int i = 0; i < 100; ++i) {
            pairs[2 * i] = static_cast<char>('0' + i / 10);
            pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
    }
};
constexpr TwoDigits two_digits;

// A time in milliseconds with three decimals, as fmt's {:.3f} writes it (tests/unit compares
// them), into `into` (milliseconds_room bytes); returns the end. No format string to parse,
// no string to allocate.
constexpr std::size_t milliseconds_room = 320;  // the largest double has 309 digits before the point
char* write_milliseconds(char* into, double value) {
    if (auto const n = rounded_thousandths(value)) {
        std::uint64_t const whole = *n / 1000;
        char* end = whole < 10 ? (*into = static_cast<char>('0' + whole), into + 1)
                               : std::to_chars(into, into + milliseconds_room, whole).ptr;
        auto const fraction = static_cast<unsigned>(*n - 1000 * whole);
        unsigned const hundreds = fraction / 100;
        end[0] = '.';
        end[1] = static_cast<char>('0' + hundreds);
        std::memcpy(end + 2, two_digits.pairs + 2 * (fraction - 100 * hundreds), 2);
        return end + 4;
    }
    auto const r = std::to_chars(into, into + milliseconds_room, value, std::chars_format::fixed, 3);
    return r.ec == std::errc{} ? r.ptr : into;
}

void append_milliseconds(std::string& out, double value) {
    char digits[milliseconds_room];
    out.append(digits, write_milliseconds(digits, value));
}

// Writes `text` at `at`; returns the end. Inline: every point's line is a few of these.
inline char* put(char* at, std::string_view text) {
    std::memcpy(at, text.data(), text.size());
    return at + text.size();
}

// Writes the lines of one diagnostics block, each starting with the block's prefix.
class BlockWriter {
public:
    BlockWriter(std::string& out, DiagnosticsStyle style)
        : m_out(out), m_prefix(style == DiagnosticsStyle::yaml ? "  " : "# ") {}

    void line(std::string_view text) {
        m_out += m_prefix;
        m_out += text;
        m_out += '\n';
    }
    void text(int indent, std::string_view key, std::string_view value) {
        if (value.empty()) return;
        start(indent, key);
        m_out += ' ';
        append_yaml_quoted(m_out, value);
        m_out += '\n';
    }
    void number(int indent, std::string_view key, std::size_t value) {
        start(indent, key);
        m_out += ' ';
        append_count(m_out, value);
        m_out += '\n';
    }
    void milliseconds(int indent, std::string_view key, double value) {
        start(indent, key);
        m_out += ' ';
        append_milliseconds(m_out, value);
        m_out += '\n';
    }
    void list(int indent, std::string_view key, std::vector<std::string> const& values) {
        if (values.empty()) return;
        start(indent, key);
        m_out += '\n';
        for (auto const& value : values) {
            m_out += m_prefix;
            m_out.append(static_cast<std::size_t>(indent) + 2, ' ');
            m_out += "- ";
            append_yaml_quoted(m_out, value);
            m_out += '\n';
        }
    }
    // "key:" (indent >= 0) or, for the first key of a list item, "- key:" (indent -2 - n).
    void start(int indent, std::string_view key) {
        m_out += m_prefix;
        if (indent < 0) {
            m_out.append(static_cast<std::size_t>(-indent - 2), ' ');
            m_out += "- ";
        } else {
            m_out.append(static_cast<std::size_t>(indent), ' ');
        }
        m_out += key;
        m_out += ':';
    }

private:
    std::string& m_out;
    std::string_view m_prefix;
};

// A directive's or Bail out!'s reason, after a space: readers skip the blanks before it, so
// leading spaces are written as \x20 to come back. At most reason_size_bound bytes.
constexpr std::size_t reason_size_bound(std::size_t bytes) { return 1 + escaped_size_bound(bytes); }
char* write_reason(char* at, std::string_view reason) {
    *at++ = ' ';
    std::size_t spaces = 0;
    while (spaces < reason.size() && reason[spaces] == ' ') ++spaces;
    for (std::size_t i = 0; i < spaces; ++i) at = put(at, "\\x20");
    return write_escaped_text(at, reason.substr(spaces));
}

void append_reason(std::string& out, std::string_view reason) {
    std::size_t const size = out.size();
    out.resize(size + reason_size_bound(reason.size()));
    out.resize(static_cast<std::size_t>(write_reason(&out[size], reason) - out.data()));
}

// One item of a diagnostics block's failures list.
void append_failure(BlockWriter& block, TapFailure const& f) {
    block.text(-4, "kind", f.kind.empty() ? std::string_view("failure") : f.kind);
    block.text(4, "file", f.file);
    if (f.line != 0) block.number(4, "line", f.line);
    block.text(4, "macro", f.macro);
    block.text(4, "expression", f.expression);
    block.text(4, "expansion", f.expansion);
    block.text(4, "message", f.message);
    block.list(4, "messages", f.messages);
    block.list(4, "sections", f.sections);
}

// The most a text takes as a YAML scalar or an escaped TAP reason: 4 characters a byte
// (\xHH), the quotes, the key.
constexpr std::size_t escaped_bound(std::size_t bytes) { return 4 * bytes + 32; }

}  // namespace

bool operator==(TapFailure const& a, TapFailure const& b) {
    return a.kind == b.kind && a.file == b.file && a.line == b.line && a.macro == b.macro &&
           a.expression == b.expression && a.expansion == b.expansion &&
           a.message == b.message && a.messages == b.messages && a.sections == b.sections;
}

bool TapDiagnostics::empty() const {
    return !duration_ms && message.empty() && failures.empty() && stdout_text.empty() &&
           stderr_text.empty();
}

bool operator==(TapDiagnostics const& a, TapDiagnostics const& b) {
    return a.duration_ms == b.duration_ms && a.message == b.message &&
           a.failures == b.failures && a.stdout_text == b.stdout_text &&
           a.stderr_text == b.stderr_text;
}

namespace {

// The block with `duration` in place of d.duration_ms: a point's time goes there when a
// directive takes its place on the point's line.
void append_block(std::string& out, TapDiagnostics const& d, std::optional<double> duration,
                  DiagnosticsStyle style) {
    BlockWriter block(out, style);
    block.line("---");
    if (duration) block.milliseconds(0, "duration_ms", *duration);
    block.text(0, "message", d.message);
    if (!d.failures.empty()) {
        block.start(0, "failures");
        out += '\n';
        for (auto const& f : d.failures) append_failure(block, f);
    }
    block.text(0, "stdout", d.stdout_text);
    block.text(0, "stderr", d.stderr_text);
    block.line("...");
}

// What tap-parser accepts as a time (no sign, no exponent): negative times are clocks gone
// backwards, written as 0; NaN and infinities are left out.
std::optional<double> writable_time(std::optional<double> ms) {
    if (!ms || !std::isfinite(*ms)) return std::nullopt;
    return *ms < 0 ? 0.0 : *ms;
}

}  // namespace

void append_tap_diagnostics(std::string& out, TapDiagnostics const& d, DiagnosticsStyle style) {
    append_block(out, d, d.duration_ms, style);
}

void append_tap_identity_lines(std::string& out, std::string_view class_name, std::string_view tags) {
    for (auto [prefix, value] :
         {std::pair{tap_class_prefix, class_name}, std::pair{tap_tags_prefix, tags}}) {
        if (value.empty()) continue;
        out += prefix;
        append_escaped_text(out, value);
        out += '\n';
    }
}

std::string_view TapEncoder::finish() { return m_out; }

std::string_view TapEncoder::version() {
    m_out = "TAP version 14\n";
    return finish();
}

std::string_view TapEncoder::header(TapHeader const& header) {
    m_out.clear();
    append_tap_header(m_out, header);
    return finish();
}

std::string_view TapEncoder::plan(std::size_t count) {
    if (m_planned) throw std::logic_error("TapEncoder: the plan was already written");
    if (m_points != 0) throw std::logic_error("TapEncoder: plan() after a test point; use final_plan()");
    m_planned = count;
    m_out = fmt::format("1..{}\n", count);
    return finish();
}

std::string_view TapEncoder::skip_all(std::string_view reason) {
    if (m_planned || m_points != 0) throw std::logic_error("TapEncoder: skip_all() must be the only plan");
    m_planned = 0;
    m_out = "1..0 # SKIP";
    if (!reason.empty()) append_reason(m_out, reason);
    m_out += '\n';
    return finish();
}

// "ok N - description # time=12.345ms" or "not ok N - description # SKIP reason", with its
// newline, written in place: no string to grow piece by piece, for the line every point has.
std::string_view TapEncoder::point_line(TapPointView const& p, std::optional<double> time) {
    std::size_t const room = 32 + escaped_size_bound(p.description.size()) +
                             reason_size_bound(p.reason.size()) + milliseconds_room + 16;
    if (m_line.size() < room) m_line.resize(room);
    char* const line = &m_line[0];
    char* at = put(p.ok ? line : put(line, "not "), "ok ");
    std::memcpy(at, m_number, sizeof m_number);  // a fixed size: no call; the line has room
    at += m_number_size;
    if (!p.description.empty()) at = write_escaped_text(put(at, " - "), p.description);
    if (p.directive != TapDirective::none) {
        at = put(at, p.directive == TapDirective::skip ? " # SKIP" : " # TODO");
        if (!p.reason.empty()) at = write_reason(at, p.reason);
    } else if (time) {
        at = put(write_milliseconds(put(put(at, " # "), tap_time_key), *time), "ms");
    }
    *at++ = '\n';
    return {line, static_cast<std::size_t>(at - line)};
}

// One point more, in m_points and in its decimal digits: incremented in place, not converted.
inline void TapEncoder::count_point() {
    ++m_points;
    for (std::size_t i = m_number_size; i-- > 0;) {
        if (m_number[i] != '9') {
            ++m_number[i];
            return;
        }
        m_number[i] = '0';
    }
    std::memmove(m_number + 1, m_number, m_number_size++);  // all nines: one digit more
    m_number[0] = '1';
}

std::string_view TapEncoder::point(TapPointView const& p) {
    if (m_planned && m_points >= *m_planned) {
        throw std::logic_error(fmt::format("TapEncoder: test point {} is beyond the plan 1..{}",
                                           m_points + 1, *m_planned));
    }
    count_point();
    auto const time = writable_time(p.elapsed_ms);
    std::string_view const line = point_line(p, time);
    bool const time_in_block = time && p.directive != TapDirective::none;
    bool const has_block = p.diagnostics && !p.diagnostics->empty();
    if (!has_block && !time_in_block && p.class_name.empty() && p.tags.empty()) return line;
    m_out.assign(line);
    if (has_block || time_in_block) {
        static TapDiagnostics const none;
        auto const& d = has_block ? *p.diagnostics : none;
        append_block(m_out, d, time_in_block ? time : d.duration_ms, m_style);
    }
    append_tap_identity_lines(m_out, p.class_name, p.tags);
    return finish();
}

std::string_view TapEncoder::final_plan() {
    if (m_planned) throw std::logic_error("TapEncoder: the plan was already written");
    m_planned = m_points;
    m_out = fmt::format("1..{}\n", m_points);
    return finish();
}

std::string_view TapEncoder::bail_out(std::string_view reason) {
    m_out = "Bail out!";
    if (!reason.empty()) append_reason(m_out, reason);
    m_out += '\n';
    return finish();
}

std::string_view TapEncoder::comment(std::string_view text) {
    m_out = "# ";
    append_escaped_text(m_out, text);
    m_out += '\n';
    return finish();
}

void TapCrashLines::reserve(std::size_t output_limit) {
    m_output_room = 2 * escaped_bound(output_limit);
    add_failure_room();
}

void TapCrashLines::add_failure(TapFailure const& failure) {
    BlockWriter block(m_failures, m_style);
    append_failure(block, failure);
    add_failure_room();
}

// The escaped description twice (the point and Bail out!), the class and tags lines, the
// failures, the reasons, and the fixed words and numbers around them.
inline std::size_t TapCrashLines::fixed_size() const noexcept {
    return m_failures.size() + 2 * escaped_bound(m_description.size()) +
           escaped_bound(m_class_name.size()) + escaped_bound(m_tags.size()) +
           4 * escaped_bound(reason_limit) + 384;
}

void TapCrashLines::append_point() noexcept {
    m_out += "not ok ";
    char digits[20];
    m_out.append(digits, std::to_chars(digits, digits + sizeof digits, m_number).ptr);
    if (!m_description.empty()) {
        m_out += " - ";
        append_escaped_text(m_out, m_description);
    }
    m_out += '\n';
}

void TapCrashLines::add_failure_room() {
    std::size_t const needed = fixed_size() + m_output_room;
    if (m_out.capacity() < needed) m_out.reserve(needed + needed / 2);
}

std::string_view TapCrashLines::lines(TapCrash const& crash) noexcept {
    std::string_view const reason = crash.reason.substr(0, reason_limit);
    m_out.clear();
    if (m_in_test) {
        append_point();
        BlockWriter block(m_out, m_style);
        block.line("---");
        if (crash.duration_ms >= 0) {
            block.milliseconds(0, "duration_ms", crash.duration_ms);
        }
        block.text(0, "message", reason);
        if (!m_failures.empty() || crash.fatal_failure) {
            block.start(0, "failures");
            m_out += '\n';
            m_out += m_failures;
            if (crash.fatal_failure) {
                block.text(-4, "kind", "fatal");
                block.text(4, "message", reason);
            }
        }
        // Within the room reserved, or not at all: lines() never allocates.
        std::size_t const room = m_out.capacity() - fixed_size();
        std::size_t used = 0;
        for (auto [key, text] : {std::pair<std::string_view, std::string_view>{"stdout", crash.stdout_text},
                                 {"stderr", crash.stderr_text}}) {
            if (used + escaped_bound(text.size()) > room) continue;
            used += escaped_bound(text.size());
            block.text(0, key, text);
        }
        block.line("...");
        append_tap_identity_lines(m_out, m_class_name, m_tags);
    }
    m_out += "Bail out!";
    if (!reason.empty()) append_reason(m_out, reason);
    if (m_in_test && crash.name_in_bail_out) {
        m_out += " during test case: ";
        append_escaped_text(m_out, m_description);
    }
    m_out += '\n';
    return m_out;
}

}  // namespace shardtap
