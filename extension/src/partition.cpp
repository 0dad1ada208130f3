#include <shardtap/partition.hpp>

#include "canonical_order.hpp"


namespace shardtap {
namespace {

int compare(TestKey const& a, TestKey const& b) {
    if (int c = a.name.compare(b.name)) return c;
    if (int c = a.class_name.compare(b.class_name)) return c;
    return a.tags.compare(b.tags);
}

}  // namespace

bool operator<(TestKey const& a, TestKey const& b) { return compare(a, b) < 0; }
bool operator==(TestKey const& a, TestKey const& b) { return compare(a, b) == 0; }

std::string_view to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::round_robin: return "round-robin";
    }
    return "unknown";
}

std::vector<std::size_t> detail::round_robin(std::vector<std::size_t> const& order,
                                             Node const& node) {
    std::vector<std::size_t> share;
    share.reserve(order.size() / node.total + 1);
    for (std::size_t position = node.index; position < order.size(); position += node.total) {
        share.push_back(order[position]);
    }
    return share;
}

std::vector<std::size_t> node_share(std::vector<TestKey> const& keys, Node const& node,
                                    Strategy /*strategy*/) {
    return detail::round_robin(canonical_order(keys), node);
}

std::string split_fingerprint(std::vector<TestKey> const& keys, Strategy strategy,
                              std::size_t total) {
    return detail::fingerprint(keys, canonical_order(keys), strategy, total);
}

Split split_suite(std::vector<TestKey> const& keys, Node const& node, Strategy strategy) {
    auto const order = canonical_order(keys);
    return {detail::round_robin(order, node), detail::fingerprint(keys, order, strategy, node.total)};
}

}  // namespace shardtap
