#pragma once
// Verifying that the nodes' streams add up to one whole run, and counting what they hold.
// Pure: streams in, a verdict out; reading files and printing live elsewhere.

#include "verify/node_stream.hpp"
#include "verify/tally.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace shardtap::tools {

// What one node's stream holds: its test points counted, and more.
struct NodeSummary : Tally {
    std::string source;
    std::optional<std::size_t> index;  // from the stream's header
    std::optional<std::size_t> planned;
    std::optional<double> seconds;  // the node's own elapsed time, from its stream
};

// Why the streams do not make one trustworthy run.
struct Problem {
    enum class Kind {
        malformed,           // a stream that is not TAP
        cut_short,           // a stream that ended before its plan: the node died, or
                             // `shardtap run` stopped it (a signal)
        bailed_out,          // a node wrote Bail out!
        timed_out,           // a test case ran past SHARDTAP_TEST_TIMEOUT (a Bail out! that says so)
        node_failed,         // a node's process was killed, or failed without a failing test
        no_header,           // several streams, one of them without a shardtap node header
        node_count_differs,  // the nodes disagree on how many nodes there are
        fingerprint_differs, // the nodes computed different splits
        node_twice,          // two streams for the same node
        node_missing,        // a node of the split has no stream
        ran_twice,           // a test case on two nodes
        count_differs,       // the nodes ran more or fewer test cases than the split holds
    };
    Kind kind;
    std::string message;
};

// The verdict, and every node's points counted together.
struct MergeResult : Tally {
    std::vector<NodeSummary> nodes;  // in node order (streams without an index last)
    std::vector<Problem> problems;
    double sum_of_seconds = 0;      // over the nodes that report their time
    double longest_seconds = 0;

    bool has(Problem::Kind kind) const;
};

// Checks the streams against each other. A single stream without a node header is a whole
// run on one node. A test case is its identity (TapPoint::identity: the name, with the class
// and tags the stream gives where several test cases share it), so two that share a name
// (different classes or tags) are two test cases, wherever they run.
MergeResult verify_merge(std::vector<NodeStream> const& nodes);

}  // namespace shardtap::tools
