#pragma once
// One node's share and the fingerprint of a split, as the tests ask for them: split_suite's
// results, one at a time.

#include "core/split/node.hpp"
#include "core/split/partition.hpp"

#include <string>
#include <vector>

// Positions into `keys` that `node` runs, in canonical order.
inline std::vector<std::size_t> node_share(std::vector<shardtap::TestIdentityView> const& keys,
                                           shardtap::Node const& node,
                                           shardtap::Strategy strategy = shardtap::Strategy::round_robin,
                                           shardtap::Durations const* durations = nullptr) {
    auto split = shardtap::split_suite(keys, node.total, strategy, durations);
    if (node.index >= split.shares.size()) return {};
    return std::move(split.shares[node.index]);
}

inline std::string split_fingerprint(std::vector<shardtap::TestIdentityView> const& keys,
                                     shardtap::Strategy strategy, std::size_t total,
                                     shardtap::Durations const* durations = nullptr) {
    return shardtap::split_suite(keys, total, strategy, durations).fingerprint;
}
