// Compiled as C++14 by tests/consumer: shardtap's headers must not need more.
#include <shardtap/parametrize.hpp>

#include <catch2/catch_test_macros.hpp>

#include <string>
#include <vector>

#if __cplusplus != 201402L
#error "the consumer must build as C++14"
#endif

TEST_CASE("one") { CHECK(1 == 1); }
TEST_CASE("two") { CHECK(2 == 2); }
TEST_CASE("three") { CHECK(3 == 3); }
TEST_CASE("four") { CHECK(4 == 4); }

SHARDTAP_PARAMETRIZE("square", "[numbers]", int value, {0, 1, 4, 9}) {
    int root = 0;
    while (root * root < value) ++root;
    CHECK(root * root == value);
}

SHARDTAP_PARAMETRIZE("word", "", std::string const& word, std::vector<std::string>{"a", "bc"}) {
    CHECK(!word.empty());
}
