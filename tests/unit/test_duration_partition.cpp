#include "core/split/partition.hpp"

#include "random_suite.hpp"
#include "split_of.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>

#include <algorithm>
#include <map>
#include <numeric>

using namespace shardtap;
using shardtap::testing::random_suite;

namespace {

std::vector<TestIdentityView> named(std::vector<std::string> const& names) {
    std::vector<TestIdentityView> keys;
    for (auto const& name : names) keys.push_back({shardtap::testing::keep(name), "", ""});
    return keys;
}

std::vector<std::vector<TestIdentityView>> all_shares(std::vector<TestIdentityView> const& suite, std::size_t total,
                                             Durations const& durations) {
    std::vector<std::vector<TestIdentityView>> shares;
    for (std::size_t index = 0; index < total; ++index) {
        std::vector<TestIdentityView> share;
        for (auto position : node_share(suite, Node{index, total, "test"}, Strategy::duration,
                                        &durations)) {
            share.push_back(suite[position]);
        }
        shares.push_back(share);
    }
    return shares;
}

std::vector<double> loads(std::vector<std::vector<TestIdentityView>> const& shares,
                          Durations const& durations) {
    std::vector<double> result;
    for (auto const& share : shares) {
        double load = 0;
        for (auto const& key : share) load += *durations.find(key);
        result.push_back(load);
    }
    return result;
}

std::vector<std::vector<TestIdentityView>> keys_of(std::vector<TestIdentityView> const& suite, Split const& split) {
    std::vector<std::vector<TestIdentityView>> shares;
    for (auto const& positions : split.shares) {
        shares.emplace_back();
        for (auto position : positions) shares.back().push_back(suite[position]);
    }
    return shares;
}

double makespan(std::vector<std::int64_t> const& predicted) {
    return static_cast<double>(*std::max_element(predicted.begin(), predicted.end()));
}

}  // namespace

TEST_CASE("strategies are named as SHARDTAP_STRATEGY spells them") {
    for (auto strategy : {Strategy::round_robin, Strategy::duration}) {
        CHECK(strategy_named(to_string(strategy)) == strategy);
    }
    CHECK(to_string(Strategy::duration) == "duration");
    CHECK_FALSE(strategy_named("Duration"));
    CHECK_FALSE(strategy_named(""));
}

TEST_CASE("a test case the file does not know is estimated by the median of those it knows") {
    auto const suite = named({"a", "b", "c", "new"});
    CHECK(estimated_microseconds(suite, {{"a", 1.0}, {"b", 3.0}, {"c", 10.0}}) ==
          std::vector<std::int64_t>{1000000, 3000000, 10000000, 3000000});
    CHECK(estimated_microseconds(suite, {{"a", 1.0}, {"b", 2.0}}) ==
          std::vector<std::int64_t>{1000000, 2000000, 1500000, 1500000});
}

TEST_CASE("entries for test cases that no longer exist are ignored, also by the median") {
    auto const suite = named({"a", "b"});
    CHECK(estimated_microseconds(suite, {{"a", 1.0}, {"removed", 100.0}, {"renamed", 50.0}}) ==
          std::vector<std::int64_t>{1000000, 1000000});
}

TEST_CASE("with nothing known every test case weighs the same small default") {
    auto const estimates = estimated_microseconds(named({"a", "b", "c"}), {{"other", 5.0}});
    auto const expected = static_cast<std::int64_t>(unknown_test_seconds * 1e6);
    CHECK(estimates == std::vector<std::int64_t>{expected, expected, expected});
    // Equal weights: the duration strategy balances the number of test cases.
    auto const suite = named({"a", "b", "c", "d", "e", "f", "g"});
    auto const split = split_suite(suite, 3, Strategy::duration);
    for (auto const& share : split.shares) CHECK((share.size() == 2 || share.size() == 3));
}

