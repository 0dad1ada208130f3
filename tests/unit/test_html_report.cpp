#include "outputs/html_page.hpp"
#include "outputs/html_report.hpp"
#include "verify/merge.hpp"
#include "node_streams.hpp"
#include "plan/plan.hpp"
#include "plan/plan_report.hpp"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <regex>
#include <string>
#include <vector>

using Catch::Matchers::ContainsSubstring;
using namespace shardtap::tools;
using namespace test_streams;

namespace {

std::string page(std::vector<NodeStream> const& streams) {
    return html_report(streams, verify_merge(streams), std::nullopt);
}

std::size_t count(std::string const& text, std::string const& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

struct DrawnSegment {
    std::string classes;
    double width = 0;
    std::string title;
};

std::vector<DrawnSegment> segments(std::string const& html) {
    static std::regex const rect(R"re(<rect class="seg ([a-z ]+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="[\d.]+"><title>([^<]*)</title>)re");
    std::vector<DrawnSegment> out;
    for (std::sregex_iterator it(html.begin(), html.end(), rect), end; it != end; ++it) {
        out.push_back({(*it)[1], std::stod((*it)[2]), (*it)[3]});
    }
    return out;
}

// A node's stream as the reporter writes it, its points given as TAP lines.
NodeStream node_tap(std::size_t index, std::size_t total, std::string const& header_fields,
                    std::vector<std::string> const& points, double elapsed = 4) {
    std::string text = "TAP version 14\n1.." + std::to_string(points.size()) + "\n";
    text += "# shardtap node_index: " + std::to_string(index) + "\n# shardtap node_total: " +
            std::to_string(total) + "\n# shardtap fingerprint: f00d\n" + header_fields;
    for (auto const& point : points) text += point;
    text += "# shardtap elapsed: " + std::to_string(elapsed) + "\n";
    return read_node_stream("node-" + std::to_string(index) + ".tap", text);
}

// Timed as the reporter writes it: node-tap's "# time=" after the description, or, behind a
// directive, the diagnostics block's duration_ms.
std::string timed_point(std::size_t number, std::string const& name, double ms) {
    return "ok " + std::to_string(number) + " - " + name + " # time=" + std::to_string(ms) + "ms\n";
}

std::string timed_skip(std::size_t number, std::string const& name, double ms) {
    return "ok " + std::to_string(number) + " - " + name + " # SKIP later\n  ---\n  duration_ms: " +
           std::to_string(ms) + "\n  ...\n";
}

}  // namespace

TEST_CASE("html: a row per node and a segment per test case, in the order they ran") {
    auto const html = page(split(names(7), 3));
    CHECK(count(html, "<g class=\"node") == 3);
    auto const drawn = segments(html);
    REQUIRE(drawn.size() == 7);
    CHECK_THAT(drawn[0].title, ContainsSubstring("test 0"));
    CHECK_THAT(drawn[1].title, ContainsSubstring("test 3"));
    CHECK_THAT(drawn[2].title, ContainsSubstring("test 6"));
    CHECK_THAT(drawn[3].title, ContainsSubstring("test 1"));
    CHECK_THAT(html, ContainsSubstring("Verified: every test case passed"));
    // A round-robin split predicts nothing.
    CHECK(html.find("<th>predicted</th>") == std::string::npos);
    CHECK(html.find("<rect class=\"predicted\"") == std::string::npos);
}

TEST_CASE("html: failures and skips are marked, each failure listed with its diagnostics") {
    std::vector<NodeStream> streams{node_tap(0, 1, "", {
        "ok 1 - fine\n",
        "not ok 2 - broken\n  ---\n  failures:\n    - kind: \"expression\"\n      file: \"a.cpp\"\n"
        "      line: 7\n      macro: \"CHECK\"\n      expression: \"x == 1\"\n      expansion: \"2 == 1\"\n  ...\n",
        "ok 3 - later # SKIP no database\n",
    })};
    auto const html = page(streams);
    auto const drawn = segments(html);
    REQUIRE(drawn.size() == 3);
    CHECK(drawn[0].classes == "pass");
    CHECK(drawn[1].classes == "fail alt");
    CHECK(drawn[2].classes == "skip");
    CHECK_THAT(html, ContainsSubstring("Verified, and 1 test case failed"));
    CHECK_THAT(html, ContainsSubstring("<h2>Failures (1)</h2>"));
    CHECK_THAT(html, ContainsSubstring("a.cpp:7: CHECK(x == 1) with expansion 2 == 1"));
}

TEST_CASE("html: segment widths follow the recorded times; untimed ones share what is left") {
    std::vector<NodeStream> streams{node_tap(0, 1, "", {
        timed_point(1, "one second", 1000), timed_skip(2, "three seconds", 3000),
        "ok 3 - untimed\n", "ok 4 - untimed too\n"}, 6)};
    auto const html = page(streams);
    auto const drawn = segments(html);
    REQUIRE(drawn.size() == 4);
    // Each wide segment gives up one unit as the gap to its neighbour.
    CHECK((drawn[1].width + 1) / (drawn[0].width + 1) == Catch::Approx(3).epsilon(0.01));
    CHECK(drawn[2].width == Catch::Approx(drawn[3].width));
    CHECK((drawn[2].width + 1) / (drawn[0].width + 1) == Catch::Approx(1).epsilon(0.01));
    CHECK_THAT(drawn[2].title, ContainsSubstring("time not recorded"));
    CHECK_THAT(html, ContainsSubstring("<td>3.00 s</td><td class=\"name\">three seconds</td><td>0</td><td>skipped</td>"));
}

TEST_CASE("html: text from the streams is escaped exactly once") {
    auto const html = page({stream(Node{0, 1, {{"<b>a &amp; \"b\"</b>", false}}})});
    CHECK_THAT(html, ContainsSubstring("&lt;b&gt;a &amp;amp; &quot;b&quot;&lt;/b&gt;"));
    CHECK(html.find("<b>") == std::string::npos);
    CHECK(html.find("&amp;amp;amp;") == std::string::npos);
}

TEST_CASE("html: the slowest node is highlighted, predicted loads drawn beside the actual ones") {
    std::vector<NodeStream> streams{
        node_tap(0, 2, "# shardtap predicted_seconds: 2.000\n# shardtap heaviest_node_seconds: 3.000\n",
                 {"ok 1 - a\n"}, 2.5),
        node_tap(1, 2, "# shardtap predicted_seconds: 3.000\n# shardtap heaviest_node_seconds: 3.000\n",
                 {"ok 1 - b\n"}, 5.0)};
    auto const html = page(streams);
    CHECK(count(html, "<g class=\"node slowest\" data-node=\"1\">") == 1);
    CHECK(count(html, "class=\"node slowest\"") == 1);
    CHECK(count(html, "<rect class=\"predicted\"") == 2);
    CHECK_THAT(html, ContainsSubstring("<title>predicted heaviest node 3.00 s</title>"));
    CHECK_THAT(html, ContainsSubstring("<tr class=\"slowest\" data-node=\"1\">"));
    CHECK_THAT(html, ContainsSubstring("<td>5.00 s</td><td>3.00 s</td>"));  // actual, predicted
}

TEST_CASE("html: a run that does not add up says so and lists each problem") {
    auto streams = split(names(6), 3);
    streams.pop_back();
    auto const merge = verify_merge(streams);
    auto const html = html_report(streams, merge, 1.5);
    CHECK_THAT(html, ContainsSubstring("Not verified: 1 problem with the nodes' results"));
    REQUIRE(merge.problems.size() == 1);
    CHECK_THAT(html, ContainsSubstring("<li>" + merge.problems[0].message + "</li>"));
    CHECK_THAT(html, ContainsSubstring("wall time 1.50 s"));
}

TEST_CASE("html: the page fetches nothing and runs no script") {
    auto const html = page(split(names(5), 2));
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    for (char const* external : {"http:", "https:", "<script", "<link", "@import", "url("}) {
        CAPTURE(external);
        CHECK(html.find(external) == std::string::npos);
    }
}

TEST_CASE("html geometry: round ticks, placement on the axis, segment gaps, times as text") {
    CHECK(tick_step(10, 8) == 2);
    CHECK(tick_step(7, 8) == 1);
    CHECK(tick_step(0.155, 8) == Catch::Approx(0.02));
    CHECK(ticks(1, 4) == std::vector<double>{0, 0.5, 1});
    CHECK(tick_text(0, 0.02) == "0");
    CHECK(tick_text(0.06, 0.02) == "60 ms");
    CHECK(tick_text(4, 2) == "4 s");

    Scale const x{100, 800, 10};
    CHECK(x.at(0) == 100);
    CHECK(x.at(5) == 500);
    CHECK(x.at(20) == 900);  // never past the end
    Scale const y{250, -200, 32, 1};  // upwards, from 1 to 32
    CHECK(y.at(1) == 250);
    CHECK(y.at(32) == 50);

    CHECK(segment_span(10, 20).width == 9);   // a gap after it
    CHECK(segment_span(10, 12).width == 2);   // too narrow to spare one
    CHECK(segment_span(10, 9).width == 0);

    CHECK(seconds_text(0) == "0 s");
    CHECK(seconds_text(0.00004) == "0.04 ms");
    CHECK(seconds_text(0.0508) == "50.8 ms");
    CHECK(seconds_text(5.021) == "5.02 s");
    CHECK(seconds_text(125) == "125 s");
}

TEST_CASE("plan page: a point and a bar per node count, the choice marked on both") {
    shardtap::Durations durations;
    for (int i = 0; i < 20; ++i) durations.tests["test " + std::to_string(i)] = 5.0;
    auto const table = plan_formation(durations, 32, 0);
    auto const html = plan_html(table);
    CHECK(count(html, "<circle class=\"point") == 32);
    CHECK(count(html, "<rect class=\"bar") == 32);
    CHECK_THAT(html, ContainsSubstring("<circle class=\"point chosen\" data-nodes=\"20\""));
    CHECK_THAT(html, ContainsSubstring("<rect class=\"bar chosen\" data-nodes=\"20\""));
    CHECK_THAT(html, ContainsSubstring("Choose 20 nodes: 5.00 s wall time, 100.0 node-seconds billed"));
    CHECK(count(html, "<polyline class=\"line ") == 3);
    CHECK_THAT(html, ContainsSubstring("<tr class=\"chosen\" data-nodes=\"20\">"));
    for (char const* external : {"http:", "https:", "<script", "@import", "url("}) {
        CAPTURE(external);
        CHECK(html.find(external) == std::string::npos);
    }
}
