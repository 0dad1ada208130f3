#pragma once
// The rule for a run given its test cases by name, as ctest starts each test that
// catch_discover_tests or shardtap_discover_tests registered: `binary "escaped name" ...`.
// Such a run on a split node takes its test cases from the node's share of the whole suite,
// not from a split of what it was given (which is one test case, and would leave nothing on
// every node but one).
//
// A run names its test cases when its test spec is one argument and every test case it matched
// has that argument, `\` escapes undone, as its name. The test is on what Catch2 matched, not on
// the argument's syntax: a test case called `*star` is run by name, a filter `*star` that
// matches `a star` is a filter.
#include <string>
#include <string_view>

namespace shardtap {

// A Catch2 test-spec argument with its `\` escapes undone.
std::string unescaped_test_spec(std::string_view argument);

// Whether `argument`, escapes undone, is `name`, compared as Catch2 compares test case names:
// spaces, tabs and line ends at either end left out, ASCII letters of either case the same.
bool names_test_case(std::string_view argument, std::string_view name);

}  // namespace shardtap
