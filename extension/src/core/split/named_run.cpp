#include "core/split/named_run.hpp"

#include <algorithm>

namespace shardtap {

std::string unescaped_test_spec(std::string_view argument) {
    std::string text;
    for (std::size_t i = 0; i < argument.size(); ++i) {
        if (argument[i] == '\\' && i + 1 < argument.size()) ++i;
        text += argument[i];
    }
    return text;
}

static char folded(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

static std::string_view trimmed(std::string_view text) {
    auto const first = text.find_first_not_of(" \t\n\r");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\n\r") - first + 1);
}

bool names_test_case(std::string_view argument, std::string_view name) {
    auto const whole = unescaped_test_spec(argument);
    auto const text = trimmed(whole);
    auto const other = trimmed(name);
    return std::equal(text.begin(), text.end(), other.begin(), other.end(),
                      [](char a, char b) { return folded(a) == folded(b); });
}

}  // namespace shardtap
