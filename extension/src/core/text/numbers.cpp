#include "core/text/numbers.hpp"

#include <cstdlib>
#include <string>

namespace shardtap {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
    for (char c : text) {
        if (!digit(c)) return false;
    }
    return !text.empty();
}

}  // namespace

char const* describe(NumberProblem problem, bool whole) {
    switch (problem) {
        case NumberProblem::empty: return "is empty";
        case NumberProblem::too_large: return "is too large";
        case NumberProblem::not_a_number: break;
    }
    return whole ? "is not a whole number" : "is not a number of seconds";
}

WholeNumber read_whole_number(std::string_view text, std::size_t largest) {
    if (text.empty()) return {0, NumberProblem::empty};
    if (!all_digits(text)) return {0, NumberProblem::not_a_number};
    std::size_t value = 0;
    for (char c : text) {
        value = value * 10 + static_cast<std::size_t>(c - '0');
        if (value > largest) return {0, NumberProblem::too_large};
    }
    return {value, std::nullopt};
}

Seconds read_seconds(std::string_view text, double largest) {
    if (text.empty()) return {0, NumberProblem::empty};
    auto const point = text.find('.');
    bool const well_formed = point == std::string_view::npos
                                 ? all_digits(text)
                                 : all_digits(text.substr(0, point)) && all_digits(text.substr(point + 1));
    if (!well_formed) return {0, NumberProblem::not_a_number};
    // Digits and one point only: strtod reads them the same in every locale that shardtap runs
    // in (it never calls setlocale), and exactly rounded.
    double const value = std::strtod(std::string(text).c_str(), nullptr);  // HUGE_VAL: too large
    if (value > largest) return {0, NumberProblem::too_large};
    return {value, std::nullopt};
}

}  // namespace shardtap
