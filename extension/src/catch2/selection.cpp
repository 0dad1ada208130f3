// This node's share of the test cases, for all three ways in: apply_selection (shardtap::main, a
// custom main) and the selection listener (a binary that only links shardtap) take the same
// steps below; only how each reaches Catch2's configuration differs.
#include <shardtap/selection.hpp>

#include "applied_selection.hpp"
#include "catch2_bridge.hpp"
#include "command_line_options.hpp"

#include "core/durations/durations.hpp"
#include "core/split/settings.hpp"
#include "core/text/text_arena.hpp"
#include "core/text/quoted.hpp"
#include "posix/durations_file.hpp"
#include "posix/environment.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_session.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_spec.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace shardtap {
namespace {

std::optional<AppliedSelection> current;
// This node's share, sorted by address, once a split was applied: the safety net's reference.
std::optional<std::vector<Catch::TestCaseInfo const*>> current_share;

using Suite = std::vector<Catch::TestCaseInfo const*>;

struct NodeRequest {
    Node node;
    SplitSettings settings;
    std::optional<Durations> durations;
};

// Step 1: which node this is and how to split, from the variables and options. A bad value is
// one line on stderr and no request.
std::optional<NodeRequest> read_request(ShardArguments shard_arguments) {
    auto const environment = process_environment();
    NodeRequest request;
    try {
        request.node = resolve_node(environment, shard_arguments);
        request.settings = resolve_split_settings(environment, command_line_arguments());
        // Read even on a single node: a bad file is an error wherever it is given, so it can
        // never change one node's split and not another's.
        if (request.settings.durations_file) request.durations = read_durations(*request.settings.durations_file);
    } catch (std::runtime_error const& error) {  // NodeError, SettingsError, DurationsError
        fmt::print(stderr, "{}\n", error.what());
        return std::nullopt;
    }
    return request;
}

// Step 2: the node is decided; Catch2 must not split by Bazel's variables a second time.
void start(NodeRequest const& request) {
    catch2_bridge::consume_bazel_variables();
    current = AppliedSelection{request.node, request.settings.strategy};
}

// Whether two test cases' tags are written alike (their tagsAsString() are equal), without
// joining them. Exactly: Catch2's own comparison of tags ignores case.
bool same_tags(Catch::TestCaseInfo const& a, Catch::TestCaseInfo const& b) {
    return std::equal(a.tags.begin(), a.tags.end(), b.tags.begin(), b.tags.end(),
                      [](Catch::Tag const& x, Catch::Tag const& y) { return x.original == y.original; });
}

// Step 3: the keys the core splits by. They view the registry's names; the tags, which the
// registry keeps only piecewise, are joined into an arena, where test cases in a row with the
// same tags (the usual case) share one copy, joined once: at 100,000 test cases the memory
// touched costs more than the work.
std::vector<TestIdentityView> keys_of(Suite const& suite, TextArena& tag_arena) {
    std::vector<TestIdentityView> keys;
    keys.reserve(suite.size());
    std::string_view previous_tags;
    Catch::TestCaseInfo const* previous = nullptr;
    for (auto const* info : suite) {
        if (!previous || !same_tags(*info, *previous)) previous_tags = tag_arena.keep(info->tagsAsString());
        previous = info;
        auto const& class_name = info->className;
        keys.push_back({info->name, {class_name.data(), class_name.size()}, previous_tags});
    }
    return keys;
}

// Step 4: what the split predicts for this node and the heaviest, when durations were given.
std::string record_prediction(Split const& split, std::size_t index) {
    auto const& loads = split.predicted_microseconds;
    if (loads.empty()) return {};
    current->predicted_seconds = index < loads.size() ? loads[index] / 1e6 : 0.0;
    current->heaviest_predicted_seconds = *std::max_element(loads.begin(), loads.end()) / 1e6;
    return fmt::format(", predicted {:.4g} s (heaviest node {:.4g} s)", *current->predicted_seconds,
                       *current->heaviest_predicted_seconds);
}

// Step 5: split the suite and announce the result; returns this node's share, in canonical
// order.
Suite split_and_announce(Suite const& suite, NodeRequest const& request) {
    TextArena tag_arena;
    auto const keys = keys_of(suite, tag_arena);
    auto const& node = request.node;
    auto const result = split_suite(keys, node.total, request.settings.strategy,
                                    request.durations ? &*request.durations : nullptr);
    Suite share;
    if (node.index < result.shares.size()) {
        for (auto position : result.shares[node.index]) share.push_back(suite[position]);
    }
    current->fingerprint = result.fingerprint;
    current->candidates = suite.size();
    auto const prediction = record_prediction(result, node.index);
    fmt::print(stderr, "shardtap: node {} of {} (0-based, from {}), {}: {} of {} test cases{}, split {}\n",
               node.index, node.total, node.provider, to_string(current->strategy), share.size(),
               suite.size(), prediction, current->fingerprint);
    return share;
}

// The rule that makes ctest exact: a run given its test cases by name (as ctest starts each
// test that Catch2's catch_discover_tests registered) takes them from this node's share of the
// whole suite, the same whatever else that run's command line filters. Splitting the one named
// test case on its own would give every node but the first nothing to run.
Suite named_share(Suite const& named, NodeRequest const& request) {
    auto share = split_and_announce(catch2_bridge::unhidden_test_cases(), request);
    share.erase(std::remove_if(share.begin(), share.end(), [&](auto const* info) {
        return std::find(named.begin(), named.end(), info) == named.end();
    }), share.end());
    return share;
}

// Step 6: hide every test case outside the share (linear; exact-name specs would be quadratic in
// the number of test cases), and keep the share for the safety net. Returns the share's size.
std::size_t keep_share(Suite share) {
    catch2_bridge::hide_all_but(share);
    std::sort(share.begin(), share.end(), std::less<>());
    current->selected = share.size();
    current_share = std::move(share);
    return current->selected;
}

// Steps 5 and 6 for the run's test cases; returns the share's size. None when the run names test
// cases that are not this node's (one line on stderr says so): running nothing would pass a
// CTest test whose test case never ran.
std::optional<std::size_t> select_share(Catch::IConfig const& config, Suite const& suite,
                                  NodeRequest const& request) {
    auto const name = catch2_bridge::named_test_cases(config, suite);
    if (!name) return keep_share(split_and_announce(suite, request));
    auto const selected = keep_share(named_share(suite, request));
    if (selected > 0 || catch2_bridge::lists_tests(config)) return selected;
    fmt::print(stderr,
               "shardtap: test case {} is not in node {} of {}'s share of the whole suite (from {}), "
               "and a run given test cases by name runs only its own node's: this is how ctest runs "
               "the tests of Catch2's catch_discover_tests, which registers every test case on "
               "every node. Register them with shardtap_discover_tests(TARGET) instead, which "
               "registers only this node's share\n",
               in_quotes(*name), request.node.index, request.node.total, request.node.provider);
    return std::nullopt;
}

void report_unmatched(std::vector<std::string> const& unmatched) {
    for (auto const& pattern : unmatched) fmt::print(stderr, "shardtap: no test cases matched {}\n", in_quotes(pattern));
}

}  // namespace

