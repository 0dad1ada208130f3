#include "core/split/named_run.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <string>

using namespace shardtap;

namespace {
// As Catch2's CatchAddTests.cmake and shardtapAddTests.cmake escape a name for the command line.
std::string escaped(std::string const& name) {
    std::string result;
    for (char c : name) {
        if (c == '\\' || c == ',' || c == '[' || c == ']') result += '\\';
        result += c;
    }
    return result;
}
}  // namespace

TEST_CASE("a name escaped as catch_discover_tests escapes it names that test case") {
    auto const name = GENERATE(as<std::string>{}, "a", "two words", "test_slow[5-03]", "a, b",
                               R"(back\slash)", "trailing\\", "*star*", "~tilde",
                               "exclude:it", R"(name "with" quotes)", "UTF-8 é✓");
    CAPTURE(name, escaped(name));
    CHECK(unescaped_test_spec(escaped(name)) == name);
    CHECK(names_test_case(escaped(name), name));
}

TEST_CASE("Catch2 compares names trimmed, with ASCII letters folded, and nothing else") {
    CHECK(names_test_case("Case Differs", "case differs"));
    CHECK(names_test_case("outer spaces", "  outer spaces  "));
    CHECK(names_test_case("  outer spaces\t", "outer spaces"));
    CHECK_FALSE(names_test_case("inner  spaces", "inner spaces"));
    CHECK(names_test_case("CASE", "case"));
    CHECK_FALSE(names_test_case("É", "é"));  // Catch2 folds ASCII only
}

TEST_CASE("a filter names no test case whose name it is not") {
    auto const [argument, name] = GENERATE(table<std::string, std::string>({
        {"a*", "a star"}, {"*star", "a star"}, {"[tag]", "tag"}, {"a,b", "a"},
        {"~a", "b"}, {"a", "ab"}, {"ab", "a"}, {R"(a\,b)", "a\\,b"}, {"", "a"}}));
    CAPTURE(argument, name);
    CHECK_FALSE(names_test_case(argument, name));
}
