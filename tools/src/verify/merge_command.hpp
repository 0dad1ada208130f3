#pragma once
// `shardtap merge`: the nodes' streams verified as one whole run, and its outputs written.

#include "cli/arguments.hpp"
#include "verify/node_stream.hpp"

#include <optional>
#include <vector>

namespace shardtap::tools {

// The exit status (cli/exit_status.hpp).
int merge_command(MergeOptions const& options);

// Verifies the streams, prints the summary (stdout) and the problems (stderr), writes the
// requested outputs; `wall_seconds` when `run` measured the run. Shared by merge and run.
int finish_merge(std::vector<NodeStream> const& streams, OutputOptions const& outputs,
                 std::optional<double> wall_seconds);

}  // namespace shardtap::tools
