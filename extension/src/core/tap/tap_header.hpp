#pragma once
// The shardtap fields of a node's TAP stream, written as comment lines
//
//     # shardtap node_index: 3
//     # shardtap node_total: 12
//
// right after the version line (and `elapsed` at the end of the run). Their format and their
// parsing live only here; to add a field, add a member and one line to the table in
// tap_header.cpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardtap {

struct TapHeader {
    std::optional<std::size_t> node_index;  // 0-based
    std::optional<std::size_t> node_total;
    std::string provider;     // where the node came from, e.g. "Heroku CI (CI_NODE_TOTAL/CI_NODE_INDEX)"
    std::string strategy;     // "round-robin", "duration"
    std::string fingerprint;  // the split's fingerprint; equal on every node of one split
    std::optional<std::size_t> suite_size;  // test cases across all nodes
    // Predicted load of this node's share and of the heaviest node's, in seconds, when the
    // split had recorded durations to go by.
    std::optional<double> predicted_seconds;
    std::optional<double> heaviest_node_seconds;
    std::optional<double> elapsed_seconds;  // wall time of the run, written at its end
    // Fields this version does not know (a newer writer's), in order of appearance.
    std::vector<std::pair<std::string, std::string>> other;

    friend bool operator==(TapHeader const&, TapHeader const&);
};

// One "# shardtap KEY: VALUE\n" line per field that is set, in a fixed order.
void append_tap_header(std::string& out, TapHeader const& header);

enum class HeaderLine {
    not_a_field,  // any other line: not `# shardtap KEY: VALUE`
    read,         // the field was stored in the header
    malformed,    // a shardtap field whose value is wrong; `error` says why
};

// Reads one line (without its newline) into `header`.
HeaderLine read_tap_header_line(std::string_view line, TapHeader& header, std::string& error);

}  // namespace shardtap
