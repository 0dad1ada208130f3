#include "core/split/partition.hpp"

#include "random_suite.hpp"
#include "split_of.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>

#include <algorithm>
#include <map>

using namespace shardtap;
using shardtap::testing::random_suite;

namespace {

std::vector<TestIdentityView> keys_of(std::vector<TestIdentityView> const& suite,
                             std::vector<std::size_t> const& positions) {
    std::vector<TestIdentityView> keys;
    for (auto position : positions) keys.push_back(suite[position]);
    return keys;
}

std::vector<std::vector<TestIdentityView>> all_shares(std::vector<TestIdentityView> const& suite, std::size_t total) {
    std::vector<std::vector<TestIdentityView>> shares;
    for (std::size_t index = 0; index < total; ++index) {
        shares.push_back(keys_of(suite, node_share(suite, Node{index, total, "test"})));
    }
    return shares;
}

}  // namespace

TEST_CASE("round-robin deals the canonical order like cards") {
    std::vector<TestIdentityView> suite = {{"e", "", ""}, {"b", "", ""}, {"d", "", ""},
                                  {"a", "", ""}, {"c", "", ""}};
    auto shares = all_shares(suite, 2);
    CHECK(shares[0] == std::vector<TestIdentityView>{{"a", "", ""}, {"c", "", ""}, {"e", "", ""}});
    CHECK(shares[1] == std::vector<TestIdentityView>{{"b", "", ""}, {"d", "", ""}});
}

TEST_CASE("the canonical order is name, then class, then tags") {
    std::vector<TestIdentityView> suite = {{"x", "B", ""}, {"x", "A", "[2]"}, {"x", "A", "[1]"}, {"w", "Z", ""}};
    auto order = keys_of(suite, canonical_order(suite));
    CHECK(order == std::vector<TestIdentityView>{{"w", "Z", ""}, {"x", "A", "[1]"}, {"x", "A", "[2]"}, {"x", "B", ""}});
}

TEST_CASE("more nodes than tests: the last nodes get nothing") {
    std::vector<TestIdentityView> suite = {{"a", "", ""}, {"b", "", ""}};
    auto shares = all_shares(suite, 5);
    CHECK(shares[0].size() == 1);
    CHECK(shares[1].size() == 1);
    CHECK(shares[2].empty());
    CHECK(shares[4].empty());
}

TEST_CASE("property: every test on exactly one node, balanced, independent of input order") {
    auto const seed = GENERATE(range(1u, 41u));
    auto [rng, suite, total] = shardtap::testing::random_split(seed);
    CAPTURE(seed, suite.size(), total);

    auto const shares = all_shares(suite, total);
    std::map<TestIdentityView, int> runs;
    for (auto const& share : shares) {
        CHECK(share.size() >= suite.size() / total);
        CHECK(share.size() <= (suite.size() + total - 1) / total);
        for (auto const& key : share) ++runs[key];
    }
    CHECK(runs.size() == suite.size());
    for (auto const& key : suite) {
        CHECK(runs[key] == 1);
    }

    auto shuffled = suite;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    CHECK(all_shares(shuffled, total) == shares);
}

TEST_CASE("property: the canonical order is the order of TestIdentityView's operator<") {
    auto const seed = GENERATE(range(100u, 130u));
    std::mt19937 rng(seed);
    auto suite = random_suite(rng, std::uniform_int_distribution<std::size_t>(0, 2000)(rng));
    // Long shared prefixes, as generated suites have them.
    for (std::size_t i = 0; i < suite.size(); i += 3) suite[i].name = shardtap::testing::keep("test_slow[5-" + std::string(suite[i].name));
    std::sort(suite.begin(), suite.end());
    suite.erase(std::unique(suite.begin(), suite.end()), suite.end());
    auto const sorted = suite;
    std::shuffle(suite.begin(), suite.end(), rng);
    CAPTURE(seed, suite.size());
    CHECK(keys_of(suite, canonical_order(suite)) == sorted);
}

TEST_CASE("the canonical order: names that are prefixes of one another, zero bytes in them") {
    using namespace std::string_literals;
    std::vector<std::string> names = {""s, "a"s, "a\0"s, "a\0\0"s, "a\0\0\0\0\0\0\0"s, "a\0\0\0\0\0\0\0\0"s,
                                      "a\0\0\0\0\0\0\0\0b"s, "ab"s, "\xff"s, "\xff\xff\xff\xff\xff\xff\xff\xff\x01"s};
    // Enough names to sort by radix, sharing more than eight bytes.
    for (int i = 0; i < 300; ++i) names.push_back("a\0\0\0\0\0\0\0\0"s + std::to_string(i * 7919 % 1000));
    std::mt19937 rng(7);
    std::vector<TestIdentityView> suite;
    for (auto const& name : names) suite.push_back({shardtap::testing::keep(name), "", ""});
    std::sort(suite.begin(), suite.end());
    suite.erase(std::unique(suite.begin(), suite.end()), suite.end());
    auto const sorted = suite;
    std::shuffle(suite.begin(), suite.end(), rng);
    CHECK(keys_of(suite, canonical_order(suite)) == sorted);
}

TEST_CASE("the canonical order: names shared by several test cases, ending at every depth") {
    // Each name three times (told apart by class and tags), names ending in every one of the
    // first four eight-byte words, among enough others to sort by radix.
    std::vector<std::string> names;
    for (std::size_t size = 1; size <= 32; ++size) names.push_back(std::string(size, 'n'));
    for (int i = 0; i < 100; ++i) names.push_back("nnnnnnnnnn" + std::to_string(i * 7919 % 1000));
    std::vector<TestIdentityView> suite;
    for (auto const& name : names) {
        auto const kept = shardtap::testing::keep(name);
        for (TestIdentityView key : {TestIdentityView{kept, "B", ""}, TestIdentityView{kept, "A", "[2]"},
                                     TestIdentityView{kept, "A", "[1]"}}) {
            suite.push_back(key);
        }
    }
    std::sort(suite.begin(), suite.end());
    auto const sorted = suite;
    std::mt19937 rng(11);
    std::shuffle(suite.begin(), suite.end(), rng);
    CHECK(keys_of(suite, canonical_order(suite)) == sorted);
}
