#include <shardtap/node.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using shardtap::Environment;
using shardtap::NodeError;
using shardtap::resolve_node;
using shardtap::ShardArguments;
using Catch::Matchers::ContainsSubstring;

namespace {
std::string error_for(Environment const& environment,
                      std::optional<ShardArguments> command_line = std::nullopt) {
    try {
        resolve_node(environment, command_line);
    } catch (NodeError const& error) {
        return error.what();
    }
    FAIL("no NodeError was thrown");
    return {};
}
}  // namespace

TEST_CASE("no variables: one node, the whole suite") {
    auto node = resolve_node({{"PATH", "/usr/bin"}, {"CI", "true"}});
    CHECK(node.index == 0);
    CHECK(node.total == 1);
    CHECK(node.provider == "none");
}

TEST_CASE("Heroku CI's CI_NODE_TOTAL and CI_NODE_INDEX are 0-based") {
    auto node = resolve_node({{"CI_NODE_TOTAL", "12"}, {"CI_NODE_INDEX", "0"}});
    CHECK(node.index == 0);
    CHECK(node.total == 12);
    CHECK(node.provider == "Heroku CI");
    CHECK(resolve_node({{"CI_NODE_TOTAL", "12"}, {"CI_NODE_INDEX", "11"}}).index == 11);
}

TEST_CASE("SHARDTAP_NODE_* take precedence over the CI's variables") {
    auto node = resolve_node({{"CI_NODE_TOTAL", "12"},
                              {"CI_NODE_INDEX", "3"},
                              {"SHARDTAP_NODE_TOTAL", "4"},
                              {"SHARDTAP_NODE_INDEX", "2"}});
    CHECK(node.index == 2);
    CHECK(node.total == 4);
    CHECK(node.provider == "shardtap");
}

TEST_CASE("Catch2's --shard-count/--shard-index take precedence over every variable") {
    Environment environment{{"SHARDTAP_NODE_TOTAL", "4"}, {"SHARDTAP_NODE_INDEX", "2"}};
    auto node = resolve_node(environment, ShardArguments{5, 1});
    CHECK(node.index == 1);
    CHECK(node.total == 5);
    CHECK(node.provider == "command line");
    SECTION("their defaults (1, 0) mean they were not given") {
        CHECK(resolve_node(environment, ShardArguments{1, 0}).provider == "shardtap");
    }
    SECTION("an index beyond the count is an error naming both") {
        auto message = error_for({}, ShardArguments{3, 3});
        CHECK_THAT(message, ContainsSubstring("--shard-count 3 --shard-index 3"));
        CHECK_THAT(message, ContainsSubstring("from 0 to 2"));
    }
}

TEST_CASE("bad values stop the node with one line naming variables, values and CI") {
    struct Case {
        Environment environment;
        std::string problem;
    };
    auto [environment, problem] = GENERATE(
        Case{{{"CI_NODE_TOTAL", ""}, {"CI_NODE_INDEX", "0"}}, "CI_NODE_TOTAL is empty"},
        Case{{{"CI_NODE_TOTAL", "4"}, {"CI_NODE_INDEX", ""}}, "CI_NODE_INDEX is empty"},
        Case{{{"CI_NODE_TOTAL", "four"}, {"CI_NODE_INDEX", "0"}}, "CI_NODE_TOTAL is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "4"}, {"CI_NODE_INDEX", "-1"}}, "CI_NODE_INDEX is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "+4"}, {"CI_NODE_INDEX", "1"}}, "CI_NODE_TOTAL is not a whole number"},
        Case{{{"CI_NODE_TOTAL", " 4"}, {"CI_NODE_INDEX", "1"}}, "CI_NODE_TOTAL is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "4 "}, {"CI_NODE_INDEX", "1"}}, "CI_NODE_TOTAL is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "4"}, {"CI_NODE_INDEX", "1.0"}}, "CI_NODE_INDEX is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "0x4"}, {"CI_NODE_INDEX", "1"}}, "CI_NODE_TOTAL is not a whole number"},
        Case{{{"CI_NODE_TOTAL", "99999999999999999999"}, {"CI_NODE_INDEX", "1"}}, "CI_NODE_TOTAL is too large"},
        Case{{{"CI_NODE_TOTAL", "0"}, {"CI_NODE_INDEX", "0"}}, "CI_NODE_TOTAL must be at least 1"},
        Case{{{"CI_NODE_TOTAL", "4"}, {"CI_NODE_INDEX", "4"}}, "CI_NODE_INDEX must be from 0 to 3 (0-based)"},
        Case{{{"CI_NODE_TOTAL", "4"}}, "CI_NODE_TOTAL is set but CI_NODE_INDEX is not"},
        Case{{{"CI_NODE_INDEX", "1"}}, "CI_NODE_INDEX is set but CI_NODE_TOTAL is not"},
        Case{{{"SHARDTAP_NODE_TOTAL", "2"}, {"SHARDTAP_NODE_INDEX", "2"}},
             "SHARDTAP_NODE_INDEX must be from 0 to 1 (0-based)"});
    CAPTURE(problem);
    auto message = error_for(environment);
    CHECK_THAT(message, ContainsSubstring(problem));
    CHECK(message.find('\n') == std::string::npos);
    auto const provider = environment.count("SHARDTAP_NODE_TOTAL") ? "(shardtap)" : "(Heroku CI)";
    CHECK_THAT(message, ContainsSubstring(provider));
    for (auto const& [name, value] : environment) {
        CHECK_THAT(message, ContainsSubstring(name + "=\"" + value + "\""));
    }
}

TEST_CASE("an unset half of a pair is named as unset") {
    CHECK_THAT(error_for({{"CI_NODE_TOTAL", "4"}}), ContainsSubstring("CI_NODE_INDEX=unset"));
}

TEST_CASE("control characters in a value never break the error's line") {
    auto message = error_for({{"CI_NODE_TOTAL", "4\n2"}, {"CI_NODE_INDEX", "0"}});
    CHECK(message.find('\n') == std::string::npos);
    CHECK_THAT(message, ContainsSubstring("CI_NODE_TOTAL=\"4\\x0a2\""));
}

TEST_CASE("the largest accepted total") {
    auto node = resolve_node({{"CI_NODE_TOTAL", "2147483647"}, {"CI_NODE_INDEX", "2147483646"}});
    CHECK(node.total == 2147483647);
    CHECK_THAT(error_for({{"CI_NODE_TOTAL", "2147483648"}, {"CI_NODE_INDEX", "0"}}),
               ContainsSubstring("too large"));
}
