#include "core/split/settings.hpp"

#include "core/text/numbers.hpp"
#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <string>

namespace shardtap {
namespace {

// A value from the command line or else the environment, with the name it was given by.
struct Setting {
    std::string source;  // "--shardtap-strategy" or "SHARDTAP_STRATEGY"
    std::string value;
};

std::optional<Setting> find_setting(Environment const& environment, std::string const& variable,
                                    std::optional<std::string> const& argument,
                                    std::string const& option) {
    std::optional<Setting> setting;
    if (argument) {
        setting = Setting{option, *argument};
    } else if (auto found = environment.find(variable); found != environment.end()) {
        setting = Setting{variable, found->second};
    }
    if (setting && setting->value.empty()) {
        throw SettingsError(fmt::format("shardtap: {} is empty", setting->source));
    }
    return setting;
}

}  // namespace

SplitSettings resolve_split_settings(Environment const& environment,
                                     SettingArguments const& arguments) {
    auto const strategy =
        find_setting(environment, "SHARDTAP_STRATEGY", arguments.strategy, "--shardtap-strategy");
    auto const durations =
        find_setting(environment, "SHARDTAP_DURATIONS", arguments.durations, "--shardtap-durations");
    SplitSettings settings;
    if (durations) settings.durations_file = durations->value;
    if (!strategy) {
        settings.strategy = durations ? Strategy::duration : Strategy::round_robin;
        return settings;
    }
    auto const named = strategy_named(strategy->value);
    if (!named) {
        throw SettingsError(fmt::format(
            "shardtap: unknown strategy {}={}; expected {} or {}", strategy->source,
            in_quotes(strategy->value), to_string(Strategy::round_robin), to_string(Strategy::duration)));
    }
    if (*named == Strategy::duration && !durations) {
        throw SettingsError(fmt::format(
            "shardtap: {}=duration needs a durations file: set SHARDTAP_DURATIONS=FILE (or "
            "--shardtap-durations FILE), recorded by an earlier run with SHARDTAP_DURATIONS_OUT",
            strategy->source));
    }
    settings.strategy = *named;
    return settings;
}

std::optional<std::string> resolve_durations_out(Environment const& environment,
                                                 SettingArguments const& arguments) {
    auto const out = find_setting(environment, "SHARDTAP_DURATIONS_OUT", arguments.durations_out,
                            "--shardtap-durations-out");
    if (!out) return std::nullopt;
    return out->value;
}

std::optional<double> read_test_timeout(std::string_view text) {
    auto const seconds = read_seconds(text, max_test_timeout_seconds);
    if (seconds.problem || !(seconds.value > 0)) return std::nullopt;
    return seconds.value;
}

std::string test_timeout_rule() {
    return fmt::format("a number of seconds above 0 and up to {}, such as 90 or 2.5",
                       max_test_timeout_seconds);
}

std::optional<double> resolve_test_timeout(Environment const& environment,
                                           SettingArguments const& arguments) {
    auto const timeout = find_setting(environment, "SHARDTAP_TEST_TIMEOUT", arguments.test_timeout,
                                "--shardtap-test-timeout");
    if (!timeout) return std::nullopt;
    auto const seconds = read_test_timeout(timeout->value);
    if (!seconds) {
        throw SettingsError(fmt::format("shardtap: {}={} is not {}", timeout->source,
                                        in_quotes(timeout->value), test_timeout_rule()));
    }
    return seconds;
}

}  // namespace shardtap
