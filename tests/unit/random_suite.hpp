#pragma once
// Random test suites for property tests: names with the characters that break naive splitters.

#include "core/split/partition.hpp"

#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace shardtap::testing {

inline std::string random_name(std::mt19937& rng) {
    static const std::vector<std::string> pieces = {
        "a", "Z", "9", " ", ",", "[", "]", "\"", "'", "\\", "#", "*", "~", "exclude:", "\xc3\xa9",
        "\xe2\x9c\x93", "\xf0\x9f\x90\x9b", "test", "case", "::", "\t", "-", ".", "(", ")"};
    std::uniform_int_distribution<std::size_t> length(1, 12);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::string name;
    for (auto n = length(rng); n > 0; --n) name += pieces[piece(rng)];
    return name;
}

// A view of `text` that lives as long as the test process: TestIdentityView holds views, as Catch2's
// registry keeps names alive for the run.
inline std::string_view keep(std::string text) {
    static std::deque<std::string> kept;
    return kept.emplace_back(std::move(text));
}

// `count` distinct keys; some share a name and differ by class or tags, as Catch2 allows.
inline std::vector<TestIdentityView> random_suite(std::mt19937& rng, std::size_t count) {
    std::set<TestIdentityView> keys;
    std::uniform_int_distribution<int> variant(0, 9);
    while (keys.size() < count) {
        TestIdentityView key{keep(random_name(rng)), "", ""};
        if (variant(rng) == 0) key.class_name = keep("Fixture" + random_name(rng));
        if (variant(rng) < 3) key.tags = keep("[" + random_name(rng) + "]");
        keys.insert(key);
        if (variant(rng) == 1 && keys.size() < count) {
            keys.insert(TestIdentityView{key.name, key.class_name, keep(std::string(key.tags) + "[twin]")});
        }
    }
    std::vector<TestIdentityView> suite(keys.begin(), keys.end());
    std::shuffle(suite.begin(), suite.end(), rng);
    return suite;
}

// A random suite and node count for a property test, from its seed: mostly up to 200 test cases,
// up to 3000 for every fourth seed, on 1 to 64 nodes. `rng` goes on from there.
struct RandomSplit {
    std::mt19937 rng;
    std::vector<TestIdentityView> suite;
    std::size_t total;
};

inline RandomSplit random_split(unsigned seed) {
    RandomSplit split{std::mt19937(seed), {}, 0};
    std::uniform_int_distribution<std::size_t> size(0, seed % 4 == 0 ? 3000 : 200);
    split.suite = random_suite(split.rng, size(split.rng));
    split.total = std::uniform_int_distribution<std::size_t>(1, 64)(split.rng);
    return split;
}

}  // namespace shardtap::testing
