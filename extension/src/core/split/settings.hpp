#pragma once
// What the user asked of shardtap besides the node: how to split, what to record.
// From the environment and the command line. Pure: no Catch2.

#include "core/split/node.hpp"
#include "core/split/partition.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace shardtap {

// Values given on the command line (--shardtap-strategy, --shardtap-durations,
// --shardtap-durations-out, --shardtap-test-timeout); each wins over its environment variable.
struct SettingArguments {
    std::optional<std::string> strategy;
    std::optional<std::string> durations;
    std::optional<std::string> durations_out;
    std::optional<std::string> test_timeout;
};

struct SplitSettings {
    Strategy strategy = Strategy::round_robin;
    // The durations file to balance by (duration) or to predict loads from (round-robin).
    std::optional<std::string> durations_file;
};

// A setting that cannot be used. what() is one line naming the variable or option and its value.
class SettingsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// SHARDTAP_STRATEGY (round-robin or duration) and SHARDTAP_DURATIONS (a file). A durations file
// without a strategy means duration; no file and no strategy mean round-robin. Throws
// SettingsError for an unknown strategy, duration without a file, or an empty value.
SplitSettings resolve_split_settings(Environment const& environment,
                                     SettingArguments const& arguments = {});

// Where this run's durations go (SHARDTAP_DURATIONS_OUT), if anywhere. Throws SettingsError for
// an empty value.
std::optional<std::string> resolve_durations_out(Environment const& environment,
                                                 SettingArguments const& arguments = {});

// How many seconds one test case may run (SHARDTAP_TEST_TIMEOUT), if limited. Throws
// SettingsError for a value that is not a positive number of seconds.
std::optional<double> resolve_test_timeout(Environment const& environment,
                                           SettingArguments const& arguments = {});

}  // namespace shardtap
