// core/text/json against nlohmann_json, the reader the durations file was read with before:
// the same documents accepted with the same values, the same text written.
#include "core/durations/durations.hpp"
#include "core/text/json.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using Nlohmann = nlohmann::json;

namespace {

bool same(JsonValue const& ours, Nlohmann const& theirs) {
    switch (ours.type) {
        case JsonType::null: return theirs.is_null();
        case JsonType::boolean: return theirs.is_boolean() && theirs.get<bool>() == ours.boolean;
        case JsonType::string: return theirs.is_string() && theirs.get<std::string>() == ours.string;
        case JsonType::number:
            // nlohmann reads "-0" as the integer 0, and integers beyond 64 bits as doubles.
            return theirs.is_number() && theirs.get<double>() == ours.number &&
                   (theirs.is_number_integer() ? ours.integer
                                               : std::signbit(theirs.get<double>()) == std::signbit(ours.number) &&
                                                     (!ours.integer || std::abs(ours.number) >= 0x1p63));
        case JsonType::array:
            if (!theirs.is_array() || theirs.size() != ours.array.size()) return false;
            for (std::size_t i = 0; i < ours.array.size(); ++i) {
                if (!same(ours.array[i], theirs[i])) return false;
            }
            return true;
        case JsonType::object:
            if (!theirs.is_object() || theirs.size() != ours.object.size()) return false;
            for (auto const& [key, value] : ours.object) {
                if (!theirs.contains(key) || !same(value, theirs.at(key))) return false;
            }
            return true;
    }
    return false;
}

std::optional<std::string> our_error(std::string_view text) {
    try {
        parse_json(text);
        return std::nullopt;
    } catch (JsonError const& error) {
        return error.what();
    }
}

// parse_json and nlohmann agree on `text`: both reject it, or both read the same value. The one
// deliberate difference: we reject an object that repeats a key, where nlohmann keeps the last.
void check_agreement(std::string const& text) {
    CAPTURE(text);
    std::optional<Nlohmann> theirs;
    try {
        theirs = Nlohmann::parse(text);
    } catch (Nlohmann::exception const&) {
    }
    auto const error = our_error(text);
    if (error && error->find("repeats the key") != std::string::npos) {
        CHECK(theirs.has_value());
        return;
    }
    CAPTURE(error, theirs.has_value());
    REQUIRE(error.has_value() == !theirs.has_value());
    if (theirs) CHECK(same(parse_json(text), *theirs));
}

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string nlohmann_string(std::string const& text) {
    return Nlohmann(text).dump(-1, ' ', false, Nlohmann::error_handler_t::replace);
}

std::string our_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

std::string our_number(double value) {
    std::string out;
    append_json_number(out, value);
    return out;
}

// Bytes that make strings interesting to escape and to check as UTF-8.
std::string random_bytes(std::mt19937& rng) {
    static unsigned char const pick[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, '"', '\\',
                                         '/', 'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                         0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
    std::string out(rng() % 12, '\0');
    for (auto& c : out) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : pick[rng() % sizeof pick]);
    return out;
}

// A random document that nlohmann can write.
Nlohmann random_value(std::mt19937& rng, int depth = 0) {
    switch (depth > 3 ? rng() % 4 : rng() % 6) {
        case 0: return nullptr;
        case 1: return rng() % 2 == 0;
        case 2: {
            if (rng() % 2) return static_cast<int>(rng() % 2001) - 1000;
            auto const mantissa = static_cast<double>(rng());
            return std::ldexp(mantissa, static_cast<int>(rng() % 80) - 60);
        }
        case 3: {
            auto const length = 1 + rng() % 3;
            return std::string(length, static_cast<char>('a' + rng() % 3));
        }
        case 4: {
            auto array = Nlohmann::array();
            for (auto n = rng() % 4; n > 0; --n) array.push_back(random_value(rng, depth + 1));
            return array;
        }
        default: {
            auto object = Nlohmann::object();
            for (auto n = rng() % 4; n > 0; --n) {
                object[std::string(1, static_cast<char>('a' + rng() % 4))] = random_value(rng, depth + 1);
            }
            return object;
        }
    }
}

}  // namespace

