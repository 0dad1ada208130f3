#pragma once
// The text `shardtap merge` and `shardtap run` print after a merge. Pure.

#include "merge.hpp"

#include <optional>
#include <string>

namespace shardtap::tools {

// Totals, a table with one row per node (tests, passed, failed, skipped, todo, seconds) and
// the time line: `wall_seconds` (measured by `run`) or, without it, the longest node's time,
// against the sum of the nodes' times.
std::string format_summary(MergeResult const& merge, std::optional<double> wall_seconds);

// One "shardtap: PROBLEM" line per verification problem.
std::string format_problems(MergeResult const& merge);

}  // namespace shardtap::tools
