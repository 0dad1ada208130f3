#include <shardtap/selection.hpp>

#include "applied_selection.hpp"
#include "environment.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_session.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_spec.hpp>
#include <catch2/interfaces/catch_interfaces_registry_hub.hpp>
#include <catch2/interfaces/catch_interfaces_testcase.hpp>
#include <fmt/format.h>

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

TestKey key_of(Catch::TestCaseInfo const& info) {
    return {info.name, std::string(info.className), info.tagsAsString()};
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
    try {
        node = resolve_node(environment, ShardArguments{data.shardCount, data.shardIndex});
    } catch (NodeError const& error) {
        fmt::print(stderr, "{}\n", error.what());
        return 1;
    }
    data.shardCount = 1;
    data.shardIndex = 0;
    consume_bazel_sharding(environment);
    current = AppliedSelection{node};
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

    std::vector<TestKey> keys;
    keys.reserve(suite.size());
    for (auto const* info : suite) keys.push_back(key_of(*info));
    auto const split = split_suite(keys, node, current->strategy);
    auto const& share = split.share;

    std::unordered_set<Catch::TestCaseInfo const*> selected;
    selected.reserve(share.size());
    for (auto position : share) selected.insert(suite[position]);
    // Hiding everything else and dropping the user's filters (already applied above) keeps
    // this linear; exact-name test specs would be quadratic in the number of test cases.
    for (auto* info : Catch::getRegistryHub().getTestCaseRegistry().getAllInfos()) {
        set_hidden(*info, selected.count(info) == 0);
    }
    data.testsOrTags.clear();
    if (share.empty()) data.allowZeroTests = true;  // an empty share passes

    current->fingerprint = split.fingerprint;
    current->selected = share.size();
    current->candidates = suite.size();
    fmt::print(stderr, "shardtap: node {} of {} (0-based, from {}), {}: {} of {} test cases, split {}\n",
               node.index, node.total, node.provider, to_string(current->strategy), share.size(),
               suite.size(), current->fingerprint);
    return 0;
}

}  // namespace shardtap
