#pragma once
// The files a merge can write: one TAP stream of every node's test points, and JUnit XML.
// Pure: each returns the whole text.

#include "verify/merge.hpp"
#include "verify/node_stream.hpp"

#include <string>
#include <vector>

namespace shardtap::tools {

// TAP version 14: a plan for every test point read, the points node after node (each node
// introduced by a comment), their diagnostics; when the merge found problems, each as a
// comment and then `Bail out!`, so no consumer takes an incomplete run for a passing one.
std::string merged_tap(std::vector<NodeStream> const& nodes, MergeResult const& merge);

// JUnit XML: <testsuites> with one <testsuite> per node ("node 3"), a <testcase> per test
// point (<failure>, <skipped>), and a "shardtap merge" suite with an <error> per problem.
std::string junit_xml(std::vector<NodeStream> const& nodes, MergeResult const& merge);

}  // namespace shardtap::tools
