#include "core/split/node.hpp"
#include "core/text/numbers.hpp"
#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace shardtap {
namespace {

// One row per CI system; adding a CI is adding a row. The first row whose variables are
// present decides, so the order is the documented precedence: explicit shardtap variables,
// then CI systems recognised by variables of their own, then the generic CI_NODE_* pair.
struct Provider {
    std::string_view name;
    std::string_view total_variable;
    std::string_view index_variable;
    std::size_t first_index;            // 0 or 1: the value of the first node's index
    std::string_view marker = {};       // only when this variable is set too
    bool single_node_without_index = false;  // total 1 may come without an index
};

constexpr Provider providers[] = {
    {"shardtap", "SHARDTAP_NODE_TOTAL", "SHARDTAP_NODE_INDEX", 0},
    {"GitLab CI", "CI_NODE_TOTAL", "CI_NODE_INDEX", 1, "GITLAB_CI", true},
    {"CircleCI", "CIRCLE_NODE_TOTAL", "CIRCLE_NODE_INDEX", 0},
    {"Buildkite", "BUILDKITE_PARALLEL_JOB_COUNT", "BUILDKITE_PARALLEL_JOB", 0},
    {"Semaphore", "SEMAPHORE_JOB_COUNT", "SEMAPHORE_JOB_INDEX", 1},
    {"Azure Pipelines", "SYSTEM_TOTALJOBSINPHASE", "SYSTEM_JOBPOSITIONINPHASE", 1},
    {"Bazel", "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", 0},
    {"Heroku CI", "CI_NODE_TOTAL", "CI_NODE_INDEX", 0},
};

constexpr std::size_t largest_value = INT32_MAX;

std::optional<std::string> variable_value(Environment const& environment, std::string_view name) {
    auto found = environment.find(std::string(name));
    if (found == environment.end()) return std::nullopt;
    return found->second;
}

// The value of a variable, for an error message.
std::string value_or_unset(std::optional<std::string> const& value) {
    return value ? in_quotes(*value) : "unset";
}

std::optional<std::size_t> whole_number(std::string const& text, std::string_view variable,
                                        std::string& problem) {
    auto const number = read_whole_number(text, largest_value);
    if (number.problem) {
        problem = fmt::format("{} {}", variable, describe(*number.problem, true));
        return std::nullopt;
    }
    return number.value;
}

[[noreturn]] void fail_node(Provider const& provider, std::string const& problem,
                            std::optional<std::string> const& total,
                            std::optional<std::string> const& index) {
    throw NodeError(fmt::format("shardtap: bad node configuration ({}): {}; got {}={} {}={}",
                                provider.name, problem, provider.total_variable, value_or_unset(total),
                                provider.index_variable, value_or_unset(index)));
}

Node from_variables(Provider const& provider, std::optional<std::string> const& total_text,
                    std::optional<std::string> const& index_text) {
    std::string problem;
    if (!total_text) {
        fail_node(provider, fmt::format("{} is set but {} is not", provider.index_variable,
                                   provider.total_variable),
             total_text, index_text);
    }
    auto total = whole_number(*total_text, provider.total_variable, problem);
    if (!total) fail_node(provider, problem, total_text, index_text);
    if (*total < 1) {
        fail_node(provider, fmt::format("{} must be at least 1", provider.total_variable), total_text,
             index_text);
    }
    if (!index_text) {
        if (*total == 1 && provider.single_node_without_index) {
            return Node{0, 1, std::string(provider.name)};
        }
        fail_node(provider, fmt::format("{} is set but {} is not", provider.total_variable,
                                   provider.index_variable),
             total_text, index_text);
    }
    auto index = whole_number(*index_text, provider.index_variable, problem);
    if (!index) fail_node(provider, problem, total_text, index_text);
    auto const first = provider.first_index;
    if (*index < first || *index - first >= *total) {
        fail_node(provider,
             fmt::format("{} must be from {} to {} ({}-based)", provider.index_variable, first,
                         *total - 1 + first, first),
             total_text, index_text);
    }
    return Node{*index - first, *total, std::string(provider.name)};
}

}  // namespace

Node resolve_node(Environment const& environment, std::optional<ShardArguments> command_line) {
    if (command_line && (command_line->count != 1 || command_line->index != 0)) {
        if (command_line->count < 1 || command_line->index >= command_line->count) {
            throw NodeError(fmt::format(
                "shardtap: bad node configuration (command line): --shard-index must be from 0 "
                "to {}; got --shard-count {} --shard-index {}",
                command_line->count == 0 ? 0 : command_line->count - 1, command_line->count,
                command_line->index));
        }
        return Node{command_line->index, command_line->count, "command line"};
    }
    for (auto const& provider : providers) {
        if (!provider.marker.empty() && !variable_value(environment, provider.marker)) continue;
        auto total = variable_value(environment, provider.total_variable);
        auto index = variable_value(environment, provider.index_variable);
        if (total || index) return from_variables(provider, total, index);
    }
    return Node{};
}

}  // namespace shardtap
