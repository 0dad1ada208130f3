#include "core/tap/tap_reader.hpp"
#include "core/tap/tap_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace shardtap {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool starts_with_word(std::string_view text, std::string_view word) {  // case-insensitive
    if (text.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
    }
    return text.size() == word.size() || !std::isalnum(static_cast<unsigned char>(text[word.size()]));
}

std::string_view trim_left(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    return text;
}

// A line quoted for an error message: escaped onto one line, and not too long.
std::string shown(std::string_view line) {
    constexpr std::size_t limit = 80;
    std::string text = escape_text(line.substr(0, limit));
    if (line.size() > limit) text += "...";
    return "'" + text + "'";
}

bool read_count(std::string_view digits, std::size_t& value) {
    if (digits.empty()) return false;
    auto const [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return error == std::errc() && end == digits.data() + digits.size();
}

std::size_t digit_run(std::string_view text) {
    std::size_t n = 0;
    while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) ++n;
    return n;
}

// The first `#` not escaped by a backslash, or npos.
std::size_t unescaped_hash(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '#') {
            return i;
        }
    }
    return std::string_view::npos;
}

struct Directive {
    TapDirective kind = TapDirective::none;
    std::string reason;
};

// The text after an unescaped `#`: "SKIP reason", "todo", or not a directive.
Directive read_directive(std::string_view after_hash) {
    auto text = trim_left(after_hash);
    Directive d;
    if (starts_with_word(text, "skip")) {
        d.kind = TapDirective::skip;
    } else if (starts_with_word(text, "todo")) {
        d.kind = TapDirective::todo;
    } else {
        return d;
    }
    d.reason = unescape_text(trim_left(text.substr(4)));
    return d;
}

// node-tap's time after the description, "time=12.345ms" or "time=1.5s" (case-insensitive,
// as tap-parser reads it): milliseconds, or nullopt when the text is something else.
std::optional<double> read_time(std::string_view after_hash) {
    auto text = trim_left(after_hash);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.size() < tap_time_key.size() || !starts_with_word(text.substr(0, 4), "time") ||
        text[4] != '=') {
        return std::nullopt;
    }
    text.remove_prefix(tap_time_key.size());
    double scale = 1.0;
    if (text.size() > 2 && std::tolower(static_cast<unsigned char>(text[text.size() - 2])) == 'm' &&
        std::tolower(static_cast<unsigned char>(text.back())) == 's') {
        text.remove_suffix(2);
    } else if (text.size() > 1 && std::tolower(static_cast<unsigned char>(text.back())) == 's') {
        text.remove_suffix(1);
        scale = 1000.0;
    } else {
        return std::nullopt;
    }
    auto const whole = digit_run(text);
    auto const point = text.substr(whole);
    if (whole == 0 || (!point.empty() && (point.front() != '.' || point.size() == 1 ||
                                           digit_run(point.substr(1)) != point.size() - 1))) {
        return std::nullopt;
    }
    return std::strtod(std::string(text).c_str(), nullptr) * scale;
}

// Reads a stream line by line; throws TapReadError at the first line it rejects.
class Reader {
public:
    // One line, without its newline. Lines after `Bail out!` are not read.
    void read_line(std::string_view line) {
        if (m_stream.bail_out) return;
        m_line = line;
        if (!m_line.empty() && m_line.back() == '\r') m_line.remove_suffix(1);
        ++m_number;
        if (!m_block_prefix.empty()) {
            block_line();
        } else {
            this->line();
        }
    }

    // Every line of `text`; the last needs no newline.
    void read_lines(std::string_view text) {
        std::size_t position = 0;
        while (position < text.size()) {
            auto const end = text.find('\n', position);
            auto const stop = end == std::string_view::npos ? text.size() : end;
            read_line(text.substr(position, stop - position));
            position = stop + 1;
        }
    }

    // The checks at the end of the stream.
    TapStream finish() {
        if (m_number == 0) fail(1, "the stream is empty");
        if (!m_block_prefix.empty()) {
            fail(m_number + 1, fmt::format("the stream ends inside the diagnostics block that "
                                           "starts at line {} (truncated?)", m_block_start));
        }
        if (!m_stream.bail_out) check_complete();
        return std::move(m_stream);
    }

