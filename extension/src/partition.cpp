#include <shardtap/partition.hpp>

#include "duration_partition.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace shardtap {

bool operator<(TestKey const& a, TestKey const& b) {
    return std::tie(a.name, a.class_name, a.tags) < std::tie(b.name, b.class_name, b.tags);
}
bool operator==(TestKey const& a, TestKey const& b) {
    return std::tie(a.name, a.class_name, a.tags) == std::tie(b.name, b.class_name, b.tags);
}

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

std::vector<std::size_t> canonical_order(std::vector<TestKey> const& keys) {
    std::vector<std::size_t> order(keys.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    return order;
}

Split split_suite(std::vector<TestKey> const& keys, std::size_t total, Strategy strategy,
                  Durations const* durations) {
    auto const order = canonical_order(keys);
    // Nodes past the number of test cases would stay empty: leaving them out keeps a split for
    // an absurd node count small.
    auto const nodes = std::min(total, keys.size());
    std::vector<std::int64_t> weights;  // by rank in the canonical order
    if (strategy == Strategy::duration || durations) {
        auto const estimates = estimated_microseconds(keys, durations ? *durations : Durations{});
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
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        split.shares[node_of[rank]].push_back(order[rank]);
    }
    if (durations) {
        split.predicted_microseconds.assign(nodes, 0);
        for (std::size_t rank = 0; rank < order.size(); ++rank) {
            split.predicted_microseconds[node_of[rank]] += weights[rank];
        }
    }
    return split;
}

std::vector<std::size_t> node_share(std::vector<TestKey> const& keys, Node const& node,
                                    Strategy strategy, Durations const* durations) {
    auto split = split_suite(keys, node.total, strategy, durations);
    if (node.index >= split.shares.size()) return {};
    return std::move(split.shares[node.index]);
}

}  // namespace shardtap
