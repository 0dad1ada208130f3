#include "core/tap/tap_text.hpp"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace shardtap {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// `digits` lowercase hex digits of `value` at `at`, the highest first; returns the end.
char* write_hex(char* at, std::uint32_t value, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) *at++ = hex_digits[(value >> shift) & 0xf];
    return at;
}

char* write_hex_byte(char* at, unsigned char byte) {
    *at++ = '\\';
    *at++ = 'x';
    return write_hex(at, byte, 2);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

long read_hex(std::string_view text, std::size_t at, int digits) {
    if (at + static_cast<std::size_t>(digits) > text.size()) return -1;
    long value = 0;
    for (int i = 0; i < digits; ++i) {
        int const digit = hex_value(text[at + static_cast<std::size_t>(i)]);
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

void append_hex(std::string& out, std::uint32_t value, int digits) {
    std::size_t const size = out.size();
    out.resize(size + static_cast<std::size_t>(digits));
    write_hex(&out[size], value, digits);
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

CodePoint decode_utf8(std::string_view text, std::size_t at) {
    if (at >= text.size()) return {};
    auto const byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    unsigned char const lead = byte(0);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = 0;
    std::uint32_t value = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2, value = lead & 0x1f, minimum = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3, value = lead & 0x0f, minimum = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        return {};
    }
    if (at + length > text.size()) return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return {};
        value = (value << 6) | (byte(i) & 0x3f);
    }
    if (value < minimum || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return {};
    return {value, length};
}

namespace {

// Characters some consumer would take for a line break, a control or a byte order mark.
bool needs_escape(std::uint32_t cp) {
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
           cp == 0xfffe || cp == 0xffff;
}

// How a character that is neither printable ASCII nor valid here is written.
enum class WideEscape {
    bytes,    // \xHH per byte of its UTF-8 form: TAP text, exactly reversible
    unicode,  // \uHHHH: a YAML double-quoted scalar
};

// Whether a byte goes through unescaped: printable ASCII (0x20 to 0x7e), neither `\` nor
// `special`.
inline bool plain(unsigned char c, char special) {
    return c >= 0x20 && c < 0x7f && c != '\\' && c != static_cast<unsigned char>(special);
}

// plain() for each of the eight bytes of `word` at once (`special` repeated in every byte).
// Exact: each test asks whether any byte is below a bound or zero, which these bit tricks
// answer without error.
inline bool all_plain(std::uint64_t word, std::uint64_t special) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    auto const any_below = [](std::uint64_t x, std::uint64_t bound) {
        return ((x - ones * bound) & ~x & highs) != 0;  // bound <= 0x80
    };
    return (word & highs) == 0 && !any_below(word, 0x20) && !any_below(word ^ (ones * 0x7f), 1) &&
           !any_below(word ^ (ones * '\\'), 1) && !any_below(word ^ special, 1);
}

#if defined(__SSE2__)
// Bit i set: byte i of `v` is not plain(). The compare is signed, so it
// takes the bytes from 0x80 up for below 0x20 as well.
inline unsigned not_plain16(__m128i v, char special) {
    __m128i const control_or_wide = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    __m128i const del_or_backslash =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    __m128i const bad = _mm_or_si128(_mm_or_si128(control_or_wide, del_or_backslash),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8(special)));
    return static_cast<unsigned>(_mm_movemask_epi8(bad));
}

inline __m128i load16(char const* bytes) { return _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes)); }

// plain_end for sixteen or more bytes from `at`: blocks of sixteen, then the text's last
// sixteen, which hold the rest.
std::size_t plain_end16(std::string_view text, std::size_t at, char special) {
    for (; at + 16 <= text.size(); at += 16) {
        if (unsigned const bad = not_plain16(load16(text.data() + at), special)) {
            return at + static_cast<std::size_t>(__builtin_ctz(bad));
        }
    }
    if (at == text.size()) return at;
    std::size_t const last = text.size() - 16;
    unsigned const bad = not_plain16(load16(text.data() + last), special) >> (at - last);
    return bad ? at + static_cast<std::size_t>(__builtin_ctz(bad)) : text.size();
}
#endif

