#include "core/identity/shared_names.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace shardtap;

namespace {

// With `hash` in place of name_hash: the names are then told apart by reading them.
template <typename Hash = std::uint64_t (*)(std::string_view)>
std::vector<std::size_t> sharing(std::vector<std::string> const& names, Hash hash = name_hash) {
    std::vector<std::uint64_t> hashes;
    for (auto const& name : names) hashes.push_back(hash(name));
    return positions_sharing_a_name(hashes, [&names](std::size_t i) { return std::string_view(names[i]); });
}

}  // namespace

TEST_CASE("the test cases that share a name: every one of them, ascending") {
    CHECK(sharing({}).empty());
    CHECK(sharing({"a", "b", "ab", ""}).empty());
    CHECK(sharing({"x", "a", "x", "b", "x", "a"}) == std::vector<std::size_t>{0, 1, 2, 4, 5});
    CHECK(sharing({"", "", "name with a tail longer than a word", "name with a tail longer than a word"}) ==
          std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("one name shared by thousands of test cases, among unique ones") {
    std::vector<std::string> names;
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < 30000; ++i) {
        bool const same = i % 3 == 0;
        names.push_back(same ? std::string("the same name") : "unique " + std::to_string(i));
        if (same) expected.push_back(i);
    }
    CHECK(sharing(names) == expected);
}

TEST_CASE("names whose hashes meet are read: only equal names are shared") {
    std::vector<std::string> const names{"x", "a", "x", "b", "x", "a", "c"};
    std::vector<std::size_t> const expected{0, 1, 2, 4, 5};
    // Every hash alike, or alike in the half a slot keeps and apart in the half that picks it.
    CHECK(sharing(names, [](std::string_view) { return std::uint64_t{42}; }) == expected);
    CHECK(sharing(names, [](std::string_view name) { return std::uint64_t{7} << 32 | name_hash(name) >> 32; }) ==
          expected);
    CHECK(sharing({"a", "b", "c"}, [](std::string_view) { return std::uint64_t{0}; }).empty());
}

TEST_CASE("the test cases that share a name, against counting them, at suite sizes") {
    std::mt19937 rng(5);
    for (std::size_t size : {10u, 1000u, 40000u}) {
        std::vector<std::string> names;
        // Fewer distinct names than test cases (3 x (size / 4 + 1)), so some are shared, and
        // names that are prefixes of one another.
        std::uniform_int_distribution<std::size_t> number(0, size / 4), length(0, 2);
        for (std::size_t i = 0; i < size; ++i) {
            names.push_back("test case " + std::string(8 * length(rng), 'x') + std::to_string(number(rng)));
        }
        std::map<std::string, int> counts;
        for (auto const& name : names) ++counts[name];
        std::vector<std::size_t> expected;
        for (std::size_t i = 0; i < size; ++i) {
            if (counts[names[i]] > 1) expected.push_back(i);
        }
        CAPTURE(size);
        CHECK(!expected.empty());
        CHECK(sharing(names) == expected);
    }
}
