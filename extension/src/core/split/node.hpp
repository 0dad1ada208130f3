#pragma once
// Which node of a parallel run this process is, from its environment and command line.
// Pure: no Catch2, no global state.

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace shardtap {

using Environment = std::map<std::string, std::string>;

// Node `index` (0-based) of `total`, as told by `provider` ("none" when nothing asked to split).
struct Node {
    std::size_t index = 0;
    std::size_t total = 1;
    std::string provider = "none";
};

// Catch2's own --shard-count / --shard-index, when given.
struct ShardArguments {
    std::size_t count = 1;
    std::size_t index = 0;
};

// A misconfigured node. what() is one line naming the variables, their values and the CI assumed.
class NodeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Precedence: command line, SHARDTAP_NODE_*, then the CI systems' variables, else one node.
// Throws NodeError on any bad or incomplete value: a node never guesses its share.
Node resolve_node(Environment const& environment,
                  std::optional<ShardArguments> command_line = std::nullopt);

}  // namespace shardtap
