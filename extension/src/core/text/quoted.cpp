#include "core/text/quoted.hpp"

#include "core/tap/tap_text.hpp"

#include <fmt/format.h>

namespace shardtap {

std::string in_quotes(std::string_view value) {
    std::string out = "\"";
    for (std::size_t i = 0; i < value.size();) {
        auto const c = static_cast<unsigned char>(value[i]);
        auto const character = decode_utf8(value, i);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += value[i++];
        } else if (c == '\n' || c == '\r' || c == '\t') {
            out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
            ++i;
        } else if (c < 0x20 || c == 0x7f || character.length == 0) {
            out += fmt::format("\\x{:02x}", c);
            ++i;
        } else {
            out.append(value, i, character.length);
            i += character.length;
        }
    }
    return out + '"';
}

}  // namespace shardtap
