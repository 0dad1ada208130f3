#include <shardtap/parameter_id.hpp>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <vector>

using shardtap::escape_parameter_id;
using shardtap::parameter_id;
using shardtap::parametrized_name;

TEST_CASE("names show the value, then the position padded to the last position") {
    CHECK(parametrized_name("test_slow", "5", 0, 20) == "test_slow[5-00]");
    CHECK(parametrized_name("test_slow", "5", 19, 20) == "test_slow[5-19]");
    CHECK(parametrized_name("t", "a", 0, 1) == "t[a-0]");
    CHECK(parametrized_name("t", "a", 9, 10) == "t[a-9]");
    CHECK(parametrized_name("t", "a", 10, 11) == "t[a-10]");
    CHECK(parametrized_name("t", "a", 7, 1000) == "t[a-007]");
}

TEST_CASE("a value without an id is named by its position alone") {
    CHECK(parametrized_name("test_point", "", 7, 12) == "test_point[07]");
}

TEST_CASE("names of repeated values are unique and sort in list order") {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < 120; ++i) names.push_back(parametrized_name("t", "5", i, 120));
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
    CHECK(std::is_sorted(names.begin(), names.end()));
}

TEST_CASE("numbers are written in their shortest round-trip form") {
    CHECK(parameter_id(5LL) == "5");
    CHECK(parameter_id(-12LL) == "-12");
    CHECK(parameter_id(std::numeric_limits<unsigned long long>::max()) == "18446744073709551615");
    CHECK(parameter_id(5.0) == "5");
    CHECK(parameter_id(0.5) == "0.5");
    CHECK(parameter_id(0.1) == "0.1");
    CHECK(parameter_id(0.1f) == "0.1");
    CHECK(parameter_id(1e300) == "1e+300");
    CHECK(parameter_id(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(parameter_id(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(parameter_id(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

TEST_CASE("booleans and strings are written as they are") {
    CHECK(parameter_id(true) == "true");
    CHECK(parameter_id(false) == "false");
    CHECK(parameter_id(std::string("hello world")) == "hello world");
}

TEST_CASE("escaping keeps a name on one line and tells a backslash from an escape") {
    CHECK(escape_parameter_id("plain [text], with #signs*") == "plain [text], with #signs*");
    CHECK(escape_parameter_id("two\nlines") == "two\\nlines");
    CHECK(escape_parameter_id("tab\there\r") == "tab\\there\\r");
    CHECK(escape_parameter_id("back\\slash") == "back\\\\slash");
    CHECK(escape_parameter_id(std::string("nul\0bell\x07", 9)) == "nul\\x00bell\\x07");
    CHECK(escape_parameter_id("del\x7f") == "del\\x7f");
    CHECK(escape_parameter_id("UTF-8 \xc3\xa9") == "UTF-8 \xc3\xa9");
    CHECK(parametrized_name("t", "a\nb", 0, 2) == "t[a\\nb-0]");
}
