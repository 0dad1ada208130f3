#include "verify/merge.hpp"
#include "node_streams.hpp"

#include "core/tap/tap_text.hpp"
#include "core/tap/tap_timeout.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <random>

using Catch::Matchers::ContainsSubstring;
using shardtap::TapDirective;
using shardtap::tools::NodeExit;
using shardtap::tools::Problem;
using shardtap::tools::verify_merge;
using namespace test_streams;

namespace {
std::vector<Problem::Kind> kinds(shardtap::tools::MergeResult const& merge) {
    std::vector<Problem::Kind> result;
    for (auto const& problem : merge.problems) result.push_back(problem.kind);
    return result;
}
// A split of `names` over `total` nodes with node `node.index`'s stream replaced, verified.
shardtap::tools::MergeResult verify_replaced(std::size_t names_count, std::size_t total, Node const& node) {
    auto streams = split(names(names_count), total);
    streams[node.index] = stream(node);
    return verify_merge(streams);
}
std::string messages(shardtap::tools::MergeResult const& merge) {
    std::string text;
    for (auto const& problem : merge.problems) text += problem.message + "\n";
    return text;
}
}  // namespace

TEST_CASE("a complete split verifies and adds up") {
    auto streams = split(names(20), 12);
    auto merge = verify_merge(streams);
    CHECK(merge.problems.empty());
    CHECK(merge.tests == 20);
    CHECK(merge.passed == 20);
    REQUIRE(merge.nodes.size() == 12);
    CHECK(merge.nodes[0].tests == 2);
    CHECK(merge.nodes[11].tests == 1);
    CHECK(merge.sum_of_seconds == 12.0);
    CHECK(merge.longest_seconds == 1.0);
}

TEST_CASE("the order of the files does not matter") {
    auto streams = split(names(50), 7);
    std::shuffle(streams.begin(), streams.end(), std::mt19937(42));
    auto merge = verify_merge(streams);
    CHECK(merge.problems.empty());
    for (std::size_t i = 0; i < merge.nodes.size(); ++i) CHECK(merge.nodes[i].index == i);
}

TEST_CASE("passed, failed, skipped and todo are counted per node") {
    Node node{0, 1, {{"a"}, {"b", false}, {"c", true, TapDirective::skip},
                     {"d", false, TapDirective::todo}, {"e", false, TapDirective::skip}}};
    auto merge = verify_merge({stream(node)});
    CHECK(merge.problems.empty());
    CHECK(merge.nodes[0].passed == 1);
    CHECK(merge.nodes[0].failed == 1);
    CHECK(merge.nodes[0].skipped == 2);
    CHECK(merge.nodes[0].todo == 1);
    CHECK(merge.failed == 1);
}

TEST_CASE("a node with nothing to run is part of a whole run") {
    auto streams = split(names(2), 3);
    auto merge = verify_merge(streams);
    CHECK(merge.problems.empty());
    CHECK(merge.nodes[2].tests == 0);
}

TEST_CASE("a test case on two nodes is found") {
    auto merge = verify_replaced(6, 3, Node{2, 3, {{"test 2"}, {"test 5"}, {"test 0"}}});
    CHECK(kinds(merge) == std::vector{Problem::Kind::ran_twice});
    CHECK_THAT(messages(merge), ContainsSubstring("\"test 0\" on node 0 (node-0.tap) and node 2 (node-2.tap)"));
}

