// As a project that vendors the amalgamated pair writes its tests: one header, its own.
#include <catch_amalgamated.hpp>
#include <shardtap/parametrize.hpp>

#include <string>
#include <vector>

TEST_CASE("one") { CHECK(1 == 1); }
TEST_CASE("two") { CHECK(2 == 2); }
TEST_CASE("three") { CHECK(3 == 3); }
TEST_CASE("four") { CHECK(4 == 4); }
TEST_CASE("five", "[tagged]") { CHECK(5 == 5); }
TEST_CASE("six", "[tagged]") { CHECK(6 == 6); }

SHARDTAP_PARAMETRIZE("square", "[numbers]", int value, {0, 1, 4, 9}) {
    int root = 0;
    while (root * root < value) ++root;
    CHECK(root * root == value);
}