std::optional<AppliedSelection> const& applied_selection() { return current; }

int apply_selection(Catch::Session& session) {
    auto& data = session.configData();
    if (data.showHelp || data.libIdentify) return 0;
    auto const request = read_request(ShardArguments{data.shardCount, data.shardIndex});
    if (!request) return 1;
    catch2_bridge::reset_shard_values(data);
    start(*request);
    if (request->node.total == 1) return 0;

    catch2_bridge::add_filename_tags(data);
    Catch::Config config(data);
    if (!config.testSpec().getInvalidSpecs().empty()) return 0;  // Catch2 reports them
    std::vector<std::string> unmatched;
    auto const suite = catch2_bridge::candidates(config, unmatched);
    if (suite.empty()) return 0;  // nothing matched at all: Catch2's own message and status
    report_unmatched(unmatched);
    if (!unmatched.empty() && config.warnAboutUnmatchedTestSpecs()) return 3;

    auto const selected = select_share(config, suite, *request);
    if (!selected) return 1;
    data.testsOrTags.clear();  // applied above; hidden test cases must not match again
    catch2_bridge::forget_bazel_filter();
    if (*selected == 0) data.allowZeroTests = true;  // an empty share passes
    return 0;
}

bool select_in_listener(Catch::IConfig const& config) {
    if (current) return true;  // apply_selection decided
    auto const request = read_request(catch2_bridge::shard_arguments(config));
    if (!request) return false;
    catch2_bridge::reset_shard_values(config);
    start(*request);
    if (request->node.total == 1) return true;

    std::vector<std::string> unmatched;
    auto const suite = catch2_bridge::candidates(config, unmatched);
    if (suite.empty()) return true;  // nothing matched at all: Catch2's own message and status
    auto const selected = select_share(config, suite, *request);
    if (!selected) return false;
    // Catch2 reports the unmatched filters itself (and exits 3 with -w UnmatchedTestSpec).
    catch2_bridge::respec(config, unmatched, *selected == 0);
    catch2_bridge::forget_bazel_filter();
    if (*selected == 0 && !config.zeroTestsCountAsSuccess() && !catch2_bridge::lists_tests(config)) {
        fmt::print(stderr,
                   "shardtap: this node has no test cases; Catch2 will exit 2 (no tests ran), which "
                   "a listener cannot change: add --allow-running-no-tests to the command, or link "
                   "shardtap::main, for an empty node to pass\n");
    }
    return true;
}

bool in_share(Catch::TestCaseInfo const& info) {
    return !current_share || std::binary_search(current_share->begin(), current_share->end(), &info,
                                                std::less<>());
}

}  // namespace shardtap
