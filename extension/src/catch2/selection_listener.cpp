#include "selection_listener.hpp"

#include "applied_selection.hpp"
#include "catch2_bridge.hpp"
#include "node_stop.hpp"

#include "posix/environment.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace shardtap {

void SelectionListener::testRunStarting(Catch::TestRunInfo const&) {
    if (select_in_listener(*m_config)) return;
    std::fflush(stderr);
    std::exit(1);  // before any reporter began its report
}

void SelectionListener::testCaseStarting(Catch::TestCaseInfo const& info) {
    if (in_share(info)) return;
    auto const& applied = applied_selection();
    stop_node(fmt::format(
        "Catch2 {} started test case '{}', which is not in node {} of {}'s share (it was "
        "registered after the split, or this Catch2 picks its test cases before shardtap's "
        "listener can select); stopping, so that no test case runs on two nodes",
        catch2_bridge::catch2_version(), info.name, applied ? applied->node.index : 0,
        applied ? applied->node.total : 1));
}

void SelectionListener::listTests(std::vector<Catch::TestCaseHandle> const&) {
    // Catch2 lists before any listener can select: the list is the whole suite. Say so when a
    // CI asks for a split, so nobody takes it for this node's share.
    if (applied_selection()) return;  // shardtap::main listed the share
    try {
        auto const node = resolve_node(process_environment());
        if (node.total == 1) return;
        fmt::print(stderr,
                   "shardtap: {} asks for node {} of {}, but this list is the whole suite: Catch2 "
                   "lists before a listener can select. Link shardtap::main to list a node's "
                   "share.\n",
                   node.provider, node.index, node.total);
    } catch (NodeError const&) {  // the run itself reports a bad node
    }
}

}  // namespace shardtap
