#include "outputs/rerun_file.hpp"

#include "core/tap/tap_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <utility>

namespace shardtap::tools {
namespace {

// Catch2 compares names trimmed of these blanks and lowered (ASCII only): both the pattern
// and the test case's name.
constexpr std::string_view catch2_blanks = " \t\n\r";

std::string_view trimmed(std::string_view name) {
    auto const first = name.find_first_not_of(catch2_blanks);
    if (first == std::string_view::npos) return {};
    return name.substr(first, name.find_last_not_of(catch2_blanks) - first + 1);
}

std::string normalised(std::string_view name) {
    std::string text(trimmed(name));
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Which names the pattern append_pattern writes for `name` selects, as Catch2 decides.
struct NameMatch {
    std::string text;  // the name trimmed and lowered
    bool any_before;   // it starts with '*': Catch2 reads a wildcard there
    bool any_after;

    explicit NameMatch(std::string_view name)
        : text(normalised(name)),
          any_before(!text.empty() && text.front() == '*'),
          any_after(!text.empty() && text.back() == '*') {}

    bool wildcard() const { return any_before || any_after; }

    bool selects(std::string_view name) const {
        auto const other = normalised(name);
        if (other.size() < text.size()) return false;
        if (any_before && any_after) return other.find(text) != std::string::npos;
        if (any_before) return other.compare(other.size() - text.size(), text.size(), text) == 0;
        if (any_after) return other.compare(0, text.size(), text) == 0;
        return other == text;
    }
};

// A quoted name pattern for `name`. Backslash escapes what would end the quote ('"'), split
// the spec (','), start an escape ('\\') or a tag alias ("[@"); a '*' at either end is doubled
// (Catch2 takes one as a wildcard whether escaped or not); "exclude:" is written "Exclude:".
void append_pattern(std::string& out, std::string_view name) {
    auto text = trimmed(name);
    out += '"';
    if (!text.empty() && text.front() == '*') out += '*';
    if (text.substr(0, 8) == "exclude:") {
        out += 'E';
        text.remove_prefix(1);
    }
    for (char const c : text) {
        if (c == '\\' || c == '"' || c == ',' || c == '@') out += '\\';
        out += c;
    }
    if (!text.empty() && text.back() == '*') out += '*';
    out += '"';
}

bool has_line_break(std::string_view name) { return trimmed(name).find('\n') != std::string_view::npos; }

std::string label(RerunTestCase const& test) {
    std::string text = "'" + escape_text(test.name) + "'";
    if (!test.class_name.empty()) text += " (class " + escape_text(test.class_name) + ")";
    return text;
}

using Key = std::pair<std::string_view, std::string_view>;  // name, class

// Every test case the streams name, and whether it failed anywhere.
std::map<Key, bool> test_cases(std::vector<NodeStream> const& streams) {
    std::map<Key, bool> cases;
    for (auto const& node : streams) {
        for (auto const& point : node.stream.points) {
            cases[{point.description, point.class_name}] |= point.failed();
        }
    }
    return cases;
}

// A node that stopped early: the test cases it never ran are not known here.
void warn_about_unfinished(std::vector<NodeStream> const& streams, RerunFile& file) {
    for (auto const& node : streams) {
        auto const& stream = node.stream;
        bool const stopped = stream.bail_out || node.state != StreamState::read;
        if (!stopped || !stream.plan || stream.plan->count <= stream.points.size()) continue;
        file.warnings.push_back(fmt::format(
            "--failed: {} stopped after {} of its {} test cases; the {} it never ran are not in "
            "the file (rerun that node whole)",
            node_label(node), stream.points.size(), stream.plan->count,
            stream.plan->count - stream.points.size()));
    }
}

}  // namespace

std::string rerun_line(RerunTestCase const& test, std::vector<RerunTestCase> const& others) {
    std::string line;
    append_pattern(line, test.name);
    for (auto const& other : others) {
        line += " ~";
        append_pattern(line, other.name);
    }
    return line;
}

RerunFile rerun_file(std::vector<NodeStream> const& streams) {
    RerunFile file;
    auto const cases = test_cases(streams);
    std::multimap<std::string, Key> by_text;  // for names Catch2 cannot tell apart
    for (auto const& [key, failed] : cases) by_text.emplace(normalised(key.first), key);

    for (auto const& entry : cases) {
        auto const& key = entry.first;  // a name, not a structured binding: the lambda below uses it
        if (!entry.second) continue;
        RerunTestCase const test{key.first, key.second};
        if (trimmed(test.name).empty() || has_line_break(test.name)) {
            file.warnings.push_back(fmt::format(
                "--failed: {} failed but is not in the file: Catch2 cannot select a name that "
                "is blank or holds a line break from a file", label(test)));
            continue;
        }
        NameMatch const match(test.name);
        std::vector<RerunTestCase> excluded;
        auto const check = [&](Key const& other_key) {
            RerunTestCase const other{other_key.first, other_key.second};
            if (other_key == key || cases.at(other_key) || !match.selects(other.name)) return;
            if (normalised(other.name) != match.text && !has_line_break(other.name)) {
                excluded.push_back(other);
                return;
            }
            auto const why = other.name == test.name ? "Catch2 selects test cases by name alone"
                             : normalised(other.name) == match.text
                                 ? "Catch2 compares names ignoring case and outer blanks"
                                 : "a name with a line break cannot be excluded";
            file.warnings.push_back(fmt::format(
                "--failed: the line for {} also selects {}, which did not fail: {}", label(test),
                label(other), why));
        };
        if (match.wildcard()) {
            for (auto const& other : cases) check(other.first);
        } else {
            auto const [first, last] = by_text.equal_range(match.text);
            for (auto it = first; it != last; ++it) check(it->second);
        }
        file.text += rerun_line(test, excluded) + "\n";
    }
    warn_about_unfinished(streams, file);
    return file;
}

}  // namespace shardtap::tools
