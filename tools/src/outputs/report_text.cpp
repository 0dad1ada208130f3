#include "outputs/report_text.hpp"

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

}  // namespace

std::string markup_text(std::string_view text) {
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

}  // namespace shardtap::tools