    TapStream const& stream() const { return m_stream; }

private:
    [[noreturn]] void fail(std::size_t line, std::string const& problem) {
        throw TapReadError(line, problem, std::move(m_stream));
    }
    [[noreturn]] void fail(std::string const& problem) { fail(m_number, problem); }

    void line() {
        bool const after_point = m_last_was_point;
        bool const point_ended = m_point_just_ended;
        m_last_was_point = false;
        m_point_just_ended = false;
        if (starts_with(m_line, "TAP version ")) return version();
        if (starts_with(m_line, "ok") || starts_with(m_line, "not ok")) return point();
        if (starts_with(m_line, "1..")) return plan();
        if (starts_with(m_line, "Bail out!")) {
            m_stream.bail_out = TapBailOut{unescape_text(trim_left(m_line.substr(9))), m_number};
            return;
        }
        if (after_point && (m_line == "  ---" || m_line == "# ---")) {
            m_block_prefix = m_line.front() == ' ' ? "  " : "# ";  // outlives the line
            m_block_start = m_number;
            m_block.clear();
            return;
        }
        if (starts_with(m_line, tap_class_prefix)) return class_line(point_ended);
        if (starts_with(m_line, "#")) return comment();
        if (m_line.empty() || starts_with(m_line, "pragma ")) return;
        if (starts_with(m_line, "    ") &&
            (starts_with(trim_left(m_line), "ok") || starts_with(trim_left(m_line), "not ok") ||
             starts_with(trim_left(m_line), "1..") || starts_with(trim_left(m_line), "# Subtest"))) {
            fail("an indented subtest; subtests are not supported");
        }
        if (m_line.front() == ' ' || m_line.front() == '\t') {
            fail(fmt::format("an indented line outside a diagnostics block: {}", shown(m_line)));
        }
        fail(fmt::format("not a TAP line: {}", shown(m_line)));
    }

    void version() {
        if (m_number != 1) fail("the version line must be the first line");
        auto const number = m_line.substr(12);
        if (number == "13") {
            m_stream.version = 13;
        } else if (number == "14") {
            m_stream.version = 14;
        } else {
            fail(fmt::format("unsupported TAP version {} (13 and 14 are known)", shown(number)));
        }
    }

    void plan() {
        auto rest = m_line.substr(3);
        auto const digits = digit_run(rest);
        std::size_t count = 0;
        if (!read_count(rest.substr(0, digits), count)) fail(fmt::format("a malformed plan: {}", shown(m_line)));
        rest.remove_prefix(digits);
        TapPlan plan{count, std::nullopt, m_stream.points.empty(), m_number};
        if (!rest.empty()) {
            auto const after = trim_left(rest);
            if (after.size() == rest.size() || after.front() != '#') {
                fail(fmt::format("a malformed plan: {}", shown(m_line)));
            }
            auto directive = read_directive(after.substr(1));
            if (directive.kind == TapDirective::skip) plan.skip_reason = std::move(directive.reason);
        }
        if (m_stream.plan) {
            fail(fmt::format("a second plan; the first is at line {}", m_stream.plan->line));
        }
        if (!plan.before_points && count != m_stream.points.size()) {
            fail(fmt::format("the closing plan 1..{} does not match the {} test points before it",
                             count, m_stream.points.size()));
        }
        if (count == 0 && !plan.skip_reason) plan.skip_reason = std::string();
        m_stream.plan = std::move(plan);
    }

