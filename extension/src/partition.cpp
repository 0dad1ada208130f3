#include <shardtap/partition.hpp>

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
    }
    return "unknown";
}

std::vector<std::size_t> canonical_order(std::vector<TestKey> const& keys) {
    std::vector<std::size_t> order(keys.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    return order;
}

std::vector<std::size_t> node_share(std::vector<TestKey> const& keys, Node const& node,
                                    Strategy /*strategy*/) {
    auto const order = canonical_order(keys);
    std::vector<std::size_t> share;
    share.reserve(order.size() / node.total + 1);
    for (std::size_t position = node.index; position < order.size(); position += node.total) {
        share.push_back(order[position]);
    }
    return share;
}

}  // namespace shardtap