TEST_CASE("test cases are their identity: one name on two classes, or with two tag sets, is two test cases") {
    auto streams = split(names(4), 2);
    auto with_method = [](std::size_t index, std::vector<Point> methods) {
        Node node{index, 2, {{"test " + std::to_string(index)}, {"test " + std::to_string(index + 2)}}};
        node.points.insert(node.points.end(), methods.begin(), methods.end());
        node.suite_size = 6;
        return stream(node);
    };
    SECTION("different classes on two nodes") {
        streams[0] = with_method(0, {{"same name", true, TapDirective::none, "FirstFixture"}});
        streams[1] = with_method(1, {{"same name", true, TapDirective::none, "SecondFixture"}});
        auto merge = verify_merge(streams);
        CHECK(merge.problems.empty());
        CHECK(merge.tests == 6);
    }
    SECTION("the same class on two nodes ran twice") {
        streams[0] = with_method(0, {{"same name", true, TapDirective::none, "FirstFixture"}});
        streams[1] = with_method(1, {{"same name", true, TapDirective::none, "FirstFixture"}});
        auto merge = verify_merge(streams);
        CHECK(kinds(merge) == std::vector{Problem::Kind::ran_twice});
        CHECK_THAT(messages(merge), ContainsSubstring("1 test case ran on more than one node: \"same name\" "
                                                      "(class \"FirstFixture\") on node 0 (node-0.tap) and "
                                                      "node 1 (node-1.tap)"));
    }
    SECTION("different tags on two nodes") {
        streams[0] = with_method(0, {{"same name", true, TapDirective::none, "", "[a]"}});
        streams[1] = with_method(1, {{"same name", true, TapDirective::none, "", "[b]"}});
        auto merge = verify_merge(streams);
        CHECK(merge.problems.empty());
        CHECK(merge.tests == 6);
    }
    SECTION("the same class and tags on two nodes ran twice; the message names all three") {
        streams[0] = with_method(0, {{"same name", true, TapDirective::none, "F", "[a]"}});
        streams[1] = with_method(1, {{"same name", true, TapDirective::none, "F", "[a]"},
                                     {"same name", true, TapDirective::none, "F", "[b]"}});
        auto merge = verify_merge(streams);
        CHECK(kinds(merge) == std::vector{Problem::Kind::ran_twice});
        CHECK_THAT(messages(merge), ContainsSubstring("1 test case ran on more than one node: \"same name\" "
                                                      "(class \"F\", tags \"[a]\") on node 0"));
    }
    SECTION("a plain test case and a method of the same name are two test cases") {
        streams[0] = with_method(0, {{"same name"}});
        streams[1] = with_method(1, {{"same name", true, TapDirective::none, "FirstFixture"}});
        CHECK(verify_merge(streams).problems.empty());
    }
}

TEST_CASE("a missing node is named") {
    auto streams = split(names(20), 12);
    streams.erase(streams.begin() + 5);
    streams.erase(streams.begin() + 7);  // node 8
    auto merge = verify_merge(streams);
    CHECK(kinds(merge) == std::vector{Problem::Kind::node_missing});
    CHECK_THAT(messages(merge), ContainsSubstring("2 of the 12 nodes have no stream: node 5, 8"));
}

TEST_CASE("the same node given twice is found") {
    auto streams = split(names(6), 3);
    streams.push_back(streams[1]);
    auto merge = verify_merge(streams);
    CHECK(merge.has(Problem::Kind::node_twice));
    CHECK(merge.has(Problem::Kind::ran_twice));
    CHECK_THAT(messages(merge), ContainsSubstring("node 1 appears 2 times"));
}

TEST_CASE("nodes that disagree on the split or the node count are found") {
    SECTION("fingerprint") {
        auto merge = verify_replaced(6, 3, Node{1, 3, {{"test 1"}, {"test 4"}}, "beef"});
        CHECK(kinds(merge) == std::vector{Problem::Kind::fingerprint_differs});
        CHECK_THAT(messages(merge), ContainsSubstring("beef in node-1.tap"));
        CHECK_THAT(messages(merge), ContainsSubstring("f00d in node-0.tap, node-2.tap"));
    }
    SECTION("node count") {
        auto merge = verify_replaced(6, 3, Node{1, 4, {{"test 1"}, {"test 4"}}});
        CHECK(merge.has(Problem::Kind::node_count_differs));
        CHECK_THAT(messages(merge), ContainsSubstring("3 nodes in node-0.tap, node-2.tap; 4 nodes in node-1.tap"));
    }
    SECTION("an index beyond the count") {
        auto streams = split(names(6), 3);
        streams[1] = stream(Node{3, 3, {{"test 1"}, {"test 4"}}});
        auto merge = verify_merge(streams);
        CHECK(merge.has(Problem::Kind::node_count_differs));
        CHECK(merge.has(Problem::Kind::node_missing));
        CHECK_THAT(messages(merge), ContainsSubstring("says it is node 3 of 3"));
    }
}

