#include "verify/merge.hpp"
#include "outputs/merged_outputs.hpp"
#include "node_streams.hpp"

#include "core/tap/tap_reader.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using Catch::Matchers::ContainsSubstring;
using namespace shardtap::tools;
using namespace test_streams;

TEST_CASE("the merged TAP stream holds every node's points, in node order") {
    auto streams = split(names(7), 3);
    std::swap(streams[0], streams[2]);
    auto merged = shardtap::read_tap(merged_tap(streams, verify_merge(streams)));
    REQUIRE(merged.plan);
    CHECK(merged.plan->count == 7);
    REQUIRE(merged.points.size() == 7);
    CHECK(merged.points[0].description == "test 0");
    CHECK(merged.points[1].description == "test 3");
    CHECK(merged.points[3].description == "test 1");
    CHECK_FALSE(merged.bail_out);
}

TEST_CASE("the merged TAP stream keeps each test case's class and tags") {
    std::vector<NodeStream> streams{stream(Node{0, 2, {{"same", true, shardtap::TapDirective::none, "First", "[a]"}}}),
                                    stream(Node{1, 2, {{"same", false, shardtap::TapDirective::none, "Second"}}})};
    auto merged = shardtap::read_tap(merged_tap(streams, verify_merge(streams)));
    REQUIRE(merged.points.size() == 2);
    CHECK(merged.points[0].identity() == shardtap::TestIdentityView{"same", "First", "[a]"});
    CHECK(merged.points[1].identity() == shardtap::TestIdentityView{"same", "Second", ""});
    CHECK_FALSE(merged.bail_out);
}

TEST_CASE("the merged TAP stream keeps every point's time and identity, as the nodes wrote them") {
    using shardtap::TapDirective;
    std::vector<NodeStream> streams{
        stream(Node{0, 2, {{"a", true, TapDirective::none, "", "", 12.5},
                           {"same", false, TapDirective::none, "First", "[a]", 3000.25}}}),
        stream(Node{1, 2, {{"skipped", true, TapDirective::skip, "", "", 0.5},
                           {"same", true, TapDirective::none, "Second", "", 1.0},
                           {"untimed"}}})};
    auto merged = shardtap::read_tap(merged_tap(streams, verify_merge(streams)));
    std::vector<shardtap::TapPoint> nodes_points;
    for (auto const& node : streams) {
        nodes_points.insert(nodes_points.end(), node.stream.points.begin(), node.stream.points.end());
    }
    REQUIRE(merged.points.size() == nodes_points.size());
    for (std::size_t i = 0; i < merged.points.size(); ++i) {
        CAPTURE(i);
        CHECK(merged.points[i].identity() == nodes_points[i].identity());
        CHECK(merged.points[i].elapsed_ms == nodes_points[i].elapsed_ms);
        CHECK(merged.points[i].ok == nodes_points[i].ok);
        CHECK(merged.points[i].directive == nodes_points[i].directive);
    }
    CHECK(merged.points[0].elapsed_ms == 12.5);
    CHECK(merged.points[2].elapsed_ms == 0.5);  // a SKIP keeps it in its diagnostics block
    CHECK_FALSE(merged.points[4].elapsed_ms);
}

TEST_CASE("a merged stream of a run with problems bails out") {
    auto streams = split(names(7), 3);
    streams.pop_back();
    auto merged = shardtap::read_tap(merged_tap(streams, verify_merge(streams)));
    REQUIRE(merged.bail_out);
    CHECK_THAT(merged.bail_out->reason, ContainsSubstring("1 verification problem"));
}

TEST_CASE("JUnit XML: a suite per node, failures and skips, text escaped") {
    Node node{0, 1, {{"a <b> & \"c\""}, {"fails", false}, {"skipped", true, shardtap::TapDirective::skip}}};
    std::vector<NodeStream> streams{stream(node)};
    auto xml = junit_xml(streams, verify_merge(streams));
    CHECK_THAT(xml, ContainsSubstring("<testsuites name=\"shardtap\" tests=\"3\" failures=\"1\""));
    CHECK_THAT(xml, ContainsSubstring("<testsuite name=\"node 0\" tests=\"3\" failures=\"1\""));
    CHECK_THAT(xml, ContainsSubstring("name=\"a &lt;b&gt; &amp; &quot;c&quot;\""));
    CHECK_THAT(xml, ContainsSubstring("<failure message="));
    CHECK_THAT(xml, ContainsSubstring("<skipped message=\"SKIP\"/>"));
}

TEST_CASE("JUnit XML: what XML 1.0 cannot hold is written as \\xHH, valid UTF-8 is kept") {
    auto const junit_name = [](std::string const& name) {
        std::vector<NodeStream> streams{stream(Node{0, 1, {{name}}})};
        auto const xml = junit_xml(streams, verify_merge(streams));
        auto const start = xml.find("<testcase name=\"") + 16;
        return xml.substr(start, xml.find('"', start) - start);
    };
    CHECK(junit_name("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\x9b \xc2\x85") == "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\x9b \xc2\x85");
    CHECK(junit_name("overlong \xc0\xaf and \xe0\x80\xaf") == "overlong \\xc0\\xaf and \\xe0\\x80\\xaf");
    CHECK(junit_name("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
    CHECK(junit_name("beyond U+10FFFF \xf5\x80\x80\x80 \xf4\x90\x80\x80") ==
          "beyond U+10FFFF \\xf5\\x80\\x80\\x80 \\xf4\\x90\\x80\\x80");
    CHECK(junit_name("noncharacters \xef\xbf\xbe\xef\xbf\xbf") == "noncharacters \\xef\\xbf\\xbe\\xef\\xbf\\xbf");
    CHECK(junit_name(std::string("controls \x01\x1b\x7f and NUL ") + '\0') ==
          "controls \\x01\\x1b\\x7f and NUL \\x00");
    CHECK(junit_name("tab\tline\ncarriage\rreturn") == "tab&#9;line&#10;carriage&#13;return");
    CHECK(junit_name("cut \xe2\x9c") == "cut \\xe2\\x9c");
}
