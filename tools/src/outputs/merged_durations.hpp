#pragma once
// --durations FILE: one durations file for the next split, from the nodes' recorded files or,
// without them, from the times the nodes' TAP streams carry.

#include "cli/exit_status.hpp"
#include "verify/node_stream.hpp"

#include "core/durations/durations.hpp"

#include <string>
#include <vector>

namespace shardtap::tools {

// Updates `path` (created when missing) with the durations in `node_files`, atomically. A node
// file that does not exist (the node crashed) is left out with one warning line on stderr: its
// test cases keep their entries in `path`. Returns exit_ok, exit_bad_input (a file that exists
// but cannot be read or is malformed: `path` is left as it was, one line on stderr says why)
// or exit_cannot_create.
//
// With no `node_files`, the durations come from `streams` instead (durations_in_stream): a CI
// that keeps only the TAP artifacts can still balance its next run.
ExitStatus update_durations(std::string const& path, std::vector<std::string> const& node_files,
                            std::vector<NodeStream> const& streams = {});

// Seconds per test case name from the times of a stream's test points (TapPoint::elapsed_ms);
// points without a time are left out. Several test cases of one name take the longest time.
Durations durations_in_stream(TapStream const& stream);

}  // namespace shardtap::tools
