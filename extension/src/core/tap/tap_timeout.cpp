#include "core/tap/tap_timeout.hpp"

#include "core/text/numbers.hpp"

#include <fmt/format.h>

namespace shardtap {
namespace {
constexpr std::string_view opening = "test case ";
constexpr std::string_view middle = " timed out after ";
constexpr std::string_view closing = " s";
}  // namespace

std::string tap_timeout_reason(TapTimeout const& timeout) {
    return fmt::format("{}{}{}{}{}", opening, timeout.test_case, middle, timeout.seconds, closing);
}

std::optional<TapTimeout> read_tap_timeout_reason(std::string_view reason) {
    if (reason.substr(0, opening.size()) != opening || reason.size() < opening.size() + closing.size() ||
        reason.substr(reason.size() - closing.size()) != closing) {
        return std::nullopt;
    }
    auto const at = reason.rfind(middle);
    if (at == std::string_view::npos || at < opening.size()) return std::nullopt;
    auto const number = reason.substr(at + middle.size(),
                                      reason.size() - closing.size() - at - middle.size());
    auto const seconds = read_seconds(number, 1e9);
    if (seconds.problem || seconds.value <= 0) return std::nullopt;
    return TapTimeout{std::string(reason.substr(opening.size(), at - opening.size())), seconds.value};
}

}  // namespace shardtap
