#include "node_streams.hpp"
#include "outputs/rerun_file.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/catch_test_spec.hpp>
#include <catch2/interfaces/catch_interfaces_tag_alias_registry.hpp>
#include <catch2/internal/catch_test_spec_parser.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <memory>
#include <set>
#include <sstream>

using Catch::Matchers::ContainsSubstring;
using shardtap::TapDirective;
using shardtap::tools::rerun_file;
using namespace test_streams;

namespace {

// Names whose every character means something to Catch2's test spec syntax.
std::vector<std::string> const hostile = {
    "plain",
    "a, comma",
    "[brackets] and [tag]",
    "back\\slash \\, \\\" \\\\",
    "ends with a backslash\\",
    "\"quoted\" and 'single'",
    "*leading star",
    "leading star",
    "x*leading star",
    "trailing star*",
    "trailing star* and more",
    "*",
    "**both**",
    "a **both** in the middle",
    "exclude:me",
    "me",
    "~tilde first",
    "tilde first",
    "#hash first",
    "  outer spaces  ",
    "UTF-8 caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\x9b",
    "alias [@fast] inside",
    "not UTF-8 \xff\xfe",
};

// The names Catch2 would run for `file` given to -f: each line read as Catch2 3.4's
// --input-file reads it, parsed by Catch2's own test spec parser, matched against `names`.
std::set<std::string> selected(std::string const& file, std::vector<std::string> const& names) {
    std::vector<std::unique_ptr<Catch::TestCaseInfo>> cases;
    for (auto const& name : names) {
        cases.push_back(std::make_unique<Catch::TestCaseInfo>(
            "", Catch::NameAndTags{name, ""}, Catch::SourceLineInfo{"file.cpp", 1}));
    }
    std::set<std::string> result;
    std::istringstream lines(file);
    for (std::string line; std::getline(lines, line);) {
        REQUIRE(line.front() == '"');  // neither a comment nor wrapped in quotes by Catch2
        Catch::TestSpecParser parser(Catch::ITagAliasRegistry::get());
        auto const spec = parser.parse(line).testSpec();
        REQUIRE(spec.hasFilters());
        for (auto const& test : cases) {
            if (spec.matches(*test)) result.insert(test->name);
        }
    }
    return result;
}

std::vector<shardtap::tools::NodeStream> failing(std::vector<std::string> const& names,
                                                 std::set<std::string> const& failed) {
    Node node;
    for (auto const& name : names) node.points.push_back({name, failed.count(name) == 0});
    return {stream(node)};
}

}  // namespace

TEST_CASE("each failed test case's line selects exactly it, whatever its name") {
    for (auto const& name : hostile) {
        auto const file = rerun_file(failing(hostile, {name}));
        INFO(file.text);
        CHECK(file.warnings.empty());
        auto const ran = selected(file.text, hostile);
        CHECK(ran.size() == 1);
        CHECK(ran.count(name) == 1);
    }
}

TEST_CASE("many failed at once: the lines together select exactly those") {
    std::set<std::string> failed;
    for (std::size_t i = 0; i < hostile.size(); i += 2) failed.insert(hostile[i]);
    auto const file = rerun_file(failing(hostile, failed));
    CHECK(selected(file.text, hostile) == failed);
}

TEST_CASE("nothing failed: an empty file; TODO and SKIP are not failures") {
    Node node;
    node.points = {{"passes"}, {"todo", false, TapDirective::todo}, {"skips", true, TapDirective::skip}};
    auto const file = rerun_file({stream(node)});
    CHECK(file.text.empty());
    CHECK(file.warnings.empty());
}

TEST_CASE("what Catch2 cannot tell apart is selected together, with a warning naming both") {
    Node node;
    node.points = {{"Mixed Case", false}, {"mixed case"}, {"same name", false, TapDirective::none, "A"},
                   {"same name", true, TapDirective::none, "B"}, {"line\nbreak", false}};
    auto const file = rerun_file({stream(node)});
    REQUIRE(file.warnings.size() == 3);
    CHECK_THAT(file.warnings[0], ContainsSubstring("'Mixed Case' also selects 'mixed case'"));
    CHECK_THAT(file.warnings[0], ContainsSubstring("ignoring case"));
    CHECK_THAT(file.warnings[1], ContainsSubstring("'line\\nbreak' failed but is not in the file"));
    CHECK_THAT(file.warnings[2], ContainsSubstring("'same name' (class A) also selects 'same name' (class B)"));
    CHECK(file.text == "\"Mixed Case\"\n\"same name\"\n");
}

TEST_CASE("a node that stopped early: the test cases it never ran are named as missing") {
    Node node;
    node.points = {{"ran"}, {"crashed", false}};
    auto text = tap_text(node);
    text.replace(text.find("1..2"), 4, "1..5");
    text += "Bail out! SIGSEGV during test case: crashed\n";
    auto const file = rerun_file({shardtap::tools::read_node_stream("node-0.tap", text)});
    CHECK(file.text == "\"crashed\"\n");
    REQUIRE(file.warnings.size() == 1);
    CHECK_THAT(file.warnings[0], ContainsSubstring("stopped after 2 of its 5 test cases; the 3 it never ran"));
}
