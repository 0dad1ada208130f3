#include "run/node_process.hpp"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <memory>
#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

#include <signal.h>
#include <string>
#include <vector>

using shardtap::tools::node_environment;
using shardtap::tools::NodeProcess;

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
        auto const environment = node_environment(inherited, 1, 2, {std::string("/out/node-1.durations.json")});
        CHECK(with_name(environment, "SHARDTAP_DURATIONS_OUT") ==
              std::vector<std::string>{"SHARDTAP_DURATIONS_OUT=/out/node-1.durations.json"});
    }
}

TEST_CASE("each node gets its own TMPDIR, and --timeout as SHARDTAP_TEST_TIMEOUT") {
    char const* inherited[] = {"TMPDIR=/tmp", "SHARDTAP_TEST_TIMEOUT=5", nullptr};
    SECTION("both set") {
        auto const environment = node_environment(inherited, 1, 2, {std::nullopt, std::string("/out/node-1.tmp"),
                                                                     std::string("2.5")});
        CHECK(with_name(environment, "TMPDIR") == std::vector<std::string>{"TMPDIR=/out/node-1.tmp"});
        CHECK(with_name(environment, "SHARDTAP_TEST_TIMEOUT") ==
              std::vector<std::string>{"SHARDTAP_TEST_TIMEOUT=2.5"});
    }
    SECTION("neither set: the inherited values stay") {
        auto const environment = node_environment(inherited, 1, 2);
        CHECK(with_name(environment, "TMPDIR") == std::vector<std::string>{"TMPDIR=/tmp"});
        CHECK(with_name(environment, "SHARDTAP_TEST_TIMEOUT") == std::vector<std::string>{"SHARDTAP_TEST_TIMEOUT=5"});
    }
}

namespace {
bool exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

std::unique_ptr<NodeProcess> sleeper() {
    return std::make_unique<NodeProcess>("/bin/sleep", std::vector<std::string>{"sleep", "30"},
                                         std::vector<std::string>{}, "/dev/null", "/dev/null");
}

bool ends_within_seconds(NodeProcess& node, int seconds) {
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!node.poll()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}
}  // namespace

TEST_CASE("a node process destroyed while it runs is killed and reaped") {
    auto node = sleeper();
    pid_t const pid = node->pid();
    REQUIRE(exists(pid));
    CHECK_FALSE(node->poll());
    node.reset();
    CHECK_FALSE(exists(pid));  // not even a zombie: reaped
}

TEST_CASE("a node process stopped with a signal says so in its exit") {
    auto node = sleeper();
    CHECK(node->stop(SIGTERM));
    REQUIRE(ends_within_seconds(*node, 10));
    REQUIRE(node->exit());
    CHECK(node->exit()->signal == SIGTERM);
    CHECK(node->exit()->status == 128 + SIGTERM);
    CHECK(node->exit()->stopped_with == SIGTERM);
    CHECK_FALSE(node->stop(SIGKILL));  // it has ended: nothing to stop
}