TEST_CASE("parse_json accepts and rejects what nlohmann does, with the same values") {
    auto const text = GENERATE(as<std::string>(),
        // literals and numbers
        "null", "true", "false", " \t\n\r0 \n", "-0", "-0.0", "0.5", "1E2", "1e+2", "1e-2", "-1.5e-3",
        "12345678901234567890", "123456789012345678901234567890", "9007199254740993", "1e308",
        "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324", "2e-324", "1e-400",
        "-1e-400", "0e99999", "0.000000000000000000000000000000001e-300", "1e400", "-1e400",
        "100000000000000000000000000000000000000000000000000e300", "nul", "True", "NaN", "Infinity",
        "-Infinity", "+1", "01", "-01", "00", "1.", ".5", "1e", "1e+", "-", "--1", "0x10", "1.e5",
        // strings
        R"("")", R"("a\"b\\c\/d\b\f\n\r\t")", R"("\u0041\u00e9\u20AC")", R"("\ud83d\ude00")",
        R"("\uD834\uDD1E")", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", R"("\u0000")", "\"\x7f\"",
        "\"abc", "\"a\nb\"", "\"\t\"", std::string("\"\0\"", 3), R"("\x41")", R"("\u12")",
        R"("\u12G4")", R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800\n")",
        R"("\udbff\udfff")", R"("\ud800\udbff")", "\"\xff\"", "\"\xc3\"", "\"\xc0\xaf\"",
        "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\xe0\x80\x80\"", R"("\")",
        // arrays and objects
        "[]", "{}", "[1,[2,[3]]]", R"({"a":{"b":[]},"c":null})", " [ 1 , 2 ] ", R"({"":0})",
        "[1,]", "[,1]", "[1 2]", "[1", "]", R"({"a":1,})", "{,}", R"({"a" 1})", "{a:1}", "{'a':1}",
        R"({"a":1)", R"({"a"})", R"({1:2})", "[1]x", "1 2", "[] []", nested(512),
        // around the value
        "", " ", "\xEF\xBB\xBF{}", "\xEF\xBB\xBF", "\xEF\xBB", "\xEF\xBB\xBF\xEF\xBB\xBF{}", "\xff",
        "// c\n1", "/* */1", "1 // c", std::string("\0", 1), "\x0c" "1");
    check_agreement(text);
}

TEST_CASE("property: parse_json agrees with nlohmann on mutations of valid documents") {
    std::mt19937 rng(7);
    static char const bytes[] = "{}[],:\"\\u0123456789abcdefEe+-. \ttrunlsxD\xc3\xa9\xff";
    for (int round = 0; round < 3000; ++round) {
        auto text = random_value(rng).dump();
        for (auto n = rng() % 3; n > 0; --n) {
            auto const at = rng() % (text.size() + 1);
            auto const byte = bytes[rng() % (sizeof bytes - 1)];
            switch (rng() % 3) {
                case 0: text.insert(at, 1, byte); break;
                case 1: if (at < text.size()) text.erase(at, 1); break;
                default: if (at < text.size()) text[at] = byte;
            }
        }
        check_agreement(text);
    }
}

