#pragma once
// `shardtap plan`: how many nodes to run, from what each test case takes. Pure: durations in,
// a table out; the command (plan_command.cpp) reads the files and prints format_plan's text.

#include "core/durations/durations.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace shardtap::tools {

// Seconds for one node count. Every wall time includes the node overhead.
struct PlanRow {
    std::size_t nodes = 0;
    double round_robin_seconds = 0;  // the heaviest node's load, round-robin split
    double duration_seconds = 0;     // the heaviest node's load, duration split
    double lower_bound_seconds = 0;  // max(total / nodes, longest test case): no split does better
    double speedup = 0;              // one node's wall time / duration_seconds
    double billed_node_seconds = 0;  // nodes x duration_seconds: every node held to the end
};

// What `shardtap plan` prints (format_plan) and what a page may draw.
struct PlanTable {
    std::size_t test_cases = 0;
    double total_seconds = 0;       // all test cases on one node, without overhead
    double longest_seconds = 0;     // the longest test case
    double node_overhead_seconds = 0;
    std::vector<PlanRow> rows;      // 1 to max_nodes nodes
    std::size_t chosen_nodes = 0;   // the fewest nodes within best_margin of the best wall time
    double best_seconds = 0;        // the best wall time of the duration split
};

inline constexpr double best_margin = 0.05;

// The table for 1 to `max_nodes` nodes, each split as shardtap splits a run (core/split) with
// `durations` (every test case of the suite, by name), each node also taking
// `node_overhead_seconds` (its boot and setup). `durations` must not be empty.
PlanTable plan_formation(Durations const& durations, std::size_t max_nodes,
                         double node_overhead_seconds);

// The table as text: a heading line, a row per node count, the choice.
std::string format_plan(PlanTable const& table);

}  // namespace shardtap::tools
