#pragma once
// `shardtap plan`: the predicted wall time for 1 to N nodes, and the node count to choose.

#include "cli/arguments.hpp"

namespace shardtap::tools {

// The exit status (cli/exit_status.hpp).
int plan_command(PlanOptions const& options);

}  // namespace shardtap::tools
