#pragma once
// --durations FILE: one durations file for the next split, from the nodes' recorded files.

#include "exit_status.hpp"

#include <string>
#include <vector>

namespace shardtap::tools {

// Updates `path` (created when missing) with the durations in `node_files`, atomically.
// Prints one line on stderr on failure; returns exit_ok, exit_bad_input (a malformed file),
// exit_no_input (a node file missing or unreadable) or exit_cannot_create.
ExitStatus update_durations(std::string const& path, std::vector<std::string> const& node_files);

}  // namespace shardtap::tools