TEST_CASE("deliberate differences from nlohmann: repeated keys, deep nesting, a NUL byte are errors") {
    // nlohmann keeps the last of the repeated keys; a durations file with two "seconds" for one
    // entry, or one name twice in version 1, is a mistake to report, not to resolve silently.
    auto const repeated = R"({"a": 1, "b": 2, "a": 3})";
    CHECK(Nlohmann::parse(repeated)["a"] == 3);
    CHECK(our_error(repeated) == "line 1, column 18: an object repeats the key \"a\"");
    CHECK(our_error(R"({"\u0061": 1, "a": 2})") == "line 1, column 15: an object repeats the key \"a\"");

    // nlohmann parses any depth without recursion; ours recurses, so it stops at a bound.
    CHECK_NOTHROW(parse_json(nested(max_json_depth)));
    for (int depth : {max_json_depth + 1, 100'000, 1'000'000}) {
        CHECK(Nlohmann::accept(nested(depth)));
        CHECK(our_error(nested(depth)) ==
              "line 1, column 513: more than 512 arrays and objects nested in one another");
    }
    // nlohmann takes a NUL byte for the end of the text and ignores what follows.
    std::string const nul("[1]\0garbage", 11);
    CHECK(Nlohmann::accept(nul));
    CHECK(our_error(nul) == "line 1, column 4: expected the end of the text after the value, found U+0000");

    std::string objects;
    for (int depth = 0; depth < 1000; ++depth) objects += "{\"a\": ";
    CHECK_THAT(our_error(objects).value_or(""), ContainsSubstring("more than 512 arrays and objects"));
}

TEST_CASE("numbers keep whether they were written as integers") {
    CHECK(parse_json("2").integer);
    CHECK(parse_json("-0").integer);
    CHECK_FALSE(parse_json("2.0").integer);
    CHECK_FALSE(parse_json("2e0").integer);
    CHECK(std::signbit(parse_json("-0.0").number));
    CHECK(std::signbit(parse_json("-1e-400").number));
    CHECK(write_json(parse_json("[2, 2.0, 2e0, -0, 1e16, 12345678901234567890]")) ==
          "[2,2.0,2.0,-0,1e+16,12345678901234567168]");
}

TEST_CASE("append_json_string writes what nlohmann's dump writes, U+FFFD for bytes not UTF-8") {
    for (int c = 0; c < 0x80; ++c) {
        std::string const text(1, static_cast<char>(c));
        CHECK(our_string(text) == nlohmann_string(text));
    }
    auto const text = GENERATE(as<std::string>(), "", "plain", "a\"b\\c", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",
                               "\xff", "\xc3", "\xc3(", "\xe2\x82", "\xe2\x82(", "\xf0\x9f\x98",
                               "\xed\xa0\x80", "\xc0\xaf", "\xe0\x80\x80", "\xe0\xa0", "\xf4\x8f\xbf",
                               "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "a\x80" "b", "\xe2\x82\xac\x80");
    CAPTURE(text);
    CHECK(our_string(text) == nlohmann_string(text));
}

TEST_CASE("property: append_json_string writes what nlohmann writes for any bytes") {
    std::mt19937 rng(11);
    for (int round = 0; round < 20'000; ++round) {
        auto const text = random_bytes(rng);
        CAPTURE(text);
        REQUIRE(our_string(text) == nlohmann_string(text));
    }
}

TEST_CASE("append_json_number writes the shortest text that reads back, as nlohmann writes it") {
    auto const value = GENERATE(0.0, -0.0, 1.0, -2.0, 0.5, 0.1, 1.0 / 3, 1.25, 1e-4, 1.5e-4, 1e-5,
                                123456.789, 1e6, 1e7, 1e14, 99999999999999.9, 1e15, 1e16, 1e17,
                                1.5e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                0x1p53, 0x1p53 + 2);
    CAPTURE(value);
    CHECK(our_number(value) == Nlohmann(value).dump());
    CHECK(parse_json(our_number(value)).number == value);
    CHECK(our_number(HUGE_VAL) == "null");
    CHECK(our_number(std::nan("")) == "null");
}

// nlohmann's Grisu2 misses the shortest text for a few doubles (0.15% of whole microseconds,
// like 38.585013, which it writes 38.585012999999996); ours is shorter there, in the same form.
TEST_CASE("property: append_json_number writes what nlohmann writes, or shorter, for any double") {
    auto const form = [](std::string text) {
        text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }), text.end());
        return text;
    };
    std::mt19937_64 rng(13);
    for (int round = 0; round < 100'000; ++round) {
        auto const bits = rng();
        double value;
        std::memcpy(&value, &bits, sizeof value);
        if (round % 2 == 0) value = static_cast<double>(bits % 100'000'000) / 1e6;  // seconds
        if (!std::isfinite(value)) continue;
        auto const ours = our_number(value);
        auto const theirs = Nlohmann(value).dump();
        CAPTURE(value, ours, theirs);
        REQUIRE(parse_json(ours).number == value);
        REQUIRE(Nlohmann::parse(ours).get<double>() == value);
        if (ours == theirs) continue;
        REQUIRE(ours.size() <= theirs.size());
        REQUIRE(form(ours) == form(theirs));
    }
}

