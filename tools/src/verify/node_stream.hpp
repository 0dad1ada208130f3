#pragma once
// One node's result as the merge sees it: its TAP stream read with the project's reader, or
// why it could not be read, and (for `shardtap run`) how its process ended.

#include "core/tap/tap_reader.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap::tools {

enum class StreamState {
    read,       // a whole stream (possibly ending in Bail out!)
    cut_short,  // ended before its plan was fulfilled, or inside a line: the node died
    malformed,  // not TAP
};

// How a node's process ended: an exit status, or the signal that killed it.
struct NodeExit {
    int status = 0;
    int signal = 0;        // non-zero: killed by this signal
    int stopped_with = 0;  // non-zero: `shardtap run` sent it this signal while it ran
};

struct NodeStream {
    std::string source;  // the file, for messages
    StreamState state = StreamState::read;
    TapStream stream;     // when not read: what was read before the problem
    std::string problem;  // when not read: "line N: what is wrong"
    std::optional<NodeExit> exit;  // set by `shardtap run`
};

// Reads `text` (the whole content of `source`) with read_tap.
NodeStream read_node_stream(std::string source, std::string_view text);

// "node 3", from the stream's header; none for a stream without a node header. Every output
// names a node with it: messages, the merged TAP, JUnit, the HTML page.
std::optional<std::string> node_name(NodeStream const& node);

// "node 3 (FILE)", or FILE for a stream without a node header: how messages name a node.
std::string node_label(NodeStream const& node);

// The streams in node order (by their header's node index; streams without one last).
std::vector<NodeStream const*> in_node_order(std::vector<NodeStream> const& nodes);

}  // namespace shardtap::tools
