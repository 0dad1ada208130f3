#pragma once
// `shardtap run`: N local nodes at once, then their streams merged and verified.

#include "cli/arguments.hpp"

namespace shardtap::tools {

// The exit status (cli/exit_status.hpp).
int run_command(RunOptions const& options);

}  // namespace shardtap::tools