TEST_CASE("nlohmann reads a durations file back to the same names and seconds") {
    std::mt19937 rng(17);
    std::string all_controls;
    for (char c = 1; c < ' '; ++c) all_controls += c;
    Durations durations = {{{"quote \" and backslash \\", "Fixture \"x\"", "[\\][\"]"}, 0.1},
                           {{all_controls + '\x7f', "", ""}, 1.0 / 3},
                           {{"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "", "[\xC3\xA9]"}, 1e6},
                           {{"bad \xff \xc3( \xe2\x82 \xed\xa0\x80", "\xc0\xaf", "\xf0\x9f\x98"}, 0.0}};
    durations.names = {{"only \"name\" \xff", 1e-7}, {std::string("nul \0 byte", 10), 123456.789}};
    for (int n = 0; n < 200; ++n) {
        auto const seconds = static_cast<double>(rng() % 1'000'000'000) / 1e3;
        durations.tests.emplace(TestIdentity{random_bytes(rng), random_bytes(rng), random_bytes(rng)}, seconds);
    }
    // What nlohmann wrote for a string, read back: bytes not UTF-8 became U+FFFD.
    auto const written = [](std::string const& text) { return Nlohmann::parse(nlohmann_string(text)); };

    auto const file = Nlohmann::parse(format_durations(durations));
    CHECK(file["format"] == durations_format);
    CHECK(file["version"] == durations_version);
    auto const& entries = file["durations"];
    REQUIRE(entries.size() == durations.tests.size() + durations.names.size());
    auto entry = entries.begin();
    for (auto const& [test, seconds] : durations.tests) {
        CHECK(entry->size() == 4);
        CHECK(entry->at("name") == written(test.name));
        CHECK(entry->at("class") == written(test.class_name));
        CHECK(entry->at("tags") == written(test.tags));
        CHECK(entry->at("seconds").get<double>() == seconds);
        ++entry;
    }
    for (auto const& [name, seconds] : durations.names) {
        CHECK(entry->size() == 2);
        CHECK(entry->at("name") == written(name));
        CHECK(entry->at("seconds").get<double>() == seconds);
        ++entry;
    }
}

TEST_CASE("an error names the line, the column and what was wrong") {
    struct Case {
        std::string text;
        std::string message;
    };
    auto const [text, message] = GENERATE(values<Case>({
        {"", "line 1, column 1: expected a value, found the end of the text"},
        {"{\n  \"a\": 1,\n  \"b\" 2\n}", "line 3, column 7: expected ':' after an object key, found '2'"},
        {"{\"\xC3\xA9\": 1 x}", "line 1, column 9: expected ',' or '}' after an object member, found 'x'"},
        {"{\"a\": 1,}", "line 1, column 9: expected a string key after ',', found '}'"},
        {"{1: 2}", "line 1, column 2: expected a string key or '}', found '1'"},
        {"[1,]", "line 1, column 4: expected a value, found ']'"},
        {"[1 2]", "line 1, column 4: expected ',' or ']' after an array element, found '2'"},
        {"[1]\n\n  x", "line 3, column 3: expected the end of the text after the value, found 'x'"},
        {"[tru]", "line 1, column 2: expected a value, found 't'"},
        {"01", "line 1, column 1: a number with a leading zero"},
        {"-x", "line 1, column 2: expected a digit after '-', found 'x'"},
        {"1.e5", "line 1, column 3: expected a digit after the decimal point, found 'e'"},
        {"[1e+]", "line 1, column 5: expected a digit in the exponent, found ']'"},
        {"[0, 1e400]", "line 1, column 5: a number too large for a double"},
        {"[\"abc", "line 1, column 2: a string that is not closed: no '\"' after it"},
        {"\"a\tb\"", "line 1, column 3: a control character (U+0009) in a string: it must be escaped"},
        {"\"a\\x\"", "line 1, column 4: expected one of \" \\ / b f n r t u after '\\' in a string, found 'x'"},
        {"\"\\u12G4\"", "line 1, column 6: expected 4 hex digits after \\u, found 'G'"},
        {"\"\\ud800\"", "line 1, column 2: a lone UTF-16 surrogate \\ud800: \\ud800 to \\udbff must be followed by \\udc00 to \\udfff"},
        {"\"x\\udc00\"", "line 1, column 3: a lone UTF-16 surrogate \\udc00: \\ud800 to \\udbff must be followed by \\udc00 to \\udfff"},
        {"\"\xC3\xA9\xff\"", "line 1, column 3: invalid UTF-8 in a string: byte 0xff"},
        {"\xE2\x82\xAC", "line 1, column 1: expected a value, found U+20ac"},
        {"[1\xF0\x9F\x98\x80]", "line 1, column 3: expected ',' or ']' after an array element, found U+1f600"},
    }));
    CAPTURE(text);
    CHECK(our_error(text) == message);
}

TEST_CASE("a malformed durations file says where its JSON goes wrong") {
    auto const text = "{\"format\": \"shardtap-durations\", \"version\": 1,\n \"durations\": {\"a\": 1, \"a\": 2}}";
    CHECK_THROWS_WITH(parse_durations(text, "d.json"),
                      "shardtap: durations file \"d.json\": malformed JSON: line 2, column 24: an "
                      "object repeats the key \"a\"");
    CHECK_THROWS_WITH(parse_durations("{\"format\": 1,}", "d.json"),
                      StartsWith("shardtap: durations file \"d.json\": malformed JSON: line 1, column 14: ") &&
                          ContainsSubstring("found '}'"));
}
