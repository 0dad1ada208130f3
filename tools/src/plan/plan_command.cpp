#include "plan/plan_command.hpp"

#include "cli/exit_status.hpp"
#include "outputs/merged_durations.hpp"
#include "outputs/output_file.hpp"
#include "plan/plan.hpp"
#include "plan/plan_report.hpp"
#include "verify/node_stream.hpp"

#include "posix/files.hpp"

#include <fmt/format.h>

namespace shardtap::tools {
namespace {

// The durations to plan with: a durations file, or the times in the nodes' streams. Returns
// the exit status of bad input (as `merge` has it), exit_ok when `durations` is filled.
ExitStatus durations_to_plan(PlanOptions const& options, Durations& durations) {
    if (options.durations) {
        try {
            durations = parse_durations(read_file(*options.durations), *options.durations);
        } catch (FileReadError const& error) {
            fmt::print(stderr, "shardtap: plan: {}\n", error.what());
            return exit_no_input;
        } catch (DurationsError const& error) {
            fmt::print(stderr, "shardtap: plan: {}\n", error.what());
            return exit_bad_input;
        }
        return exit_ok;
    }
    std::vector<Durations> recorded;
    for (auto const& path : options.files) {
        NodeStream node;
        try {
            node = read_node_stream(path, read_file(path));
        } catch (FileReadError const& error) {
            fmt::print(stderr, "shardtap: plan: {}\n", error.what());
            return exit_no_input;
        }
        if (node.state == StreamState::malformed) {
            fmt::print(stderr, "shardtap: plan: {} is not a TAP stream: {}\n", path, node.problem);
            return exit_bad_input;
        }
        recorded.push_back(durations_in_stream(node.stream));
    }
    durations = merge_durations(recorded);
    return exit_ok;
}

}  // namespace

int plan_command(PlanOptions const& options) {
    Durations durations;
    if (auto const status = durations_to_plan(options, durations); status != exit_ok) return status;
    if (durations.empty()) {
        fmt::print(stderr, "shardtap: plan: no test case times in {}\n",
                   options.durations ? *options.durations : "the TAP files (no test point says its time=)");
        return exit_bad_input;
    }
    auto const table = plan_formation(durations, options.max_nodes, options.node_overhead);
    fmt::print("{}", format_plan(table));
    if (options.html && !write_file(*options.html, plan_html(table), "plan page")) return exit_cannot_create;
    return exit_ok;
}

}  // namespace shardtap::tools