TEST_CASE("test cases recorded as taking no time still weigh something and spread out") {
    auto const suite = named({"a", "b", "c", "d"});
    Durations const durations = {{"a", 0.0}, {"b", 0.0}, {"c", 0.0}, {"d", 0.0}};
    CHECK(estimated_microseconds(suite, durations) == std::vector<std::int64_t>{1, 1, 1, 1});
    for (auto const& share : all_shares(suite, 2, durations)) CHECK(share.size() == 2);
}

TEST_CASE("test cases sharing a name are estimated apart, each by its own entry") {
    std::vector<TestIdentityView> const suite = {
        {"same", "A", ""}, {"same", "B", ""}, {"same", "", "[a]"}, {"same", "", "[b]"}};
    Durations const durations = {{{"same", "A", ""}, 1.0}, {{"same", "B", ""}, 2.0},
                                 {{"same", "", "[a]"}, 3.0}, {{"same", "", "[b]"}, 4.0}};
    CHECK(estimated_microseconds(suite, durations) ==
          std::vector<std::int64_t>{1000000, 2000000, 3000000, 4000000});
}

TEST_CASE("a name-only entry (version 1) stands for every test case of that name without its own") {
    std::vector<TestIdentityView> const suite = {{"same", "A", ""}, {"same", "B", ""}, {"other", "", ""}};
    Durations durations = {{{"same", "B", ""}, 5.0}};
    durations.names = {{"same", 2.0}, {"other", 4.0}};
    CHECK(estimated_microseconds(suite, durations) ==
          std::vector<std::int64_t>{2000000, 5000000, 4000000});
}

TEST_CASE("slow test cases that round-robin deals to one node go to different nodes") {
    // In canonical order the slow ones are every fourth: round-robin gives them all to node 0.
    std::vector<std::string> names;
    Durations durations;
    for (int i = 0; i < 16; ++i) {
        names.push_back("t" + std::to_string(10 + i));
        durations.tests[names.back()] = i % 4 == 0 ? 10.0 : 0.5;
    }
    auto const suite = named(names);
    auto const dealt = split_suite(suite, 4, Strategy::round_robin, &durations);
    CHECK(makespan(dealt.predicted_microseconds) == 40e6);
    auto const shares = all_shares(suite, 4, durations);
    for (auto load : loads(shares, durations)) CHECK(load == 11.5);
}

TEST_CASE("the improvement pass reaches the optimum where longest-first alone does not") {
    // Longest first: {3, 2, 2} and {3, 2}, a maximum of 7. One swap gives {2, 2, 2} and {3, 3}.
    Durations const durations = {{"a", 3.0}, {"b", 3.0}, {"c", 2.0}, {"d", 2.0}, {"e", 2.0}};
    auto const shares = all_shares(named({"a", "b", "c", "d", "e"}), 2, durations);
    auto const node_loads = loads(shares, durations);
    CHECK(*std::max_element(node_loads.begin(), node_loads.end()) == 6.0);
}

TEST_CASE("where dealing happens to split perfectly, the duration strategy does no worse") {
    // Dealt: a c e g = 18 and b d f = 18. Longest first and its swaps stop at 19.
    Durations const durations = {{"a", 5.0}, {"b", 6.0}, {"c", 2.0}, {"d", 9.0},
                                 {"e", 5.0}, {"f", 3.0}, {"g", 6.0}};
    auto const node_loads = loads(all_shares(named({"a", "b", "c", "d", "e", "f", "g"}), 2, durations), durations);
    CHECK(node_loads == std::vector<double>{18.0, 18.0});
}

TEST_CASE("predicted loads are the sums of each node's estimates, for either strategy") {
    std::mt19937 rng(11);
    auto const suite = random_suite(rng, 300);
    Durations durations;
    for (std::size_t i = 0; i < suite.size(); i += 2) durations.tests[TestIdentity(suite[i])] = (i % 7) * 0.3;
    auto const estimates = estimated_microseconds(suite, durations);
    for (auto strategy : {Strategy::round_robin, Strategy::duration}) {
        auto const split = split_suite(suite, 7, strategy, &durations);
        REQUIRE(split.predicted_microseconds.size() == 7);
        for (std::size_t node = 0; node < 7; ++node) {
            std::int64_t sum = 0;
            for (auto position : split.shares[node]) sum += estimates[position];
            CHECK(split.predicted_microseconds[node] == sum);
        }
    }
    CHECK(split_suite(suite, 7, Strategy::duration).predicted_microseconds.empty());
}

