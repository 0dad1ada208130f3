#pragma once
// The page `shardtap run` and `shardtap merge` write with --html FILE. Pure: the streams and
// the merge's verdict in, one self-contained HTML document out (html_page.hpp).
//
// It shows a timeline per node (its test cases as segments in the order they ran, width by
// time, failures and skips marked, the slowest node highlighted, the predicted load beside
// the actual one when the split had durations to go by), the verdict with each problem, the
// counts per node, the slowest test cases and every failure with its diagnostics.

#include "verify/merge.hpp"
#include "verify/node_stream.hpp"

#include <optional>
#include <string>
#include <vector>

namespace shardtap::tools {

// `wall_seconds`: the run's wall time, when `shardtap run` measured it.
std::string html_report(std::vector<NodeStream> const& nodes, MergeResult const& merge,
                        std::optional<double> wall_seconds);

}  // namespace shardtap::tools
