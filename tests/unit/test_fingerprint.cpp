#include "core/split/partition.hpp"

#include "random_suite.hpp"
#include "split_of.hpp"

#include <catch2/catch_test_macros.hpp>

using namespace shardtap;

TEST_CASE("the fingerprint is 16 hex digits that every node computes alike") {
    std::mt19937 rng(7);
    auto suite = shardtap::testing::random_suite(rng, 500);
    auto const fingerprint = split_fingerprint(suite, Strategy::round_robin, 12);
    CHECK(fingerprint.size() == 16);
    CHECK(fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos);
    std::shuffle(suite.begin(), suite.end(), rng);
    CHECK(split_fingerprint(suite, Strategy::round_robin, 12) == fingerprint);
}

TEST_CASE("the fingerprint changes with the test list and the node count") {
    std::vector<TestIdentityView> suite = {{"a", "", ""}, {"b", "", "[x]"}};
    auto const base = split_fingerprint(suite, Strategy::round_robin, 2);
    CHECK(split_fingerprint(suite, Strategy::round_robin, 3) != base);
    auto renamed = suite;
    renamed[1].name = "c";
    CHECK(split_fingerprint(renamed, Strategy::round_robin, 2) != base);
    auto retagged = suite;
    retagged[1].tags = "[y]";
    CHECK(split_fingerprint(retagged, Strategy::round_robin, 2) != base);
    auto fewer = suite;
    fewer.pop_back();
    CHECK(split_fingerprint(fewer, Strategy::round_robin, 2) != base);
}

TEST_CASE("field boundaries count: moving characters between fields changes the fingerprint") {
    std::vector<TestIdentityView> one = {{"ab", "", ""}};
    std::vector<TestIdentityView> other = {{"a", "b", ""}};
    CHECK(split_fingerprint(one, Strategy::round_robin, 2) !=
          split_fingerprint(other, Strategy::round_robin, 2));
}

TEST_CASE("under the duration strategy the fingerprint covers the durations it used") {
    std::vector<TestIdentityView> suite = {{"a", "", ""}, {"b", "", ""}};
    Durations const durations = {{"a", 1.0}, {"b", 2.0}};
    auto const base = split_fingerprint(suite, Strategy::duration, 2, &durations);
    CHECK(base != split_fingerprint(suite, Strategy::round_robin, 2, &durations));
    Durations changed = durations;
    changed.tests["b"] = 2.5;
    CHECK(split_fingerprint(suite, Strategy::duration, 2, &changed) != base);
    // An entry no test case uses changes nothing in the split, so nothing in the fingerprint.
    Durations extra = durations;
    extra.tests["removed test"] = 7.0;
    CHECK(split_fingerprint(suite, Strategy::duration, 2, &extra) == base);
    // Round-robin does not depend on durations at all.
    CHECK(split_fingerprint(suite, Strategy::round_robin, 2, &changed) ==
          split_fingerprint(suite, Strategy::round_robin, 2));
}
