#include <catch2/catch_test_macros.hpp>

TEST_CASE("one") { CHECK(1 == 1); }
TEST_CASE("two") { CHECK(2 == 2); }
TEST_CASE("three") { CHECK(3 == 3); }
TEST_CASE("four") { CHECK(4 == 4); }
