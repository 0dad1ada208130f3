#include "plan/plan.hpp"

#include "core/text/counted.hpp"
#include "core/split/partition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <numeric>

namespace shardtap::tools {
namespace {

double heaviest_seconds(std::vector<TestIdentityView> const& keys, std::size_t nodes, Strategy strategy,
                        Durations const& durations) {
    auto const loads = split_suite(keys, nodes, strategy, &durations).predicted_microseconds;
    return static_cast<double>(*std::max_element(loads.begin(), loads.end())) / 1e6;
}

}  // namespace

PlanTable plan_formation(Durations const& durations, std::size_t max_nodes,
                         double node_overhead_seconds) {
    // Every test case the file knows: its own entries, and the names known only by name.
    std::vector<TestIdentityView> keys;
    for (auto const& entry : durations.tests) keys.push_back(entry.first);
    for (auto const& entry : durations.names) keys.push_back({entry.first, {}, {}});
    auto const weights = estimated_microseconds(keys, durations);

    PlanTable table;
    table.test_cases = keys.size();
    table.total_seconds = static_cast<double>(std::accumulate(weights.begin(), weights.end(), std::int64_t{0})) / 1e6;
    table.longest_seconds = static_cast<double>(*std::max_element(weights.begin(), weights.end())) / 1e6;
    table.node_overhead_seconds = node_overhead_seconds;
    double const one_node = table.total_seconds + node_overhead_seconds;
    for (std::size_t nodes = 1; nodes <= max_nodes; ++nodes) {
        PlanRow row;
        row.nodes = nodes;
        row.round_robin_seconds = heaviest_seconds(keys, nodes, Strategy::round_robin, durations) + node_overhead_seconds;
        row.duration_seconds = heaviest_seconds(keys, nodes, Strategy::duration, durations) + node_overhead_seconds;
        row.lower_bound_seconds = std::max(table.total_seconds / static_cast<double>(nodes), table.longest_seconds) +
                                  node_overhead_seconds;
        row.speedup = one_node / row.duration_seconds;
        row.billed_node_seconds = static_cast<double>(nodes) * row.duration_seconds;
        table.rows.push_back(row);
    }
    auto const best = std::min_element(table.rows.begin(), table.rows.end(), [](auto const& a, auto const& b) {
        return a.duration_seconds < b.duration_seconds;
    });
    table.best_seconds = best->duration_seconds;
    for (auto const& row : table.rows) {
        if (row.duration_seconds <= table.best_seconds * (1 + best_margin)) {
            table.chosen_nodes = row.nodes;
            break;
        }
    }
    return table;
}

std::string format_plan(PlanTable const& table) {
    std::string out = fmt::format(
        "{} test cases, {:.2f} s in all, the longest {:.2f} s; every node adds {:.2f} s\n",
        table.test_cases, table.total_seconds, table.longest_seconds, table.node_overhead_seconds);
    out += "nodes  round-robin    duration  lower bound  speedup  billed node-s\n";
    for (auto const& row : table.rows) {
        fmt::format_to(std::back_inserter(out), "{:>5}  {:>9.2f} s  {:>8.2f} s  {:>9.2f} s  {:>6.2f}x  {:>13.2f}\n",
                       row.nodes, row.round_robin_seconds, row.duration_seconds,
                       row.lower_bound_seconds, row.speedup, row.billed_node_seconds);
    }
    fmt::format_to(std::back_inserter(out),
                   "choose {}: the fewest within {:.0f}% of the best wall time ({:.2f} s, "
                   "duration strategy)\n",
                   counted(table.chosen_nodes, "node"), best_margin * 100,
                   table.best_seconds);
    return out;
}

}  // namespace shardtap::tools
