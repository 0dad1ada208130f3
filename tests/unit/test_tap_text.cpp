#include "core/tap/tap_text.hpp"

#include "tap_samples.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <cstdint>
#include <random>
#include <utility>

using namespace shardtap;

TEST_CASE("TAP's two escapes: backslash and hash") {
    CHECK(escape_text(R"(a\b#c)") == R"(a\\b\#c)");
    CHECK(escape_text("# SKIP not really") == R"(\# SKIP not really)");
    CHECK(escape_text("plain text, [tags] \"quotes\" *") == "plain text, [tags] \"quotes\" *");
}

TEST_CASE("nothing in the escaped text can break the line") {
    CHECK(escape_text("one\ntwo\r\tthree") == R"(one\ntwo\r\tthree)");
    CHECK(escape_text(std::string("nul\0bell\a", 9)) == R"(nul\x00bell\x07)");
    CHECK(escape_text("del\x7f") == R"(del\x7f)");
    // U+0085 NEXT LINE, U+2028 LINE SEPARATOR and a BOM: line breaks or worse for some readers.
    CHECK(escape_text("a\xc2\x85" "b\xe2\x80\xa8" "c\xef\xbb\xbf") ==
          R"(a\xc2\x85b\xe2\x80\xa8c\xef\xbb\xbf)");
}

TEST_CASE("UTF-8 passes through; bytes that are not UTF-8 are escaped") {
    CHECK(escape_text("caf\xc3\xa9 \xf0\x9f\x90\x9b") == "caf\xc3\xa9 \xf0\x9f\x90\x9b");
    CHECK(escape_text("\xff\xc3") == R"(\xff\xc3)");
    CHECK(escape_text("\xed\xa0\x80") == R"(\xed\xa0\x80)");  // a surrogate
    CHECK(escape_text("\xc0\xaf") == R"(\xc0\xaf)");          // an overlong '/'
}

// The scan for plain runs reads eight or sixteen bytes at a time: a byte that must be escaped
// is found at every position of texts of every length around those sizes, in TAP text (where
// `#` is special) and in YAML (where `"` is).
TEST_CASE("a byte that must be escaped is escaped wherever it stands") {
    auto const yaml_quoted = [](std::string const& text) {
        std::string out;
        append_yaml_quoted(out, text);
        return out;
    };
    for (char const c : {'\0', '\x1f', '\x7f', '\x80', '\xff', '\\', '#', '"', '\n'}) {
        std::string const text_alone = escape_text(std::string(1, c));
        std::string const yaml_alone = yaml_quoted(std::string(1, c));
        bool const text_escapes = c != '"', yaml_escapes = c != '#';
        REQUIRE((text_alone.size() > 1) == text_escapes);
        REQUIRE((yaml_alone.size() > 3) == yaml_escapes);
        std::string const yaml_inner = yaml_alone.substr(1, yaml_alone.size() - 2);
        for (std::size_t size = 1; size <= 48; ++size) {
            for (std::size_t at = 0; at < size; ++at) {
                std::string text(size, 'a');
                text[at] = c;
                CAPTURE(static_cast<int>(c), size, at);
                std::string const before = text.substr(0, at), after = text.substr(at + 1);
                CHECK(escape_text(text) == before + text_alone + after);
                CHECK(yaml_quoted(text) == '"' + before + yaml_inner + after + '"');
            }
        }
    }
}

TEST_CASE("unescaping gives back exactly the original bytes") {
    auto const text = GENERATE(as<std::string>{}, "", "plain", R"(\)", R"(\\#)", "#", "\n\\n",
                               R"(\x41 is not A)", std::string("\0\xff\x01", 3), "end\\");
    CHECK(unescape_text(escape_text(text)) == text);
}

TEST_CASE("a lone backslash in foreign TAP is literal") {
    CHECK(unescape_text(R"(C:\path)") == R"(C:\path)");
    CHECK(unescape_text(R"(\xZZ)") == R"(\xZZ)");
    CHECK(unescape_text("trailing\\") == "trailing\\");
}

TEST_CASE("escaping round-trips arbitrary bytes") {
    std::mt19937 rng(11);
    for (int i = 0; i < 2000; ++i) {
        auto const text = testing::random_bytes(rng, 40);
        auto const escaped = escape_text(text);
        CHECK(escaped.find_first_of("\n\r") == std::string::npos);
        CHECK(unescape_text(escaped) == text);
    }
}

TEST_CASE("YAML strings are double-quoted with escapes") {
    std::string out;
    append_yaml_quoted(out, "a: b \"c\" \\ d\n\te");
    CHECK(out == R"("a: b \"c\" \\ d\n\te")");
    out.clear();
    append_yaml_quoted(out, "");
    CHECK(out == R"("")");
    out.clear();
    append_yaml_quoted(out, "\x01\xc2\x85\xe2\x80\xa9\xff");
    CHECK(out == R"("\x01\u0085\u2029\xff")");
}

TEST_CASE("YAML quoting round-trips arbitrary bytes") {
    std::mt19937 rng(5);
    for (int i = 0; i < 2000; ++i) {
        auto const text = testing::random_bytes(rng, 40);
        std::string quoted;
        append_yaml_quoted(quoted, text);
        CHECK(quoted.find_first_of("\n\r") == std::string::npos);
        std::string back;
        CHECK(read_yaml_quoted(quoted + " rest", back) == quoted.size());
        CHECK(back == text);
    }
}

TEST_CASE("reading a double-quoted scalar accepts YAML's escapes and rejects malformed ones") {
    std::string value;
    CHECK(read_yaml_quoted(R"("\/\_\N\L\u00e9\U0001F41B")", value) > 0);
    CHECK(value == "/\xc2\xa0\xc2\x85\xe2\x80\xa8\xc3\xa9\xf0\x9f\x90\x9b");
    CHECK(read_yaml_quoted(R"("unterminated)", value) == 0);
    CHECK(read_yaml_quoted(R"("bad \q escape")", value) == 0);
    CHECK(read_yaml_quoted(R"('single')", value) == 0);
    CHECK(read_yaml_quoted(R"("\ud800")", value) == 0);
}

TEST_CASE("decoding UTF-8: well-formed sequences only") {
    auto const decoded = [](std::string const& text) {
        auto const c = decode_utf8(text, 0);
        return std::pair<std::uint32_t, std::size_t>(c.value, c.length);
    };
    using Decoded = std::pair<std::uint32_t, std::size_t>;
    CHECK(decoded("a") == Decoded{'a', 1});
    CHECK(decoded(std::string(1, '\0')) == Decoded{0, 1});
    CHECK(decoded("\xc3\xa9") == Decoded{0xe9, 2});
    CHECK(decoded("\xe2\x9c\x93") == Decoded{0x2713, 3});
    CHECK(decoded("\xf0\x9f\x90\x9b") == Decoded{0x1f41b, 4});
    CHECK(decoded("\xf4\x8f\xbf\xbf") == Decoded{0x10ffff, 4});
    CHECK(decoded("\xef\xbf\xbf") == Decoded{0xffff, 3});  // well-formed, though no XML character
    for (std::string bad : {"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xf0\x80\x80\x80",
                            "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                            "\xf7\xbf\xbf\xbf", "\xf8\x88\x80\x80\x80", "\xff", "\xc3", "\xe2\x9c", "\xc3\x41"}) {
        CAPTURE(escape_text(bad));
        CHECK(decode_utf8(bad, 0).length == 0);
    }
    CHECK(decode_utf8("ab", 2).length == 0);  // past the end
    CHECK(decode_utf8("a\xc3\xa9", 1).length == 2);
}
