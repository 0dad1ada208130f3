#include "command_line_options.hpp"

#include <shardtap/selection.hpp>

#include <catch2/catch_session.hpp>
#include <catch2/internal/catch_clara.hpp>

namespace shardtap {
namespace {

SettingArguments arguments;

}  // namespace

SettingArguments const& command_line_arguments() { return arguments; }

void add_command_line_options(Catch::Session& session) {
    using Catch::Clara::Opt;
    auto const strategy = Opt(arguments.strategy, "round-robin|duration")["--shardtap-strategy"](
        "how to split the test cases between nodes (default: duration when a durations file "
        "is given, else round-robin)");
    auto const durations = Opt(arguments.durations, "file")["--shardtap-durations"](
        "balance the split by this durations file");
    auto const durations_out = Opt(arguments.durations_out, "file")["--shardtap-durations-out"](
        "write this run's test case durations here");
    auto const test_timeout = Opt(arguments.test_timeout, "seconds")["--shardtap-test-timeout"](
        "end the run with status 124 when one test case runs longer than this");
    session.cli(session.cli() | strategy | durations | durations_out | test_timeout);
}

}  // namespace shardtap
