#pragma once
// The subcommands. Each returns the exit status (exit_status.hpp).

#include "arguments.hpp"
#include "node_stream.hpp"

#include <optional>
#include <vector>

namespace shardtap::tools {

int run_command(RunOptions const& options);
int merge_command(MergeOptions const& options);
int plan_command(PlanOptions const& options);

// Verifies the streams, prints the summary (stdout) and the problems (stderr), writes the
// requested outputs; `wall_seconds` when `run` measured the run. Shared by both subcommands.
int finish_merge(std::vector<NodeStream> const& streams, OutputOptions const& outputs,
                 std::optional<double> wall_seconds);

// Writes `text` to `path` whole, or says on stderr why not ("cannot write the WHAT to ...").
bool write_file(std::string const& path, std::string const& text, char const* what);

}  // namespace shardtap::tools
