#pragma once
// What the user asked of shardtap besides the node: how to split, what to record.
// From the environment and the command line. Pure: no Catch2.

#include "core/split/node.hpp"
#include "core/split/partition.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

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

// The longest test case timeout shardtap takes, in seconds.
inline constexpr double max_test_timeout_seconds = 1e6;

// A test case timeout, as SHARDTAP_TEST_TIMEOUT, --shardtap-test-timeout and `shardtap run
// --timeout` all take it: seconds above 0 and up to max_test_timeout_seconds, read as strictly
// as every number (core/text/numbers: "90", "2.5"); none for anything else.
std::optional<double> read_test_timeout(std::string_view text);

// The same sentence for every place that rejects a timeout: "a number of seconds above 0 and
// up to 1000000, such as 90 or 2.5".
std::string test_timeout_rule();

// How many seconds one test case may run (SHARDTAP_TEST_TIMEOUT), if limited. Throws
// SettingsError for a value read_test_timeout does not take.
std::optional<double> resolve_test_timeout(Environment const& environment,
                                           SettingArguments const& arguments = {});

}  // namespace shardtap
