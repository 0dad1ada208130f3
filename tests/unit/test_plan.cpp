#include "plan/plan.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;
using namespace shardtap::tools;

namespace {
// The article's sample: 20 test cases of 5 s.
shardtap::Durations sample() {
    shardtap::Durations durations;
    for (int i = 0; i < 20; ++i) durations.tests["test_slow[5-" + std::to_string(100 + i).substr(1) + "]"] = 5.0;
    return durations;
}
}  // namespace

TEST_CASE("the sample: 10 nodes finish as fast as 12, 20 twice as fast, and 20 is chosen") {
    auto const table = plan_formation(sample(), 32, 0);
    REQUIRE(table.rows.size() == 32);
    CHECK(table.test_cases == 20);
    CHECK(table.total_seconds == 100.0);
    CHECK(table.longest_seconds == 5.0);
    auto const& ten = table.rows[9];
    auto const& twelve = table.rows[11];
    auto const& twenty = table.rows[19];
    CHECK(ten.duration_seconds == 10.0);
    CHECK(twelve.duration_seconds == 10.0);
    CHECK(twelve.round_robin_seconds == 10.0);
    CHECK(twenty.duration_seconds == 5.0);
    CHECK(twenty.speedup == 20.0);
    CHECK(twelve.billed_node_seconds == 120.0);
    CHECK(ten.billed_node_seconds == 100.0);
    CHECK_THAT(twelve.lower_bound_seconds, WithinAbs(100.0 / 12, 1e-9));
    CHECK(table.rows[31].duration_seconds == 5.0);  // more nodes than test cases: no better
    CHECK(table.best_seconds == 5.0);
    CHECK(table.chosen_nodes == 20);
}

TEST_CASE("every node's overhead is in every wall time and in the choice") {
    auto const table = plan_formation(sample(), 32, 30);
    CHECK(table.rows[0].duration_seconds == 130.0);
    CHECK(table.rows[9].duration_seconds == 40.0);
    CHECK(table.rows[19].duration_seconds == 35.0);
    CHECK(table.rows[19].lower_bound_seconds == 35.0);
    CHECK_THAT(table.rows[19].speedup, WithinAbs(130.0 / 35, 1e-9));
    CHECK(table.chosen_nodes == 20);
    // A large overhead makes a few more nodes not worth their setup: 5% of 1005 s is 50 s.
    CHECK(plan_formation(sample(), 32, 1000).chosen_nodes == 2);
}

TEST_CASE("unequal test cases: the duration split beats round-robin, and no row beats the bound") {
    shardtap::Durations durations{{"a", 8}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 1}, {"f", 4}, {"g", 4}};
    auto const table = plan_formation(durations, 8, 0);
    for (auto const& row : table.rows) {
        CHECK(row.duration_seconds >= row.lower_bound_seconds - 1e-9);
        CHECK(row.round_robin_seconds >= row.lower_bound_seconds - 1e-9);
    }
    CHECK(table.rows[1].duration_seconds == 10.0);  // {a, b, c} and {f, g, d, e}
    CHECK(table.rows[1].round_robin_seconds > 10.0);
    CHECK(table.chosen_nodes == 3);  // the longest test case, 8 s, from 3 nodes on
}

TEST_CASE("the table as text: a row per node count, then the choice") {
    auto const text = format_plan(plan_formation(sample(), 20, 0));
    CHECK_THAT(text, ContainsSubstring("20 test cases, 100.00 s in all, the longest 5.00 s"));
    CHECK_THAT(text, ContainsSubstring("\n   12      10.00 s     10.00 s       8.33 s   10.00x         120.00\n"));
    CHECK_THAT(text, ContainsSubstring("choose 20 nodes: the fewest within 5% of the best wall time (5.00 s"));
}