    void point() {
        TapPoint p;
        p.line = m_number;
        p.ok = starts_with(m_line, "ok");
        auto rest = m_line.substr(p.ok ? 2 : 6);
        if (!rest.empty() && rest.front() != ' ') fail(fmt::format("not a TAP line: {}", shown(m_line)));
        std::size_t const expected = m_stream.points.size() + 1;
        p.number = expected;
        if (rest.size() > 1 && std::isdigit(static_cast<unsigned char>(rest[1]))) {
            auto const digits = digit_run(rest.substr(1));
            if (!read_count(rest.substr(1, digits), p.number)) {
                fail(fmt::format("a test point number out of range: {}", shown(m_line)));
            }
            rest.remove_prefix(1 + digits);
            if (!rest.empty() && rest.front() != ' ') fail(fmt::format("a malformed test point: {}", shown(m_line)));
        }
        if (p.number != expected) {
            fail(fmt::format("test point {} where {} was expected", p.number, expected));
        }
        if (m_stream.plan && !m_stream.plan->before_points) {
            fail(fmt::format("a test point after the closing plan at line {}", m_stream.plan->line));
        }
        if (m_stream.plan && p.number > m_stream.plan->count) {
            fail(fmt::format("test point {} is beyond the plan 1..{} at line {}", p.number,
                             m_stream.plan->count, m_stream.plan->line));
        }
        // rest: "", " - description", " description", " -", each maybe with " # DIRECTIVE".
        if (starts_with(rest, " - ")) {
            rest.remove_prefix(3);
        } else if (rest == " -") {
            rest = {};
        } else if (starts_with(rest, " ")) {
            rest.remove_prefix(1);
        }
        auto const hash = unescaped_hash(rest);
        if (hash != std::string_view::npos) {
            auto directive = read_directive(rest.substr(hash + 1));
            p.elapsed_ms = read_time(rest.substr(hash + 1));
            if (directive.kind != TapDirective::none || p.elapsed_ms) {
                p.directive = directive.kind;
                p.reason = std::move(directive.reason);
                rest = rest.substr(0, hash);
                if (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
            }
        }
        p.description = unescape_text(rest);
        m_stream.points.push_back(std::move(p));
        m_last_was_point = true;
        m_point_just_ended = true;
    }

    // "# shardtap class: NAME", right after its test point and the point's diagnostics block.
    void class_line(bool point_ended) {
        if (!point_ended) {
            fail(fmt::format("a class line that does not follow a test point: {}", shown(m_line)));
        }
        m_stream.points.back().class_name = unescape_text(m_line.substr(tap_class_prefix.size()));
    }

    void comment() {
        std::string error;
        if (read_tap_header_line(m_line, m_stream.header, error) == HeaderLine::malformed) fail(error);
    }

    void block_line() {
        std::string_view const end = m_block_prefix == "# " ? "# ..." : "  ...";
        if (m_line == end) {
            auto& point = m_stream.points.back();
            point.diagnostics = read_tap_diagnostics(m_block);
            if (!point.elapsed_ms && point.diagnostics) point.elapsed_ms = point.diagnostics->duration_ms;
            point.diagnostic_lines = std::move(m_block);
            m_block = {};
            m_block_prefix = {};
            m_point_just_ended = true;
            return;
        }
        if (m_line.empty() && m_block_prefix == "  ") {
            m_block.emplace_back();
            return;
        }
        if (!starts_with(m_line, m_block_prefix)) {
            fail(fmt::format("the diagnostics block that starts at line {} is not closed with "
                             "'{}' before {}", m_block_start, end, shown(m_line)));
        }
        m_block.emplace_back(m_line.substr(2));
    }

    void check_complete() {
        auto const& plan = m_stream.plan;
        auto const seen = m_stream.points.size();
        if (!plan) {
            fail(m_number + 1, fmt::format("the stream ends after {} test points without a plan "
                                           "(1..N) and without 'Bail out!' (truncated?)", seen));
        }
        if (seen < plan->count) {
            fail(m_number + 1, fmt::format("the stream ends after {} of the {} test points its plan "
                                           "at line {} promises, without 'Bail out!' (truncated?)",
                                           seen, plan->count, plan->line));
        }
    }

    std::string_view m_line;
    std::size_t m_number = 0;
    bool m_last_was_point = false;
    bool m_point_just_ended = false;  // the last line was a test point or closed its block
    std::string_view m_block_prefix;  // non-empty inside a diagnostics block
    std::size_t m_block_start = 0;
    std::vector<std::string> m_block;
    TapStream m_stream;
};

// shardtap's diagnostics blocks, as append_tap_diagnostics writes them.
class DiagnosticsReader {
public:
    explicit DiagnosticsReader(std::vector<std::string> const& lines) : m_lines(lines) {}

