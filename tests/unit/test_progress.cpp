#include "node_streams.hpp"
#include "progress.hpp"

#include <catch2/catch_test_macros.hpp>

using namespace shardtap::tools;
using namespace test_streams;

TEST_CASE("progress of a stream still being written") {
    auto const text = tap_text(Node{0, 2, {{"a"}, {"b", false}, {"c"}}});
    CHECK(read_progress("").finished == 0);
    CHECK_FALSE(read_progress("").planned);
    auto const upto = [&](std::string const& line) { return text.substr(0, text.find(line)); };
    auto first = read_progress(upto("ok 1"));
    CHECK(first.planned == 3);
    CHECK(first.finished == 0);
    auto two = read_progress(upto("ok 3"));
    CHECK(two.finished == 2);
    CHECK(two.failed == 1);
    auto all = read_progress(text);
    CHECK(all.finished == 3);
}

TEST_CASE("the progress line adds the nodes up") {
    std::vector<NodeProgress> nodes{{2, 1, 2}, {1, 0, 2}, {0, 0, std::nullopt}};
    CHECK(format_progress(nodes, 2, 3.25) == "3/? tests finished, 1 failed, 2 of 3 nodes running, 3.2 s");
    nodes[2].planned = 1;
    CHECK(format_progress(nodes, 0, 10) == "3/5 tests finished, 1 failed, 0 of 3 nodes running, 10.0 s");
}
