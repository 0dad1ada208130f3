// This node's share of the test cases, for all three ways in: apply_selection (shardtap::main, a
// custom main) and the selection listener (a binary that only links shardtap) take the same
// steps below; only how each reaches Catch2's configuration differs.
#include <shardtap/selection.hpp>

#include "applied_selection.hpp"
#include "catch2_bridge.hpp"
#include "command_line_options.hpp"

#include "core/durations/durations.hpp"
#include "core/split/settings.hpp"
#include "posix/durations_file.hpp"
#include "posix/environment.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_session.hpp>
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

// Step 3: the keys the core splits by. They view the registry's names; the tags, which the
// registry keeps only piecewise, are joined into one arena (one allocation, not one per test
// case: at 100,000 test cases the memory touched costs more than the work).
std::vector<TestIdentityView> keys_of(Suite const& suite, std::string& tag_arena) {
    std::vector<std::size_t> tag_ends;
    tag_ends.reserve(suite.size());
    for (auto const* info : suite) {
        tag_arena += info->tagsAsString();
        tag_ends.push_back(tag_arena.size());
    }
    std::vector<TestIdentityView> keys;
    keys.reserve(suite.size());
    for (std::size_t i = 0, begin = 0; i < suite.size(); begin = tag_ends[i++]) {
        auto const& class_name = suite[i]->className;
        keys.push_back({suite[i]->name, {class_name.data(), class_name.size()},
                        std::string_view(tag_arena).substr(begin, tag_ends[i] - begin)});
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

// Step 5: split the suite, hide every test case outside this node's share (linear; exact-name
// specs would be quadratic in the number of test cases), record and announce the result.
// Returns the share's size.
std::size_t split_and_hide(Suite const& suite, NodeRequest const& request) {
    std::string tag_arena;
    auto const keys = keys_of(suite, tag_arena);
    auto const& node = request.node;
    auto const split = split_suite(keys, node.total, request.settings.strategy,
                                   request.durations ? &*request.durations : nullptr);
    std::vector<std::size_t> const nothing;
    auto const& positions = node.index < split.shares.size() ? split.shares[node.index] : nothing;

    Suite share;
    share.reserve(positions.size());
    for (auto position : positions) share.push_back(suite[position]);
    catch2_bridge::hide_all_but(share);
    std::sort(share.begin(), share.end(), std::less<>());
    current_share = std::move(share);

    current->fingerprint = split.fingerprint;
    current->selected = positions.size();
    current->candidates = suite.size();
    auto const prediction = record_prediction(split, node.index);
    fmt::print(stderr, "shardtap: node {} of {} (0-based, from {}), {}: {} of {} test cases{}, split {}\n",
               node.index, node.total, node.provider, to_string(current->strategy), positions.size(),
               suite.size(), prediction, current->fingerprint);
    return positions.size();
}

void report_unmatched(std::vector<std::string> const& unmatched) {
    for (auto const& pattern : unmatched) fmt::print(stderr, "shardtap: no test cases matched '{}'\n", pattern);
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

    auto const selected = split_and_hide(suite, *request);
    data.testsOrTags.clear();  // applied above; hidden test cases must not match again
    catch2_bridge::forget_bazel_filter();
    if (selected == 0) data.allowZeroTests = true;  // an empty share passes
    return 0;
}

bool select_in_listener(Catch::IConfig const& config) {
    if (current) return true;  // apply_selection decided
    if (config.shardCount() > 1) {
        // Catch2 splits after the listeners (createShard) and a listener cannot stop it.
        fmt::print(stderr,
                   "shardtap: Catch2 splits this run itself (shard {} of {}, from --shard-count/"
                   "--shard-index or Bazel's variables); shardtap does not split it again. Link "
                   "shardtap::main to have shardtap split by these values.\n",
                   config.shardIndex(), config.shardCount());
        return true;
    }
    auto const request = read_request(ShardArguments{});
    if (!request) return false;
    start(*request);
    if (request->node.total == 1) return true;

    std::vector<std::string> unmatched;
    auto const suite = catch2_bridge::candidates(config, unmatched);
    if (suite.empty()) return true;  // nothing matched at all: Catch2's own message and status
    auto const selected = split_and_hide(suite, *request);
    // Catch2 reports the unmatched filters itself (and exits 3 with -w UnmatchedTestSpec).
    catch2_bridge::respec(config, unmatched, selected == 0);
    catch2_bridge::forget_bazel_filter();
    if (selected == 0 && !config.zeroTestsCountAsSuccess()) {
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
