#pragma once
// Internal: the shared steps of node_share, split_fingerprint and split_suite.
#include <shardtap/partition.hpp>

namespace shardtap::detail {

std::vector<std::size_t> round_robin(std::vector<std::size_t> const& order, Node const& node);
std::string fingerprint(std::vector<TestKey> const& keys, std::vector<std::size_t> const& order,
                        Strategy strategy, std::size_t total);

}  // namespace shardtap::detail
