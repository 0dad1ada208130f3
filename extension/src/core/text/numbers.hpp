#pragma once
// Strict reading of the numbers a user gives shardtap (node counts and indexes, seconds), from
// environment variables and command lines alike: decimal digits only, no sign, no spaces, no
// exponent, nothing after the number.

#include <cstddef>
#include <optional>
#include <string_view>

namespace shardtap {

enum class NumberProblem { empty, not_a_number, too_large };

// What is wrong, to follow a name: "is empty", "is not a whole number", ...
char const* describe(NumberProblem problem, bool whole);

struct WholeNumber {
    std::size_t value = 0;
    std::optional<NumberProblem> problem;
};

// "0" to "largest".
WholeNumber read_whole_number(std::string_view text, std::size_t largest);

struct Seconds {
    double value = 0;
    std::optional<NumberProblem> problem;
};

// "DIGITS" or "DIGITS.DIGITS", at most `largest`; zero is read (callers that need a positive
// number check value > 0).
Seconds read_seconds(std::string_view text, double largest);

}  // namespace shardtap