TEST_CASE("a node that bailed out fails the merge") {
    auto streams = split(names(6), 3);
    Node node{1, 3, {{"test 1"}, {"test 4"}}};
    auto text = tap_text(node);
    text = text.substr(0, text.find("ok 2")) + "not ok 2 - test 4\nBail out! Signal 11 (SIGSEGV)\n";
    streams[1] = shardtap::tools::read_node_stream("node-1.tap", text);
    auto merge = verify_merge(streams);
    CHECK(kinds(merge) == std::vector{Problem::Kind::bailed_out});
    CHECK_THAT(messages(merge), ContainsSubstring("node 1 (node-1.tap) bailed out after 2 test points: Signal 11"));
}

TEST_CASE("a stream that ends before its plan was cut short") {
    auto streams = split(names(6), 3);
    auto text = tap_text(Node{1, 3, {{"test 1"}, {"test 4"}}});
    auto const cut_short = [&](std::string const& truncated) {
        streams[1] = shardtap::tools::read_node_stream("node-1.tap", truncated);
        auto merge = verify_merge(streams);
        return merge.has(Problem::Kind::cut_short) && !merge.has(Problem::Kind::malformed);
    };
    CHECK(cut_short(text.substr(0, text.find("ok 2"))));      // after a whole line
    CHECK(cut_short(text.substr(0, text.find("ok 2") + 6)));  // inside a line
    CHECK(cut_short(""));                                      // before anything
}

TEST_CASE("a stream that is not TAP is malformed, not cut short") {
    auto streams = split(names(6), 3);
    streams[1] = shardtap::tools::read_node_stream("node-1.tap", "All tests passed (2 assertions in 2 test cases)\n");
    auto merge = verify_merge(streams);
    CHECK(merge.has(Problem::Kind::malformed));
    CHECK_FALSE(merge.has(Problem::Kind::cut_short));
    CHECK_THAT(messages(merge), ContainsSubstring("node-1.tap is not a TAP stream: line 1:"));
}

TEST_CASE("one stream without a node header is a whole run; several cannot be told apart") {
    Node plain{0, 1, {{"a"}, {"b"}}};
    plain.header = false;
    CHECK(verify_merge({stream(plain)}).problems.empty());
    auto merge = verify_merge({stream(plain), stream(Node{0, 1, {{"c"}}})});
    CHECK(merge.has(Problem::Kind::no_header));
}

TEST_CASE("nodes that ran fewer test cases than the split holds are found") {
    Node short_node{1, 3, {{"test 1"}}};
    short_node.suite_size = 6;
    auto merge = verify_replaced(6, 3, short_node);
    CHECK(kinds(merge) == std::vector{Problem::Kind::count_differs});
    CHECK_THAT(messages(merge), ContainsSubstring("the split holds 6 test cases, but the nodes ran 5"));
}

TEST_CASE("how a node's process ended is checked against its stream") {
    auto streams = split(names(4), 2);
    SECTION("killed by a signal") {
        streams[1].exit = NodeExit{137, 9};
        CHECK_THAT(messages(verify_merge(streams)), ContainsSubstring("node 1 (node-1.tap) was killed by signal 9"));
    }
    SECTION("a failure status without a failing test") {
        streams[0].exit = NodeExit{1, 0};
        CHECK(verify_merge(streams).has(Problem::Kind::node_failed));
    }
    SECTION("passing, or everything skipped") {
        streams[0].exit = NodeExit{0, 0};
        streams[1].exit = NodeExit{4, 0};
        CHECK(verify_merge(streams).problems.empty());
    }
    SECTION("a failure status with a failing test") {
        streams[0] = stream(Node{0, 2, {{"test 0", false}, {"test 2"}}});
        streams[0].exit = NodeExit{42, 0};
        auto merge = verify_merge(streams);
        CHECK(merge.problems.empty());
        CHECK(merge.failed == 1);
    }
}

