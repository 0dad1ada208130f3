#include "core/text/json.hpp"

#include "core/tap/tap_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <system_error>

namespace shardtap {

JsonValue const* JsonValue::find(std::string_view key) const {
    for (auto const& member : object) {
        if (member.key == key) return &member.value;
    }
    return nullptr;
}

bool operator==(JsonValue const& a, JsonValue const& b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case JsonType::null: return true;
        case JsonType::boolean: return a.boolean == b.boolean;
        case JsonType::number: return a.number == b.number && a.integer == b.integer;
        case JsonType::string: return a.string == b.string;
        case JsonType::array: return a.array == b.array;
        case JsonType::object: return a.object == b.object;
    }
    return false;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// For a number std::from_chars finds out of range: whether it is too small for a double (and
// rounds to 0) rather than too large. The power of ten of its first significant digit tells.
bool too_small(std::string_view number) {
    auto const e = number.find_first_of("eE");
    auto const mantissa = number.substr(0, e);
    auto const first = static_cast<long long>(mantissa.find_first_of("123456789"));
    auto const dot = mantissa.find('.');
    auto const point = static_cast<long long>(dot == std::string_view::npos ? mantissa.size() : dot);
    long long exponent = 0;
    if (e != std::string_view::npos) {
        for (char const c : number.substr(e + 1)) {
            if (is_digit(c) && exponent < 1'000'000'000) exponent = exponent * 10 + (c - '0');
        }
        if (number[e + 1] == '-') exponent = -exponent;
    }
    return (first < point ? point - first - 1 : point - first) + exponent < 0;
}

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : m_text(text) {}

    JsonValue document() {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_at = 3;
        JsonValue result = value();
        skip_whitespace();
        if (m_at < m_text.size()) expected("the end of the text after the value");
        return result;
    }

private:
    std::string_view m_text;
    std::size_t m_at = 0;
    int m_depth = 0;

    [[noreturn]] void fail_at(std::size_t where, std::string const& problem) const {
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < where; ++i) {
            auto const c = static_cast<unsigned char>(m_text[i]);
            if (c == '\n') {
                ++line, column = 1;
            } else if ((c & 0xc0) != 0x80) {  // not a UTF-8 continuation byte: a new character
                ++column;
            }
        }
        throw JsonError("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                        problem);
    }

    [[noreturn]] void expected(std::string const& what) const {
        fail_at(m_at, "expected " + what + ", found " + found());
    }

    // The character at m_at, for a message.
    std::string found() const {
        if (m_at >= m_text.size()) return "the end of the text";
        char const c = m_text[m_at];
        if (c > ' ' && c < '\x7f') return std::string("'") + c + "'";
        auto const character = decode_utf8(m_text, m_at);
        std::string out;
        if (character.length == 0) {
            out = "byte 0x";
            append_hex(out, static_cast<unsigned char>(c), 2);
        } else {
            out = "U+";
            int digits = 4;
            while (character.value >> (4 * digits)) ++digits;
            append_hex(out, character.value, digits);
        }
        return out;
    }

    char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }

    bool take(char c) {
        if (m_at >= m_text.size() || m_text[m_at] != c) return false;
        ++m_at;
        return true;
    }

    void skip_whitespace() {
        while (m_at < m_text.size() && (m_text[m_at] == ' ' || m_text[m_at] == '\n' ||
                                      m_text[m_at] == '\t' || m_text[m_at] == '\r')) {
            ++m_at;
        }
    }

    JsonValue value() {
        skip_whitespace();
        JsonValue result;
        char const c = peek();
        if (c == '{' || c == '[') {
            if (m_depth == max_json_depth) {
                fail_at(m_at, "more than " + std::to_string(max_json_depth) +
                                 " arrays and objects nested in one another");
            }
            ++m_depth;
            if (c == '{') {
                object(result);
            } else {
                array(result);
            }
            --m_depth;
        } else if (c == '"') {
            result.type = JsonType::string;
            result.string = string();
        } else if (c == '-' || is_digit(c)) {
            number(result);
        } else {
            literal(result);
        }
        return result;
    }

