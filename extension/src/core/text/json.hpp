#pragma once
// JSON text (RFC 8259), read strictly and written the way nlohmann_json's dump() writes it, for
// the durations file. Small on purpose: a test binary compiles it, so no heavy header.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap {

enum class JsonType { null, boolean, number, string, array, object };

struct JsonMember;

struct JsonValue {
    JsonType type = JsonType::null;
    bool boolean = false;
    double number = 0;
    bool integer = false;  // a number written without fraction or exponent
    std::string string;
    std::vector<JsonValue> array;
    std::vector<JsonMember> object;  // in the order written; no two with the same key

    // The value of the object member `key`; none when this is not an object or has no such member.
    JsonValue const* find(std::string_view key) const;

    friend bool operator==(JsonValue const& a, JsonValue const& b);
    friend bool operator!=(JsonValue const& a, JsonValue const& b) { return !(a == b); }
};

struct JsonMember {
    std::string key;
    JsonValue value;

    friend bool operator==(JsonMember const& a, JsonMember const& b) {
        return a.key == b.key && a.value == b.value;
    }
};

// Text that is not one well-formed JSON value. what() is one line: "line L, column C: problem",
// C counting characters from 1.
class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Nesting deeper than this is an error, so that hostile input cannot exhaust the stack.
inline constexpr int max_json_depth = 512;

// Reads exactly one JSON value, with whitespace only around it (and a leading UTF-8 byte order
// mark, which RFC 8259 lets a reader ignore). Strict: no comments, no trailing commas, no
// leading zeros, no NaN; strings valid UTF-8 without raw control characters or lone surrogate
// escapes. Numbers beyond double's range are errors; those too small for it are read as 0.
// Unlike nlohmann_json, an object that repeats a key is an error. Throws JsonError.
JsonValue parse_json(std::string_view text);

// `text` as a JSON string: `"` and `\` escaped, control characters as \n, \t, \r, \b, \f or
// \u00XX, everything else as it is, except bytes that are not UTF-8: each ill-formed sequence
// becomes one U+FFFD (as nlohmann_json's error_handler_t::replace does).
void append_json_string(std::string& out, std::string_view text);

// The shortest text that reads back as `value`, as nlohmann_json writes a double: whole numbers
// with ".0" ("2.0"), exponents from 1e+15 and below 1e-4 ("1e-05"). JSON has no infinity or
// NaN: those are written null, as nlohmann_json does.
void append_json_number(std::string& out, double value);

// `value` on one line without spaces, as nlohmann_json's dump() writes it (numbers written as
// integers stay integers).
std::string write_json(JsonValue const& value);

}  // namespace shardtap
