#pragma once
// The text `shardtap merge` and `shardtap run` print after a merge. Pure.

#include "verify/merge.hpp"

#include <optional>
#include <string>

namespace shardtap::tools {

// Totals, a table with one row per node (tests, passed, failed, skipped, todo, seconds) and
// the time line: `wall_seconds` (measured by `run`) or, without it, the longest node's time,
// against the sum of the nodes' times.
std::string format_summary(MergeResult const& merge, std::optional<double> wall_seconds);

// The time line alone, without its newline: "wall time 10.1 s for 100 s of node time (9.9x)".
std::string format_time_line(MergeResult const& merge, std::optional<double> wall_seconds);

// One "shardtap: PROBLEM" line per verification problem.
std::string format_problems(MergeResult const& merge);

}  // namespace shardtap::tools
