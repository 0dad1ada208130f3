#include "selection_listener.hpp"

#include "applied_selection.hpp"
#include "catch2_bridge.hpp"
#include "node_stop.hpp"

#include "core/text/quoted.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace shardtap {

namespace {

void select_or_exit(Catch::IConfig const& config) {
    if (select_in_listener(config)) return;
    std::fflush(stderr);
    std::exit(1);  // before any reporter began its report
}

}  // namespace

SelectionListener::SelectionListener(Catch::IConfig const* config) : EventListenerBase(config) {
    // An invalid spec: Catch2 reports it next and lists nothing.
    if (catch2_bridge::lists_tests(*config) && config->testSpec().getInvalidSpecs().empty()) {
        select_or_exit(*config);
    }
}

void SelectionListener::testRunStarting(Catch::TestRunInfo const&) { select_or_exit(*m_config); }

void SelectionListener::testCaseStarting(Catch::TestCaseInfo const& info) {
    if (in_share(info)) return;
    auto const& applied = applied_selection();
    stop_node(fmt::format(
        "Catch2 {} started test case {}, which is not in node {} of {}'s share (it was "
        "registered after the split, or this Catch2 picks its test cases before shardtap's "
        "listener can select); stopping, so that no test case runs on two nodes",
        catch2_bridge::catch2_version(), in_quotes(info.name), applied ? applied->node.index : 0,
        applied ? applied->node.total : 1));
}

}  // namespace shardtap