TEST_CASE("a node whose test case timed out: the merge names the test case") {
    auto streams = split(names(6), 3);
    Node node{1, 3, {{"test 1"}, {"test 4"}}};
    auto text = tap_text(node);
    // As a node writes it: the timed-out test case not ok, then the Bail out! naming it.
    text = text.substr(0, text.find("ok 2")) + "not ok 2 - a name # with a hash\n" +
           "Bail out! " + shardtap::escape_text(shardtap::tap_timeout_reason({"a name # with a hash", 1.5})) + "\n";
    streams[1] = shardtap::tools::read_node_stream("node-1.tap", text);
    streams[1].exit = NodeExit{124, 0};
    auto merge = verify_merge(streams);
    CHECK(kinds(merge) == std::vector{Problem::Kind::timed_out});
    CHECK(messages(merge) ==
          "node 1 (node-1.tap): test case \"a name # with a hash\" timed out after 1.5 s "
          "(SHARDTAP_TEST_TIMEOUT), after 2 test points\n");
}

TEST_CASE("a Bail out! that only looks like a timeout is a plain bail-out") {
    for (auto const* reason : {"test case x timed out after s", "test case x timed out after 0 s",
                               "test case x timed out after 1e3 s", "test case x timed out after 2 seconds",
                               "a test case x timed out after 1 s"}) {
        CAPTURE(reason);
        CHECK_FALSE(shardtap::read_tap_timeout_reason(reason));
    }
    auto const odd = shardtap::read_tap_timeout_reason("test case a timed out after 1 s timed out after 2 s");
    REQUIRE(odd);
    CHECK(odd->test_case == "a timed out after 1 s");
    CHECK(odd->seconds == 2.0);
    CHECK(shardtap::tap_timeout_reason({"t", 2.0}) == "test case t timed out after 2 s");
    CHECK(shardtap::tap_timeout_reason({"t", 0.25}) == "test case t timed out after 0.25 s");
}

TEST_CASE("nodes that shardtap run stopped are cut short, once each") {
    auto streams = split(names(6), 3);
    SECTION("stopped mid-stream, and bailed out when Catch2 caught the signal") {
        auto text = tap_text(Node{1, 3, {{"test 1"}, {"test 4"}}});
        text = text.substr(0, text.find("ok 2")) + "not ok 2 - test 4\nBail out! SIGTERM - Termination request signal\n";
        streams[1] = shardtap::tools::read_node_stream("node-1.tap", text);
        streams[1].exit = NodeExit{143, 15, 15};
        auto const cut = tap_text(Node{2, 3, {{"test 2"}, {"test 5"}}});
        streams[2] = shardtap::tools::read_node_stream("node-2.tap", cut.substr(0, cut.find("ok 1")));
        streams[2].exit = NodeExit{143, 15, 15};
        auto merge = verify_merge(streams);
        CHECK(kinds(merge) == std::vector{Problem::Kind::cut_short, Problem::Kind::cut_short});
        CHECK(messages(merge) ==
              "node 1 (node-1.tap) was cut short after 2 test points: shardtap run stopped it with signal 15 "
              "(it wrote Bail out! SIGTERM - Termination request signal)\n"
              "node 2 (node-2.tap) was cut short after 0 test points: shardtap run stopped it with signal 15\n");
    }
    SECTION("a node that had finished when the signal came is whole") {
        streams[0].exit = NodeExit{0, 0, 2};
        CHECK(verify_merge(streams).problems.empty());
    }
}
