#pragma once
// How text is written inside a TAP line: escaping for descriptions, reasons and header values,
// double-quoted YAML strings for diagnostics. Both directions live here so the encoder and the
// reader cannot drift apart.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shardtap {

// A description, directive reason or header value, escaped so that it stays on one line and
// cannot be mistaken for a directive: `\` -> `\\`, `#` -> `\#` (TAP 14's two escapes), and
// `\n`, `\r`, `\t`, `\xHH` for control characters, Unicode line separators, a BOM and bytes
// that are not UTF-8 (TAP has no escape for them; other parsers show them literally, and
// the result is always valid UTF-8).
void append_escaped_text(std::string& out, std::string_view text);
// The most bytes escaping writes for a text of `bytes` bytes: \xHH for each.
constexpr std::size_t escaped_size_bound(std::size_t bytes) { return 4 * bytes; }
// The same written at `into` (room for escaped_size_bound(text.size()) bytes); returns the end.
char* write_escaped_text(char* into, std::string_view text);
std::string escape_text(std::string_view text);

// The inverse of escape_text, exact for every byte string. A backslash before anything else
// is literal, as TAP 14 says.
std::string unescape_text(std::string_view escaped);

// One character of UTF-8 text: its code point and how many bytes it takes.
struct CodePoint {
    std::uint32_t value = 0;
    std::size_t length = 0;  // 0: not a well-formed UTF-8 sequence
};

// The character at text[at]: a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or length 0 for a byte that does not start one. The
// escaping here and the shardtap command's XML share it.
CodePoint decode_utf8(std::string_view text, std::size_t at);

// Appends `value` as `digits` lowercase hex digits, the highest first.
void append_hex(std::string& out, std::uint32_t value, int digits);

// Reads `digits` hex digits (either case) at text[at]; -1 when they are not all there.
long read_hex(std::string_view text, std::size_t at, int digits);

// Appends the UTF-8 form of `cp` (a code point up to U+10FFFF).
void append_utf8(std::string& out, std::uint32_t cp);

// A double-quoted YAML 1.2 scalar: `"`, `\`, control and non-printable characters escaped
// (`\n`, `\t`, `\xHH`, `\uHHHH`). A byte that is not UTF-8 is written `\xHH`: valid YAML
// (a YAML parser reads U+00HH), and read_yaml_quoted gives the original byte back.
void append_yaml_quoted(std::string& out, std::string_view text);

// Reads one double-quoted YAML scalar at the start of `quoted`; returns the number of
// characters consumed, or 0 when it is not a well-formed double-quoted scalar.
std::size_t read_yaml_quoted(std::string_view quoted, std::string& value);

}  // namespace shardtap
