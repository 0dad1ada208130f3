#pragma once
#include <catch2/reporters/catch_reporter_event_listener.hpp>

namespace shardtap {

// A listener cannot choose test cases, so it guards: when the environment asks for more than
// one node but nothing applied shardtap's selection, it stops the run before any test instead
// of letting every node run the whole suite.
class GuardListener : public Catch::EventListenerBase {
public:
    using EventListenerBase::EventListenerBase;
    void testRunStarting(Catch::TestRunInfo const& info) override;
};

}  // namespace shardtap
