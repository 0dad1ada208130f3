#include "merged_outputs.hpp"

#include "tally.hpp"

#include "core/tap/tap_text.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace shardtap::tools {

namespace {

// A character XML 1.0 allows in a document (its Char production), markup aside. Tab, line feed
// and carriage return are among them but are written as references (attribute values would
// have them normalised to spaces); DEL is allowed but written escaped, as in TAP text.
bool xml_char(std::uint32_t cp) {
    return (cp >= 0x20 && cp != 0x7f && cp < 0xd800) || (cp >= 0xe000 && cp <= 0xfffd) ||
           (cp >= 0x10000 && cp <= 0x10ffff);
}

// Text for an XML 1.0 attribute or element: markup escaped; what XML cannot hold (control
// characters, U+FFFE/U+FFFF, bytes that are not UTF-8) written as \xHH per byte.
std::string xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        switch (text[i]) {
            case '&': out += "&amp;"; ++i; continue;
            case '<': out += "&lt;"; ++i; continue;
            case '>': out += "&gt;"; ++i; continue;
            case '"': out += "&quot;"; ++i; continue;
            case '\'': out += "&apos;"; ++i; continue;
            case '\n': out += "&#10;"; ++i; continue;
            case '\r': out += "&#13;"; ++i; continue;
            case '\t': out += "&#9;"; ++i; continue;
            default: break;
        }
        auto const character = decode_utf8(text, i);
        if (character.length == 0 || !xml_char(character.value)) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));  // byte by byte
            ++i;
        } else {
            out.append(text, i, character.length);
            i += character.length;
        }
    }
    return out;
}

std::string failure_text(TapPoint const& point) {
    if (!point.diagnostics) return fmt::format("{}", fmt::join(point.diagnostic_lines, "\n"));
    auto const& d = *point.diagnostics;
    std::string text = d.message;
    for (auto const& failure : d.failures) {
        if (!text.empty()) text += "\n";
        text += fmt::format("{}:{}: ", failure.file, failure.line);
        if (!failure.macro.empty()) text += fmt::format("{}({}) ", failure.macro, failure.expression);
        if (!failure.expansion.empty()) text += fmt::format("with expansion {} ", failure.expansion);
        text += failure.message;
        for (auto const& message : failure.messages) text += "\n  " + message;
        if (!failure.sections.empty()) text += fmt::format("\n  in section {}", fmt::join(failure.sections, " / "));
    }
    if (!d.stdout_text.empty()) text += "\nstdout:\n" + d.stdout_text;
    if (!d.stderr_text.empty()) text += "\nstderr:\n" + d.stderr_text;
    return text;
}

std::string first_line(std::string const& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string junit_xml(std::vector<NodeStream> const& nodes, MergeResult const& merge) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuites name=\"shardtap\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
        merge.tests + (merge.problems.empty() ? 0 : 1), merge.failed, merge.problems.empty() ? 0 : 1,
        merge.skipped + merge.todo, merge.sum_of_seconds);
    for (auto const* node : in_node_order(nodes)) {
        auto const& header = node->stream.header;
        auto const counts = tally(node->stream.points);
        auto const name = header.node_index ? fmt::format("node {}", *header.node_index) : node->source;
        out += fmt::format(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3f}\">\n",
            xml(name), counts.tests, counts.failed, counts.skipped + counts.todo,
            header.elapsed_seconds.value_or(0));
        out += "    <properties>\n";
        out += fmt::format("      <property name=\"stream\" value=\"{}\"/>\n", xml(node->source));
        if (!header.fingerprint.empty()) {
            out += fmt::format("      <property name=\"fingerprint\" value=\"{}\"/>\n", xml(header.fingerprint));
        }
        out += "    </properties>\n";
        for (auto const& point : node->stream.points) {
            out += fmt::format("    <testcase name=\"{}\" classname=\"{}\"", xml(point.description), xml(name));
            if (point.elapsed_ms) {
                out += fmt::format(" time=\"{:.3f}\"", *point.elapsed_ms / 1000.0);
            }
            if (point.failed()) {
                auto const text = failure_text(point);
                out += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                                   xml(first_line(text)), xml(text));
            } else if (point.directive != TapDirective::none) {
                auto const kind = point.directive == TapDirective::skip ? "SKIP" : "TODO";
                out += fmt::format(">\n      <skipped message=\"{}{}{}\"/>\n    </testcase>\n", kind,
                                   point.reason.empty() ? "" : ": ", xml(point.reason));
            } else {
                out += "/>\n";
            }
        }
        out += "  </testsuite>\n";
    }
    if (!merge.problems.empty()) {
        std::string text;
        for (auto const& problem : merge.problems) text += problem.message + "\n";
        out += "  <testsuite name=\"shardtap merge\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n";
        out += fmt::format(
            "    <testcase name=\"the nodes make one whole run\" classname=\"shardtap merge\">\n"
            "      <error message=\"{}\">{}</error>\n    </testcase>\n",
            xml(first_line(text)), xml(text));
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}  // namespace shardtap::tools