    std::optional<TapDiagnostics> read() {
        TapDiagnostics d;
        while (m_at < m_lines.size()) {
            std::string_view const line = m_lines[m_at++];
            std::string_view key, value;
            if (!split(line, 0, key, value)) return std::nullopt;
            if (key == "duration_ms") {
                char* end = nullptr;
                std::string const copy(value);
                double const ms = std::strtod(copy.c_str(), &end);
                if (copy.empty() || end != copy.c_str() + copy.size()) return std::nullopt;
                d.duration_ms = ms;
            } else if (key == "message" || key == "stdout" || key == "stderr") {
                auto& target = key == "message" ? d.message : key == "stdout" ? d.stdout_text : d.stderr_text;
                if (!quoted(value, target)) return std::nullopt;
            } else if (key == "failures" && value.empty()) {
                if (!failures(d.failures)) return std::nullopt;
            } else {
                return std::nullopt;
            }
        }
        return d;
    }

private:
    // "<indent>key: value" or "<indent>key:" at exactly `indent` spaces.
    static bool split(std::string_view line, std::size_t indent, std::string_view& key, std::string_view& value) {
        if (line.size() <= indent || line.find_first_not_of(' ') != indent) return false;
        line.remove_prefix(indent);
        auto const colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        key = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty()) {
            if (value.front() != ' ') return false;
            value.remove_prefix(1);
        }
        return true;
    }

    static bool quoted(std::string_view text, std::string& value) {
        return !text.empty() && read_yaml_quoted(text, value) == text.size();
    }

    bool failures(std::vector<TapFailure>& out) {
        while (m_at < m_lines.size() && starts_with(m_lines[m_at], "  - ")) {
            TapFailure f;
            std::string line = m_lines[m_at++];
            line[2] = ' ';  // "  - kind: ..." reads like "    kind: ..."
            if (!field(line, f)) return false;
            while (m_at < m_lines.size() && starts_with(m_lines[m_at], "    ") &&
                   !starts_with(m_lines[m_at], "      ")) {
                if (!field(m_lines[m_at++], f)) return false;
            }
            out.push_back(std::move(f));
        }
        return !out.empty();
    }

    bool field(std::string_view line, TapFailure& f) {
        std::string_view key, value;
        if (!split(line, 4, key, value)) return false;
        if (key == "line") {
            return read_count(value, f.line);
        }
        if (key == "messages" || key == "sections") {
            if (!value.empty()) return false;
            auto& list = key == "messages" ? f.messages : f.sections;
            while (m_at < m_lines.size() && starts_with(m_lines[m_at], "      - ")) {
                std::string item;
                if (!quoted(std::string_view(m_lines[m_at++]).substr(8), item)) return false;
                list.push_back(std::move(item));
            }
            return !list.empty();
        }
        std::string* target = key == "kind"         ? &f.kind
                              : key == "file"       ? &f.file
                              : key == "macro"      ? &f.macro
                              : key == "expression" ? &f.expression
                              : key == "expansion"  ? &f.expansion
                              : key == "message"    ? &f.message
                                                    : nullptr;
        return target && quoted(value, *target);
    }

    std::vector<std::string> const& m_lines;
    std::size_t m_at = 0;
};

}  // namespace

TapReadError::TapReadError(std::size_t line, std::string const& problem, TapStream partial)
    : std::runtime_error(fmt::format("line {}: {}", line, problem)),
      m_line(line),
      m_problem(problem),
      m_partial(std::move(partial)) {}

TapStream read_tap(std::string_view text) {
    Reader reader;
    reader.read_lines(text);
    return reader.finish();
}

struct TapStreamReader::State {
    Reader reader;
    std::optional<TapReadError> error;
};

TapStreamReader::TapStreamReader() : m_state(std::make_unique<State>()) {}
TapStreamReader::~TapStreamReader() = default;
TapStreamReader::TapStreamReader(TapStreamReader&&) noexcept = default;
TapStreamReader& TapStreamReader::operator=(TapStreamReader&&) noexcept = default;

void TapStreamReader::read(std::string_view lines) {
    if (m_state->error) return;
    try {
        m_state->reader.read_lines(lines);
    } catch (TapReadError const& error) {
        m_state->error = error;
    }
}

TapStream const& TapStreamReader::stream() const {
    return m_state->error ? m_state->error->partial() : m_state->reader.stream();
}

TapReadError const* TapStreamReader::error() const { return m_state->error ? &*m_state->error : nullptr; }

std::optional<TapDiagnostics> read_tap_diagnostics(std::vector<std::string> const& lines) {
    return DiagnosticsReader(lines).read();
}

}  // namespace shardtap
