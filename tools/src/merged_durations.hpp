#pragma once
// --durations FILE: one durations file for the next split, from the nodes' recorded files.

#include "exit_status.hpp"

#include <string>
#include <vector>

namespace shardtap::tools {

// Updates `path` (created when missing) with the durations in `node_files`, atomically. A node
// file that does not exist (the node crashed) is left out with one warning line on stderr: its
// test cases keep their entries in `path`. Returns exit_ok, exit_bad_input (a file that exists
// but cannot be read or is malformed: `path` is left as it was, one line on stderr says why)
// or exit_cannot_create.
ExitStatus update_durations(std::string const& path, std::vector<std::string> const& node_files);

}  // namespace shardtap::tools
