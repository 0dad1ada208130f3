#include "node_process.hpp"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <string>
#include <vector>

using shardtap::tools::node_environment;

namespace {
std::vector<std::string> with_name(std::vector<std::string> const& environment, std::string const& name) {
    std::vector<std::string> found;
    std::copy_if(environment.begin(), environment.end(), std::back_inserter(found),
                 [&](std::string const& entry) { return entry.rfind(name + "=", 0) == 0; });
    return found;
}
}  // namespace

TEST_CASE("a node's environment: its node variables replace the inherited ones") {
    char const* inherited[] = {"PATH=/bin", "CI_NODE_TOTAL=99", "CI_NODE_INDEX=98", "SHARDTAP_NODE_INDEX=7",
                               "HOME=/home/me", nullptr};
    auto const environment = node_environment(inherited, 2, 3);
    CHECK(with_name(environment, "PATH") == std::vector<std::string>{"PATH=/bin"});
    CHECK(with_name(environment, "HOME") == std::vector<std::string>{"HOME=/home/me"});
    CHECK(with_name(environment, "SHARDTAP_NODE_TOTAL") == std::vector<std::string>{"SHARDTAP_NODE_TOTAL=3"});
    CHECK(with_name(environment, "SHARDTAP_NODE_INDEX") == std::vector<std::string>{"SHARDTAP_NODE_INDEX=2"});
    CHECK(with_name(environment, "CI_NODE_TOTAL") == std::vector<std::string>{"CI_NODE_TOTAL=3"});
    CHECK(with_name(environment, "CI_NODE_INDEX") == std::vector<std::string>{"CI_NODE_INDEX=2"});
}

TEST_CASE("an inherited SHARDTAP_DURATIONS_OUT never reaches a node; --durations sets one per node") {
    char const* inherited[] = {"SHARDTAP_DURATIONS_OUT=/shared/durations.json", "SHARDTAP_DURATIONS=/in.json",
                               nullptr};
    SECTION("without --durations: none") {
        auto const environment = node_environment(inherited, 0, 2);
        CHECK(with_name(environment, "SHARDTAP_DURATIONS_OUT").empty());
        CHECK(with_name(environment, "SHARDTAP_DURATIONS") == std::vector<std::string>{"SHARDTAP_DURATIONS=/in.json"});
    }
    SECTION("with --durations: this node's file only") {
        auto const environment = node_environment(inherited, 1, 2, std::string("/out/node-1.durations.json"));
        CHECK(with_name(environment, "SHARDTAP_DURATIONS_OUT") ==
              std::vector<std::string>{"SHARDTAP_DURATIONS_OUT=/out/node-1.durations.json"});
    }
}