    void literal(JsonValue& result) {
        auto const word = [&](std::string_view literal) {
            if (m_text.substr(m_at, literal.size()) != literal) return false;
            m_at += literal.size();
            return true;
        };
        if (word("null")) return;
        result.type = JsonType::boolean;
        if (word("true")) {
            result.boolean = true;
        } else if (!word("false")) {
            expected("a value");
        }
    }

    void object(JsonValue& result) {
        result.type = JsonType::object;
        ++m_at;  // '{'
        skip_whitespace();
        if (take('}')) return;
        std::set<std::string> keys;  // a version 1 durations file has one key per test case
        while (true) {
            skip_whitespace();
            if (peek() != '"') expected(keys.empty() ? "a string key or '}'" : "a string key after ','");
            auto const key_at = m_at;
            std::string key = string();
            if (!keys.insert(key).second) {
                std::string problem = "an object repeats the key ";
                append_json_string(problem, key);
                fail_at(key_at, problem);
            }
            skip_whitespace();
            if (!take(':')) expected("':' after an object key");
            result.object.push_back({std::move(key), value()});
            skip_whitespace();
            if (take('}')) return;
            if (!take(',')) expected("',' or '}' after an object member");
        }
    }

    void array(JsonValue& result) {
        result.type = JsonType::array;
        ++m_at;  // '['
        skip_whitespace();
        if (take(']')) return;
        while (true) {
            result.array.push_back(value());
            skip_whitespace();
            if (take(']')) return;
            if (!take(',')) expected("',' or ']' after an array element");
        }
    }

    std::string string() {
        auto const start = m_at++;  // '"'
        std::string out;
        while (true) {
            auto const run = m_at;
            while (m_at < m_text.size() && m_text[m_at] >= ' ' && m_text[m_at] < '\x7f' &&
                   m_text[m_at] != '"' && m_text[m_at] != '\\') {
                ++m_at;
            }
            out.append(m_text.data() + run, m_at - run);
            if (m_at == m_text.size()) fail_at(start, "a string that is not closed: no '\"' after it");
            char const c = m_text[m_at];
            if (c == '"') {
                ++m_at;
                return out;
            }
            if (c == '\\') {
                escape(out);
                continue;
            }
            if (static_cast<unsigned char>(c) < ' ') {
                fail_at(m_at, "a control character (" + found() + ") in a string: it must be escaped");
            }
            auto const character = decode_utf8(m_text, m_at);
            if (character.length == 0) fail_at(m_at, "invalid UTF-8 in a string: " + found());
            out.append(m_text.data() + m_at, character.length);
            m_at += character.length;
        }
    }

    void escape(std::string& out) {
        auto const start = m_at++;  // '\'
        char const c = peek();
        switch (c) {
            case '"': case '\\': case '/': out += c; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': return unicode_escape(out, start);
            default: expected("one of \" \\ / b f n r t u after '\\' in a string");
        }
        ++m_at;
    }

