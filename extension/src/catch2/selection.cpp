#include <shardtap/selection.hpp>

#include "applied_selection.hpp"
#include "command_line_options.hpp"
#include "posix/environment.hpp"

#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"
#include "core/split/settings.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_session.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_spec.hpp>
#include <catch2/interfaces/catch_interfaces_registry_hub.hpp>
#include <catch2/interfaces/catch_interfaces_testcase.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <unordered_set>
#include <vector>

namespace shardtap {
namespace {

std::optional<AppliedSelection> current;

void set_hidden(Catch::TestCaseInfo& info, bool hidden) {
    auto bits = static_cast<std::uint8_t>(info.properties);
    auto const flag = static_cast<std::uint8_t>(Catch::TestCaseProperties::IsHidden);
    bits = hidden ? (bits | flag) : (bits & ~flag);
    info.properties = static_cast<Catch::TestCaseProperties>(bits);
}


// Bazel's sharding variables are read again by Catch::Config when BAZEL_TEST is set; once
// they have decided the node here, Catch2 must not split a second time.
void consume_bazel_sharding(Environment const& environment) {
    auto status_file = environment.find("TEST_SHARD_STATUS_FILE");
    if (status_file != environment.end() && !status_file->second.empty()) {
        std::ofstream touch(status_file->second, std::ios::app);
    }
    unsetenv("TEST_TOTAL_SHARDS");
    unsetenv("TEST_SHARD_INDEX");
}

// The test cases Catch2 would run on a single node, exactly as its TestGroup picks them.
// Empty when the user's filters match nothing: Catch2 then reports that itself.
std::vector<Catch::TestCaseInfo const*> candidates(Catch::Config const& config,
                                                   std::vector<std::string>& unmatched) {
    auto const& all = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
    auto const& spec = config.testSpec();
    std::vector<Catch::TestCaseInfo const*> result;
    if (!spec.hasFilters()) {
        for (auto const& test : all) {
            if (!test.getTestCaseInfo().isHidden()) result.push_back(&test.getTestCaseInfo());
        }
        return result;
    }
    std::unordered_set<Catch::TestCaseInfo const*> seen;
    for (auto const& match : spec.matchesByFilter(all, config)) {
        if (match.tests.empty()) unmatched.push_back(match.name);
        for (auto const* test : match.tests) {
            if (seen.insert(&test->getTestCaseInfo()).second) {
                result.push_back(&test->getTestCaseInfo());
            }
        }
    }
    return result;
}

}  // namespace

std::optional<AppliedSelection> const& applied_selection() { return current; }

int apply_selection(Catch::Session& session) {
    auto& data = session.configData();
    if (data.showHelp || data.libIdentify) return 0;

    auto const environment = process_environment();
    Node node;
    SplitSettings settings;
    std::optional<Durations> durations;
    try {
        node = resolve_node(environment, ShardArguments{data.shardCount, data.shardIndex});
        settings = resolve_split_settings(environment, command_line_arguments());
        // Read even on a single node: a bad file is an error wherever it is given, so it can
        // never change one node's split and not another's.
        if (settings.durations_file) durations = read_durations(*settings.durations_file);
    } catch (std::runtime_error const& error) {  // NodeError, SettingsError, DurationsError
        fmt::print(stderr, "{}\n", error.what());
        return 1;
    }
    data.shardCount = 1;
    data.shardIndex = 0;
    consume_bazel_sharding(environment);
    current = AppliedSelection{node, settings.strategy};
    if (node.total == 1) return 0;

    if (data.filenamesAsTags) {
        for (auto* info : Catch::getRegistryHub().getTestCaseRegistry().getAllInfos()) {
            info->addFilenameTag();
        }
        data.filenamesAsTags = false;
    }

    Catch::Config config(data);
    if (!config.testSpec().getInvalidSpecs().empty()) return 0;  // Catch2 reports them
    std::vector<std::string> unmatched;
    auto const suite = candidates(config, unmatched);
    if (suite.empty()) return 0;  // nothing matched at all: Catch2's own message and status
    for (auto const& pattern : unmatched) {
        fmt::print(stderr, "shardtap: no test cases matched '{}'\n", pattern);
    }
    if (!unmatched.empty() && config.warnAboutUnmatchedTestSpecs()) return 3;

    // Keys view the registry's names; the tags, which the registry keeps only piecewise, are
    // joined into one arena (one allocation, not one per test case: at 100,000 test cases the
    // memory touched costs more than the work) and viewed once the arena stops growing.
    std::string tag_arena;
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
    auto const* const known = durations ? &*durations : nullptr;
    auto const split = split_suite(keys, node.total, current->strategy, known);
    std::vector<std::size_t> const nothing;
    auto const& share = node.index < split.shares.size() ? split.shares[node.index] : nothing;

    // Hiding everything else and dropping the user's filters (already applied above) keeps
    // this linear; exact-name test specs would be quadratic in the number of test cases.
    for (auto* info : Catch::getRegistryHub().getTestCaseRegistry().getAllInfos()) {
        set_hidden(*info, true);
    }
    // The registry hands out its infos as mutable (getAllInfos); the handles' const view of
    // the same objects is all `suite` kept.
    for (auto position : share) set_hidden(const_cast<Catch::TestCaseInfo&>(*suite[position]), false);
    data.testsOrTags.clear();
    // With BAZEL_TEST set, Catch::Config reads Bazel's --test_filter again and would put it
    // back over the cleared spec, selecting this node's hidden test cases again.
    unsetenv("TESTBRIDGE_TEST_ONLY");
    if (share.empty()) data.allowZeroTests = true;  // an empty share passes

    current->fingerprint = split.fingerprint;
    current->selected = share.size();
    current->candidates = suite.size();
    std::string prediction;
    if (auto const& loads = split.predicted_microseconds; !loads.empty()) {
        current->predicted_seconds = node.index < loads.size() ? loads[node.index] / 1e6 : 0.0;
        current->heaviest_predicted_seconds = *std::max_element(loads.begin(), loads.end()) / 1e6;
        prediction = fmt::format(", predicted {:.4g} s (heaviest node {:.4g} s)",
                                 *current->predicted_seconds, *current->heaviest_predicted_seconds);
    }
    fmt::print(stderr, "shardtap: node {} of {} (0-based, from {}), {}: {} of {} test cases{}, split {}\n",
               node.index, node.total, node.provider, to_string(current->strategy), share.size(),
               suite.size(), prediction, current->fingerprint);
    return 0;
}

}  // namespace shardtap
