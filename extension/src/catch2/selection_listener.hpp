#pragma once
#include <catch2/reporters/catch_reporter_event_listener.hpp>

namespace shardtap {

// The drop-in way in: a binary that links shardtap and keeps Catch2's main (or its own) splits
// exactly as shardtap::main does. testRunStarting comes before Catch2 picks the run's test cases
// (catch2_bridge.hpp, 1): the listener selects this node's share there. In every binary it is
// also the safety net: a test case outside the share that starts anyway (a Catch2 that picks
// before its listeners) stops the node instead of running on two nodes.
class SelectionListener : public Catch::EventListenerBase {
public:
    // Selects at once when the run lists its test cases: Catch2 lists before testRunStarting,
    // after constructing its listeners (catch2_bridge.hpp, 1), so --list-tests lists the share.
    explicit SelectionListener(Catch::IConfig const* config);
    void testRunStarting(Catch::TestRunInfo const& info) override;
    void testCaseStarting(Catch::TestCaseInfo const& info) override;
};

}  // namespace shardtap
