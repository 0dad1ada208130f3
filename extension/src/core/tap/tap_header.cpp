#include "core/tap/tap_header.hpp"
#include "core/text/quoted.hpp"
#include "core/tap/tap_text.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>

namespace shardtap {
namespace {

constexpr std::string_view field_prefix = "# shardtap ";

// How one kind of value is written and read back.
struct Count {
    static void format(std::string& out, std::optional<std::size_t> const& value) {
        out += std::to_string(*value);
    }
    static bool parse(std::string_view text, std::optional<std::size_t>& value) {
        std::size_t number = 0;
        auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size() || text.empty()) return false;
        value = number;
        return true;
    }
    static bool is_set(std::optional<std::size_t> const& value) { return value.has_value(); }
};

struct Seconds {
    static void format(std::string& out, std::optional<double> const& value) {
        out += fmt::format("{:.3f}", *value);
    }
    static bool parse(std::string_view text, std::optional<double>& value) {
        std::string const copy(text);
        char* end = nullptr;
        double const number = std::strtod(copy.c_str(), &end);
        if (copy.empty() || end != copy.c_str() + copy.size() || !(number >= 0)) return false;
        value = number;
        return true;
    }
    static bool is_set(std::optional<double> const& value) { return value.has_value(); }
};

struct Text {
    static void format(std::string& out, std::string const& value) { append_escaped_text(out, value); }
    static bool parse(std::string_view text, std::string& value) {
        value = unescape_text(text);
        return true;
    }
    static bool is_set(std::string const& value) { return !value.empty(); }
};

struct Field {
    std::string_view key;
    std::string_view expected;  // what a malformed value should have been
    bool (*is_set)(TapHeader const&);
    void (*format)(std::string&, TapHeader const&);
    bool (*parse)(std::string_view, TapHeader&);
};

template <typename Kind, auto Member>
constexpr Field field(std::string_view key, std::string_view expected) {
    return {key, expected, [](TapHeader const& h) { return Kind::is_set(h.*Member); },
            [](std::string& out, TapHeader const& h) { Kind::format(out, h.*Member); },
            [](std::string_view text, TapHeader& h) { return Kind::parse(text, h.*Member); }};
}

// Every known field, in the order they are written.
constexpr Field fields[] = {
    field<Count, &TapHeader::node_index>("node_index", "a whole number"),
    field<Count, &TapHeader::node_total>("node_total", "a whole number"),
    field<Text, &TapHeader::provider>("provider", "text"),
    field<Text, &TapHeader::strategy>("strategy", "text"),
    field<Text, &TapHeader::fingerprint>("fingerprint", "text"),
    field<Count, &TapHeader::suite_size>("suite_size", "a whole number"),
    field<Seconds, &TapHeader::predicted_seconds>("predicted_seconds", "seconds, e.g. 1.250"),
    field<Seconds, &TapHeader::heaviest_node_seconds>("heaviest_node_seconds", "seconds, e.g. 1.250"),
    field<Seconds, &TapHeader::elapsed_seconds>("elapsed", "seconds, e.g. 1.250"),
};

bool is_key(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    }
    return true;
}

}  // namespace

bool operator==(TapHeader const& a, TapHeader const& b) {
    return a.node_index == b.node_index && a.node_total == b.node_total &&
           a.provider == b.provider && a.strategy == b.strategy &&
           a.fingerprint == b.fingerprint && a.suite_size == b.suite_size &&
           a.predicted_seconds == b.predicted_seconds &&
           a.heaviest_node_seconds == b.heaviest_node_seconds &&
           a.elapsed_seconds == b.elapsed_seconds && a.other == b.other;
}

void append_tap_header(std::string& out, TapHeader const& header) {
    for (auto const& f : fields) {
        if (!f.is_set(header)) continue;
        out += field_prefix;
        out += f.key;
        out += ": ";
        f.format(out, header);
        out += '\n';
    }
    for (auto const& [key, value] : header.other) {
        out += field_prefix;
        out += key;
        out += ": ";
        append_escaped_text(out, value);
        out += '\n';
    }
}

HeaderLine read_tap_header_line(std::string_view line, TapHeader& header, std::string& error) {
    if (line.substr(0, field_prefix.size()) != field_prefix) return HeaderLine::not_a_field;
    auto const rest = line.substr(field_prefix.size());
    auto const colon = rest.find(": ");
    if (colon == std::string_view::npos || !is_key(rest.substr(0, colon))) {
        return HeaderLine::not_a_field;  // a comment that merely starts with "shardtap"
    }
    auto const key = rest.substr(0, colon);
    auto const value = rest.substr(colon + 2);
    for (auto const& f : fields) {
        if (f.key != key) continue;
        if (f.parse(value, header)) return HeaderLine::read;
        error = fmt::format("shardtap field {} should be {}, not {}", in_quotes(key), f.expected, in_quotes(value));
        return HeaderLine::malformed;
    }
    header.other.emplace_back(std::string(key), unescape_text(value));
    return HeaderLine::read;
}

}  // namespace shardtap
