#pragma once
// Stopping a node at once, from anywhere in shardtap's Catch2 code.

#include <string>

namespace shardtap {

// Ends the process with exit status 1: `reason` on stderr after "shardtap: " and, when the
// tap-stream reporter is writing a stream, as its last line (`Bail out! reason`).
[[noreturn]] void stop_node(std::string const& reason);

}  // namespace shardtap
