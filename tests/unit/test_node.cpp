#include "core/split/node.hpp"

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
    CHECK_THAT(message, ContainsSubstring("CI_NODE_TOTAL=\"4\\n2\""));
}

TEST_CASE("the largest accepted total") {
    auto node = resolve_node({{"CI_NODE_TOTAL", "2147483647"}, {"CI_NODE_INDEX", "2147483646"}});
    CHECK(node.total == 2147483647);
    CHECK_THAT(error_for({{"CI_NODE_TOTAL", "2147483648"}, {"CI_NODE_INDEX", "0"}}),
               ContainsSubstring("too large"));
}

TEST_CASE("each CI system's variables, converted to a 0-based index") {
    struct Case {
        Environment environment;
        std::string provider;
        std::size_t index;
        std::size_t total;
    };
    auto [environment, provider, index, total] = GENERATE(
        Case{{{"GITLAB_CI", "true"}, {"CI_NODE_TOTAL", "3"}, {"CI_NODE_INDEX", "1"}}, "GitLab CI", 0, 3},
        Case{{{"GITLAB_CI", "true"}, {"CI_NODE_TOTAL", "3"}, {"CI_NODE_INDEX", "3"}}, "GitLab CI", 2, 3},
        Case{{{"CIRCLE_NODE_TOTAL", "4"}, {"CIRCLE_NODE_INDEX", "0"}}, "CircleCI", 0, 4},
        Case{{{"CIRCLE_NODE_TOTAL", "4"}, {"CIRCLE_NODE_INDEX", "3"}}, "CircleCI", 3, 4},
        Case{{{"BUILDKITE_PARALLEL_JOB_COUNT", "5"}, {"BUILDKITE_PARALLEL_JOB", "4"}}, "Buildkite", 4, 5},
        Case{{{"SEMAPHORE_JOB_COUNT", "2"}, {"SEMAPHORE_JOB_INDEX", "1"}}, "Semaphore", 0, 2},
        Case{{{"SEMAPHORE_JOB_COUNT", "2"}, {"SEMAPHORE_JOB_INDEX", "2"}}, "Semaphore", 1, 2},
        Case{{{"SYSTEM_TOTALJOBSINPHASE", "6"}, {"SYSTEM_JOBPOSITIONINPHASE", "1"}}, "Azure Pipelines", 0, 6},
        Case{{{"SYSTEM_TOTALJOBSINPHASE", "6"}, {"SYSTEM_JOBPOSITIONINPHASE", "6"}}, "Azure Pipelines", 5, 6},
        Case{{{"TEST_TOTAL_SHARDS", "3"}, {"TEST_SHARD_INDEX", "2"}}, "Bazel", 2, 3},
        Case{{{"CI_NODE_TOTAL", "32"}, {"CI_NODE_INDEX", "31"}}, "Heroku CI", 31, 32});
    CAPTURE(provider);
    auto node = resolve_node(environment);
    CHECK(node.provider == provider);
    CHECK(node.index == index);
    CHECK(node.total == total);
}

TEST_CASE("1-based CI systems reject index 0 and total + 1") {
    auto [environment, problem] = GENERATE(
        std::pair<Environment, std::string>{{{"GITLAB_CI", "true"}, {"CI_NODE_TOTAL", "3"}, {"CI_NODE_INDEX", "0"}},
                                            "(GitLab CI): CI_NODE_INDEX must be from 1 to 3 (1-based)"},
        std::pair<Environment, std::string>{{{"SEMAPHORE_JOB_COUNT", "2"}, {"SEMAPHORE_JOB_INDEX", "3"}},
                                            "(Semaphore): SEMAPHORE_JOB_INDEX must be from 1 to 2 (1-based)"},
        std::pair<Environment, std::string>{{{"SYSTEM_TOTALJOBSINPHASE", "2"}, {"SYSTEM_JOBPOSITIONINPHASE", "0"}},
                                            "(Azure Pipelines): SYSTEM_JOBPOSITIONINPHASE must be from 1 to 2 (1-based)"},
        std::pair<Environment, std::string>{{{"CIRCLE_NODE_TOTAL", "2"}, {"CIRCLE_NODE_INDEX", "2"}},
                                            "(CircleCI): CIRCLE_NODE_INDEX must be from 0 to 1 (0-based)"},
        std::pair<Environment, std::string>{{{"BUILDKITE_PARALLEL_JOB_COUNT", "2"}},
                                            "(Buildkite): BUILDKITE_PARALLEL_JOB_COUNT is set but BUILDKITE_PARALLEL_JOB is not"},
        std::pair<Environment, std::string>{{{"TEST_SHARD_INDEX", "0"}},
                                            "(Bazel): TEST_SHARD_INDEX is set but TEST_TOTAL_SHARDS is not"},
        std::pair<Environment, std::string>{{{"CIRCLE_NODE_TOTAL", "x"}, {"CIRCLE_NODE_INDEX", "0"}},
                                            "(CircleCI): CIRCLE_NODE_TOTAL is not a whole number"});
    CHECK_THAT(error_for(environment), ContainsSubstring(problem));
}

TEST_CASE("GitLab CI without parallel: sets only CI_NODE_TOTAL=1, which is one node") {
    auto node = resolve_node({{"GITLAB_CI", "true"}, {"CI_NODE_TOTAL", "1"}});
    CHECK(node.total == 1);
    CHECK(node.index == 0);
    CHECK(node.provider == "GitLab CI");
    SECTION("but a larger total without an index is still an error") {
        CHECK_THAT(error_for({{"GITLAB_CI", "true"}, {"CI_NODE_TOTAL", "2"}}),
                   ContainsSubstring("CI_NODE_TOTAL is set but CI_NODE_INDEX is not"));
    }
    SECTION("Heroku CI gets no such allowance: it always sets both") {
        CHECK_THAT(error_for({{"CI_NODE_TOTAL", "1"}}), ContainsSubstring("(Heroku CI)"));
    }
}

TEST_CASE("GitLab CI jobs without parallel and no CI_NODE_* run everything") {
    auto node = resolve_node({{"GITLAB_CI", "true"}, {"CI", "true"}});
    CHECK(node.total == 1);
    CHECK(node.provider == "none");
}

TEST_CASE("when two CI systems' variables disagree, the documented precedence decides") {
    Environment both{{"CIRCLE_NODE_TOTAL", "4"}, {"CIRCLE_NODE_INDEX", "1"},
                     {"TEST_TOTAL_SHARDS", "3"},  {"TEST_SHARD_INDEX", "2"},
                     {"CI_NODE_TOTAL", "12"},     {"CI_NODE_INDEX", "7"}};
    CHECK(resolve_node(both).provider == "CircleCI");
    both.erase("CIRCLE_NODE_TOTAL");
    both.erase("CIRCLE_NODE_INDEX");
    CHECK(resolve_node(both).provider == "Bazel");
    both.erase("TEST_TOTAL_SHARDS");
    both.erase("TEST_SHARD_INDEX");
    CHECK(resolve_node(both).provider == "Heroku CI");
    both["GITLAB_CI"] = "true";
    auto gitlab = resolve_node(both);
    CHECK(gitlab.provider == "GitLab CI");
    CHECK(gitlab.index == 6);
    both["SHARDTAP_NODE_TOTAL"] = "2";
    both["SHARDTAP_NODE_INDEX"] = "1";
    CHECK(resolve_node(both).provider == "shardtap");
}
