// shardtap: runs a test command as N local nodes, merges and verifies node TAP streams, and
// plans how many nodes to run.
#include "cli/arguments.hpp"
#include "cli/exit_status.hpp"
#include "plan/plan_command.hpp"
#include "run/run_command.hpp"
#include "verify/merge_command.hpp"

#include <fmt/format.h>

#include <string>
#include <type_traits>
#include <variant>
#include <vector>

int main(int argc, char** argv) {
    using namespace shardtap::tools;
    std::vector<std::string> arguments(argv + 1, argv + argc);
    Request request;
    try {
        request = parse_arguments(arguments);
    } catch (UsageError const& error) {
        fmt::print(stderr, "shardtap: {}\nTry 'shardtap --help'.\n", error.what());
        return exit_usage;
    }
    return std::visit(
        [](auto const& what) -> int {
            using What = std::decay_t<decltype(what)>;
            if constexpr (std::is_same_v<What, HelpRequest>) {
                fmt::print("{}", usage_text(what.topic));
                return exit_ok;
            } else if constexpr (std::is_same_v<What, VersionRequest>) {
                fmt::print("shardtap {}\n", SHARDTAP_VERSION);
                return exit_ok;
            } else if constexpr (std::is_same_v<What, RunOptions>) {
                return run_command(what);
            } else if constexpr (std::is_same_v<What, PlanOptions>) {
                return plan_command(what);
            } else {
                return merge_command(what);
            }
        },
        request);
}