    // \uXXXX, or two for a character beyond U+FFFF (a UTF-16 surrogate pair); m_at is on the 'u'.
    void unicode_escape(std::string& out, std::size_t start) {
        auto code = hex4();
        auto const lone = [&] {
            std::string problem = "a lone UTF-16 surrogate \\u";
            append_hex(problem, code, 4);
            fail_at(start, problem + ": \\ud800 to \\udbff must be followed by \\udc00 to \\udfff");
        };
        if (code >= 0xdc00 && code <= 0xdfff) lone();
        if (code >= 0xd800 && code <= 0xdbff) {
            if (m_text.substr(m_at, 2) != "\\u") lone();
            ++m_at;
            auto const low = hex4();
            if (low < 0xdc00 || low > 0xdfff) lone();
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8(out, code);
    }

    // The four hex digits after the 'u' at m_at; m_at moves past them.
    std::uint32_t hex4() {
        auto const code = read_hex(m_text, ++m_at, 4);
        if (code < 0) {
            while (read_hex(m_text, m_at, 1) >= 0) ++m_at;  // to the first that is not one
            expected("4 hex digits after \\u");
        }
        m_at += 4;
        return static_cast<std::uint32_t>(code);
    }

    // Reads the digits at m_at; false when there is none.
    bool digits() {
        auto const start = m_at;
        while (is_digit(peek())) ++m_at;
        return m_at > start;
    }

    void number(JsonValue& result) {
        auto const start = m_at;
        take('-');
        if (take('0')) {
            if (is_digit(peek())) fail_at(start, "a number with a leading zero");
        } else if (!digits()) {
            expected("a digit after '-'");
        }
        result.integer = true;
        if (take('.')) {
            result.integer = false;
            if (!digits()) expected("a digit after the decimal point");
        }
        if (take('e') || take('E')) {
            result.integer = false;
            if (!take('+')) take('-');
            if (!digits()) expected("a digit in the exponent");
        }
        auto const text = m_text.substr(start, m_at - start);
        result.type = JsonType::number;
        auto const read = std::from_chars(text.data(), text.data() + text.size(), result.number);
        if (read.ec == std::errc::result_out_of_range) {
            if (!too_small(text)) fail_at(start, "a number too large for a double");
            result.number = text.front() == '-' ? -0.0 : 0.0;
        }
    }
};

// How many bytes at text[at], which do not start a well-formed UTF-8 sequence, one U+FFFD
// replaces: the longest start of a well-formed sequence there, or else 1 (the "maximal subpart"
// of Unicode's chapter 3, and what nlohmann_json replaces).
std::size_t ill_formed_length(std::string_view text, std::size_t at) {
    std::size_t length = 1;
    for (std::size_t start = 2; start <= 3 && at + start <= text.size(); ++start) {
        char completed[4] = {'\x80', '\x80', '\x80', '\x80'};  // the smallest continuation bytes
        text.copy(completed, start, at);
        if (decode_utf8({completed, 4}, 0).length <= start) break;
        length = start;
    }
    return length;
}

void append_json(std::string& out, JsonValue const& value) {
    switch (value.type) {
        case JsonType::null: out += "null"; return;
        case JsonType::boolean: out += value.boolean ? "true" : "false"; return;
        case JsonType::string: append_json_string(out, value.string); return;
        case JsonType::number: break;
        case JsonType::array:
            out += '[';
            for (auto const& element : value.array) {
                if (&element != &value.array.front()) out += ',';
                append_json(out, element);
            }
            out += ']';
            return;
        case JsonType::object:
            out += '{';
            for (auto const& member : value.object) {
                if (&member != &value.object.front()) out += ',';
                append_json_string(out, member.key);
                out += ':';
                append_json(out, member.value);
            }
            out += '}';
            return;
    }
    if (!value.integer) return append_json_number(out, value.number);
    char digits[320];  // the largest double has 309 digits
    auto const end = std::to_chars(digits, digits + sizeof digits, value.number,
                                   std::chars_format::fixed, 0).ptr;
    out.append(digits, end);
}

}  // namespace

JsonValue parse_json(std::string_view text) { return JsonParser(text).document(); }

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            auto const character = decode_utf8(text, i);
            if (character.length == 0) {
                out += "\xEF\xBF\xBD";
                i += ill_formed_length(text, i);
            } else {
                out.append(text.data() + i, character.length);
                i += character.length;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < ' ') {
                    out += "\\u";
                    append_hex(out, c, 4);
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    out += '"';
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[32];
    auto const end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
    std::string_view scientific(buffer, static_cast<std::size_t>(end - buffer));  // "-d.ddde+XX"
    if (scientific.front() == '-') {
        out += '-';
        scientific.remove_prefix(1);
    }
    auto const e = scientific.find('e');
    std::string digits(scientific.substr(0, e));
    if (digits.size() > 1) digits.erase(1, 1);  // the decimal point
    int magnitude = 0;
    std::from_chars(scientific.data() + e + 2, scientific.data() + scientific.size(), magnitude);
    // nlohmann_json's layout: n is where the decimal point goes, counted from the first digit.
    int const n = (scientific[e + 1] == '-' ? -magnitude : magnitude) + 1;
    int const k = static_cast<int>(digits.size());
    if (k <= n && n <= 15) {
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
        out += ".0";
    } else if (0 < n && n <= 15) {
        out.append(digits, 0, static_cast<std::size_t>(n));
        out += '.';
        out.append(digits, static_cast<std::size_t>(n));
    } else if (-4 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += scientific;  // d.ddde+XX: the exponent with at least two digits, as nlohmann's
    }
}

std::string write_json(JsonValue const& value) {
    std::string out;
    append_json(out, value);
    return out;
}

}  // namespace shardtap
