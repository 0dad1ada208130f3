#include "core/text/counted.hpp"
#include "core/text/numbers.hpp"
#include "core/text/quoted.hpp"

#include <catch2/catch_test_macros.hpp>

using namespace shardtap;

TEST_CASE("a value in an error message: quoted, exact, on one line") {
    CHECK(in_quotes("plain value") == "\"plain value\"");
    CHECK(in_quotes("") == "\"\"");
    CHECK(in_quotes("say \"hi\" \\ bye") == "\"say \\\"hi\\\" \\\\ bye\"");
    CHECK(in_quotes("two\nlines\tand\r\x7f\x01") == "\"two\\nlines\\tand\\r\\x7f\\x01\"");
    CHECK(in_quotes("caf\xc3\xa9 \xe2\x9c\x93") == "\"caf\xc3\xa9 \xe2\x9c\x93\"");  // UTF-8 stays
    CHECK(in_quotes("bad \xff\xc3") == "\"bad \\xff\\xc3\"");                       // not UTF-8
}

TEST_CASE("whole numbers: digits only, up to a limit") {
    CHECK(read_whole_number("0", 10).value == 0);
    CHECK(read_whole_number("0010", 10).value == 10);
    CHECK(read_whole_number("", 10).problem == NumberProblem::empty);
    CHECK(read_whole_number("11", 10).problem == NumberProblem::too_large);
    CHECK(read_whole_number("99999999999999999999999999", 10).problem == NumberProblem::too_large);
    for (auto const* bad : {"-1", "+1", " 1", "1 ", "1.0", "0x1", "1e2", "one"}) {
        CAPTURE(bad);
        CHECK(read_whole_number(bad, 10).problem == NumberProblem::not_a_number);
    }
    CHECK(std::string(describe(NumberProblem::not_a_number, true)) == "is not a whole number");
}

TEST_CASE("seconds: digits with at most one decimal point, up to a limit") {
    CHECK(read_seconds("90", 100).value == 90.0);
    CHECK(read_seconds("2.5", 100).value == 2.5);
    CHECK(read_seconds("0", 100).value == 0.0);  // zero is a number; callers that need more say so
    CHECK(read_seconds("100.5", 100).problem == NumberProblem::too_large);
    CHECK(read_seconds("", 100).problem == NumberProblem::empty);
    for (auto const* bad : {"-1", "1.", ".5", "1.2.3", "1e2", "inf", "nan", " 1", "1s", "1,5"}) {
        CAPTURE(bad);
        CHECK(read_seconds(bad, 100).problem == NumberProblem::not_a_number);
    }
}

TEST_CASE("a count with its noun: plural unless one") {
    CHECK(counted(0, "node") == "0 nodes");
    CHECK(counted(1, "node") == "1 node");
    CHECK(counted(12, "test case") == "12 test cases");
}