// The end of the run of plain bytes from `at`: whole words of eight; where fewer than eight are
// left, the text's last eight as one word (they hold those); then byte by byte. With SSE2,
// sixteen at a time the same way.
std::size_t plain_end(std::string_view text, std::size_t at, char special) {
#if defined(__SSE2__)
    if (text.size() - at >= 16) return plain_end16(text, at, special);
#endif
    std::uint64_t const specials = 0x0101010101010101ULL * static_cast<unsigned char>(special);
    std::uint64_t word;
    for (; at + 8 <= text.size(); at += 8) {
        std::memcpy(&word, text.data() + at, sizeof word);
        if (!all_plain(word, specials)) break;
    }
    if (at == text.size()) return at;
    if (text.size() >= 8 && at + 8 > text.size()) {
        std::memcpy(&word, text.data() + text.size() - 8, sizeof word);
        if (all_plain(word, specials)) return text.size();
    }
    while (at < text.size() && plain(static_cast<unsigned char>(text[at]), special)) ++at;
    return at;
}

// Where `text` is all plain (almost every name) and at least eight bytes long: writes it at `at`
// in whole blocks, the last one overlapping the one before, and returns the end; else nullptr,
// with some of it written (the caller writes it again). No call, no byte loop. Stores whole
// blocks: `at` has room for escaped_size_bound(text.size()) bytes.
inline char* write_if_all_plain(char* at, std::string_view text, char special) {
    std::size_t const size = text.size();
#if defined(__SSE2__)
    if (size >= 16) {
        auto const copy_block = [&](std::size_t from) {
            __m128i const block = load16(text.data() + from);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(at + from), block);
            return not_plain16(block, special) == 0;
        };
        for (std::size_t from = 0; from + 16 < size; from += 16) {
            if (!copy_block(from)) return nullptr;
        }
        return copy_block(size - 16) ? at + size : nullptr;
    }
#endif
    if (size < 8 || size > 16) return nullptr;  // 8 to 16 bytes: two words, which may overlap
    std::uint64_t const specials = 0x0101010101010101ULL * static_cast<unsigned char>(special);
    std::uint64_t first, last;
    std::memcpy(&first, text.data(), 8);
    std::memcpy(&last, text.data() + size - 8, 8);
    if (!all_plain(first, specials) || !all_plain(last, specials)) return nullptr;
    std::memcpy(at, &first, 8);
    std::memcpy(at + size - 8, &last, 8);
    return at + size;
}

// Writes `text` at `at` with `\`, `special` (the one other character that must be escaped), \n,
// \r, \t, other controls and bytes that are not UTF-8 escaped; plain ASCII goes through in runs.
// At most escaped_size_bound(text.size()) bytes; returns the end.
char* write_escaped_in_runs(char* at, std::string_view text, char special, WideEscape wide) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t const run = plain_end(text, i, special);
        std::memcpy(at, text.data() + i, run - i);
        at += run - i;
        i = run;
        if (i == text.size()) break;
        auto const c = static_cast<unsigned char>(text[i]);
        if (c == '\\' || c == static_cast<unsigned char>(special)) {
            *at++ = '\\';
            *at++ = static_cast<char>(c);
            ++i;
            continue;
        }
        char const named = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '\0';
        if (named) {
            *at++ = '\\';
            *at++ = named;
            ++i;
            continue;
        }
        auto const cp = c < 0x80 ? CodePoint{} : decode_utf8(text, i);
        if (cp.length == 0) {  // an ASCII control, or a byte that is not UTF-8
            at = write_hex_byte(at, c);
            ++i;
        } else if (!needs_escape(cp.value)) {
            std::memcpy(at, text.data() + i, cp.length);
            at += cp.length;
            i += cp.length;
        } else if (wide == WideEscape::bytes) {
            for (std::size_t k = 0; k < cp.length; ++k) {
                at = write_hex_byte(at, static_cast<unsigned char>(text[i + k]));
            }
            i += cp.length;
        } else {
            *at++ = '\\';
            *at++ = 'u';
            at = write_hex(at, cp.value, 4);
            i += cp.length;
        }
    }
    return at;
}

