#pragma once
// Splitting a suite's test cases between nodes. Pure: no Catch2.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <shardtap/node.hpp>

namespace shardtap {

// What identifies a test case across processes and builds, independent of registration order.
struct TestKey {
    std::string name;
    std::string class_name;
    std::string tags;
};
bool operator<(TestKey const& a, TestKey const& b);
bool operator==(TestKey const& a, TestKey const& b);

enum class Strategy { round_robin };
std::string_view to_string(Strategy strategy);

// Positions into `keys` sorted by key: the order every node agrees on.
std::vector<std::size_t> canonical_order(std::vector<TestKey> const& keys);

// Positions into `keys` that `node` runs, in canonical order. Every key goes to exactly one
// node, and the result does not depend on the order of `keys`.
std::vector<std::size_t> node_share(std::vector<TestKey> const& keys, Node const& node,
                                    Strategy strategy = Strategy::round_robin);

// Identifies the whole split (test cases, strategy, node count): nodes that agree print the same.
std::string split_fingerprint(std::vector<TestKey> const& keys, Strategy strategy,
                              std::size_t total);

// node_share and split_fingerprint together, sorting the suite once.
struct Split {
    std::vector<std::size_t> share;
    std::string fingerprint;
};
Split split_suite(std::vector<TestKey> const& keys, Node const& node,
                  Strategy strategy = Strategy::round_robin);

}  // namespace shardtap
