#include "core/split/partition.hpp"

#include "core/split/canonical_order.hpp"
#include "core/split/duration_partition.hpp"

#include <algorithm>

namespace shardtap {
std::string_view to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::round_robin: return "round-robin";
        case Strategy::duration: return "duration";
    }
    return "unknown";
}

std::optional<Strategy> strategy_named(std::string_view name) {
    for (auto strategy : {Strategy::round_robin, Strategy::duration}) {
        if (name == to_string(strategy)) return strategy;
    }
    return std::nullopt;
}

Split split_suite(std::vector<TestIdentityView> const& keys, std::size_t total, Strategy strategy,
                  Durations const* durations) {
    auto const order = canonical_order(keys);
    // Nodes past the number of test cases would stay empty: leaving them out keeps a split for
    // an absurd node count small.
    auto const nodes = std::min(total, keys.size());
    std::vector<std::int64_t> estimates;  // by position in keys
    std::vector<std::int64_t> weights;    // by rank in the canonical order
    if (strategy == Strategy::duration || durations) {
        estimates = estimated_microseconds(keys, durations ? *durations : Durations{});
        weights.reserve(order.size());
        for (auto position : order) weights.push_back(estimates[position]);
    }
    std::vector<std::size_t> node_of(order.size());
    if (strategy == Strategy::duration) {
        node_of = pack_by_duration(weights, nodes);
    } else {
        for (std::size_t rank = 0; rank < order.size(); ++rank) node_of[rank] = rank % total;
    }

    Split split;
    split.shares.resize(nodes);
    for (auto& share : split.shares) share.reserve(order.size() / nodes + 1);
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        split.shares[node_of[rank]].push_back(order[rank]);
    }
    if (durations) {
        split.predicted_microseconds.assign(nodes, 0);
        for (std::size_t rank = 0; rank < order.size(); ++rank) {
            split.predicted_microseconds[node_of[rank]] += weights[rank];
        }
    }
    // Only the duration strategy's split depends on durations: the estimate of each test case
    // is what it used, whatever else the file holds.
    split.fingerprint = detail::fingerprint(keys, order, strategy, total,
                                            strategy == Strategy::duration ? &estimates : nullptr);
    return split;
}

}  // namespace shardtap