// write_escaped_in_runs, with the common case inline where it is called: no call, no saved
// registers, for a text with nothing to escape.
inline char* write_escaped(char* at, std::string_view text, char special, WideEscape wide) {
    if (char* const end = write_if_all_plain(at, text, special)) return end;
    return write_escaped_in_runs(at, text, special, wide);
}

// The same, appended to `out`.
void append_escaped(std::string& out, std::string_view text, char special, WideEscape wide) {
    std::size_t const size = out.size();
    out.resize(size + escaped_size_bound(text.size()));
    out.resize(static_cast<std::size_t>(write_escaped(&out[size], text, special, wide) - out.data()));
}

}  // namespace

void append_escaped_text(std::string& out, std::string_view text) {
    append_escaped(out, text, '#', WideEscape::bytes);
}

char* write_escaped_text(char* into, std::string_view text) {
    return write_escaped(into, text, '#', WideEscape::bytes);
}

std::string escape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped_text(out, text);
    return out;
}

std::string unescape_text(std::string_view escaped) {
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        char const c = escaped[i];
        if (c != '\\' || i + 1 == escaped.size()) {
            out += c;
            continue;
        }
        char const next = escaped[i + 1];
        switch (next) {
            case '\\': out += '\\'; ++i; continue;
            case '#': out += '#'; ++i; continue;
            case 'n': out += '\n'; ++i; continue;
            case 'r': out += '\r'; ++i; continue;
            case 't': out += '\t'; ++i; continue;
            case 'x': {
                long const value = read_hex(escaped, i + 2, 2);
                if (value >= 0) {
                    out += static_cast<char>(value);
                    i += 3;
                    continue;
                }
                break;
            }
            default: break;
        }
        out += c;  // a lone backslash is literal
    }
    return out;
}

void append_yaml_quoted(std::string& out, std::string_view text) {
    out += '"';
    append_escaped(out, text, '"', WideEscape::unicode);
    out += '"';
}

std::size_t read_yaml_quoted(std::string_view quoted, std::string& value) {
    value.clear();
    if (quoted.empty() || quoted[0] != '"') return 0;
    for (std::size_t i = 1; i < quoted.size(); ++i) {
        char const c = quoted[i];
        if (c == '"') return i + 1;
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return 0;
        if (c != '\\') {
            value += c;
            continue;
        }
        if (++i == quoted.size()) return 0;
        switch (quoted[i]) {
            case '\\': value += '\\'; break;
            case '"': value += '"'; break;
            case '/': value += '/'; break;
            case ' ': value += ' '; break;
            case '\t': value += '\t'; break;
            case '0': value += '\0'; break;
            case 'a': value += '\a'; break;
            case 'b': value += '\b'; break;
            case 't': value += '\t'; break;
            case 'n': value += '\n'; break;
            case 'v': value += '\v'; break;
            case 'f': value += '\f'; break;
            case 'r': value += '\r'; break;
            case 'e': value += '\x1b'; break;
            case 'N': append_utf8(value, 0x85); break;
            case '_': append_utf8(value, 0xa0); break;
            case 'L': append_utf8(value, 0x2028); break;
            case 'P': append_utf8(value, 0x2029); break;
            case 'x': {
                // \xHH is written for single bytes (ASCII controls, bytes that are not UTF-8).
                long const byte = read_hex(quoted, i + 1, 2);
                if (byte < 0) return 0;
                value += static_cast<char>(byte);
                i += 2;
                break;
            }
            case 'u':
            case 'U': {
                int const digits = quoted[i] == 'u' ? 4 : 8;
                long const cp = read_hex(quoted, i + 1, digits);
                if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
                append_utf8(value, static_cast<std::uint32_t>(cp));
                i += static_cast<std::size_t>(digits);
                break;
            }
            default: return 0;
        }
    }
    return 0;  // no closing quote
}

}  // namespace shardtap