TEST_CASE("more nodes than test cases: one each, the rest get nothing") {
    auto const suite = named({"a", "b", "c"});
    Durations const durations = {{"a", 1.0}, {"b", 2.0}, {"c", 3.0}};
    auto const shares = all_shares(suite, 10, durations);
    std::size_t busy = 0;
    for (auto const& share : shares) {
        CHECK(share.size() <= 1);
        busy += share.size();
    }
    CHECK(busy == 3);
    CHECK(split_suite(suite, 1u << 30, Strategy::duration, &durations).shares.size() == 3);
    CHECK(split_suite({}, 4, Strategy::duration, &durations).shares.empty());
}

TEST_CASE("property: duration splits every test once, the same on every node, whatever the input order") {
    auto const seed = GENERATE(range(1u, 41u));
    auto [rng, suite, total] = shardtap::testing::random_split(seed);
    // Most test cases known, some not, and some entries for test cases that do not exist.
    Durations durations;
    std::lognormal_distribution<double> seconds(-1.0, 1.5);
    for (auto const& key : suite) {
        if (rng() % 5 != 0) durations.tests[TestIdentity(key)] = seconds(rng);
    }
    for (auto const& key : random_suite(rng, 20)) durations.tests.emplace(std::string(key.name) + " gone", 50.0);
    CAPTURE(seed, suite.size(), total);

    auto const split = split_suite(suite, total, Strategy::duration, &durations);
    auto const shares = keys_of(suite, split);
    REQUIRE(shares.size() == std::min(total, suite.size()));
    std::map<TestIdentityView, int> runs;
    for (auto const& share : shares) {
        for (auto const& key : share) ++runs[key];
    }
    CHECK(runs.size() == suite.size());
    for (auto const& key : suite) CHECK(runs[key] == 1);

    // Each node computes the whole split and runs its part of it: the same part every time.
    for (auto node : {std::size_t{0}, total / 2, total - 1}) {
        std::vector<TestIdentityView> share;
        for (auto position : node_share(suite, Node{node, total, "test"}, Strategy::duration,
                                        &durations)) {
            share.push_back(suite[position]);
        }
        CHECK(share == (node < shares.size() ? shares[node] : std::vector<TestIdentityView>{}));
    }
    CHECK(keys_of(suite, split_suite(suite, total, Strategy::duration, &durations)) == shares);

    auto shuffled = suite;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    CHECK(keys_of(shuffled, split_suite(shuffled, total, Strategy::duration, &durations)) == shares);
}

TEST_CASE("property: duration's heaviest node is within the list-scheduling bound and never "
          "heavier than round-robin's") {
    auto const seed = GENERATE(range(1u, 61u));
    std::mt19937 rng(seed);
    auto const suite = random_suite(rng, std::uniform_int_distribution<std::size_t>(1, 400)(rng));
    auto const total = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
    Durations durations;
    std::lognormal_distribution<double> seconds(-1.0, seed % 2 ? 0.5 : 2.0);
    for (auto const& key : suite) durations.tests[TestIdentity(key)] = seconds(rng);
    CAPTURE(seed, suite.size(), total);

    auto const estimates = estimated_microseconds(suite, durations);
    auto const sum = std::accumulate(estimates.begin(), estimates.end(), std::int64_t{0});
    auto const longest = *std::max_element(estimates.begin(), estimates.end());
    auto const packed = split_suite(suite, total, Strategy::duration, &durations);
    auto const dealt = split_suite(suite, total, Strategy::round_robin, &durations);
    CHECK(makespan(packed.predicted_microseconds) <=
          static_cast<double>(sum) / static_cast<double>(total) + static_cast<double>(longest));
    CHECK(makespan(packed.predicted_microseconds) <= makespan(dealt.predicted_microseconds));
}
