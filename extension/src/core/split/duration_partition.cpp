#include "core/split/duration_partition.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>
#include <queue>
#include <set>
#include <utility>

namespace shardtap {
namespace {

using Load = std::int64_t;
// A test case on a node: its weight, then its rank, so a node's set is ordered by weight with
// ties broken by the canonical key.
using Item = std::pair<std::int64_t, std::size_t>;

struct Packing {
    std::vector<Load> loads;
    std::vector<std::set<Item>> items;

    explicit Packing(std::size_t total) : loads(total, 0), items(total) {}

    void place(Item const& item, std::size_t node) {
        items[node].insert(item);
        loads[node] += item.first;
    }
    void take(Item const& item, std::size_t node) {
        items[node].erase(item);
        loads[node] -= item.first;
    }
};

Packing longest_first(std::vector<std::int64_t> const& weights, std::size_t total) {
    std::vector<std::size_t> ranks(weights.size());
    std::iota(ranks.begin(), ranks.end(), std::size_t{0});
    std::stable_sort(ranks.begin(), ranks.end(),
                     [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
    Packing packing(total);
    // Least loaded first; among equal loads the lowest node index.
    using Entry = std::pair<Load, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> lightest;
    for (std::size_t node = 0; node < total; ++node) lightest.push({0, node});
    for (auto rank : ranks) {
        auto [load, node] = lightest.top();
        lightest.pop();
        packing.place({weights[rank], rank}, node);
        lightest.push({load + weights[rank], node});
    }
    return packing;
}

// Moving `transfer` from a node to one lighter by `gap` lowers the pair's larger load by this
// much; zero unless 0 < transfer < gap.
Load gain(Load transfer, Load gap) {
    if (transfer <= 0 || transfer >= gap) return 0;
    return std::min(transfer, gap - transfer);
}

// Moves one test case from `heavy` to `light` (no `from_light`), or swaps two.
struct Exchange {
    Item from_heavy;
    std::optional<Item> from_light;
    Load gain = 0;
};

// Of the weights in `items`, the ones on either side of `target`: the best transfers are there,
// since gain() rises up to half the gap and falls after it.
template <typename Visit>
void around(std::set<Item> const& items, std::int64_t target, Visit visit) {
    auto above = items.lower_bound({target, 0});
    if (above != items.end()) visit(*above);
    if (above != items.begin()) visit(*std::prev(above));
}

std::optional<Exchange> best_exchange(Packing const& packing, std::size_t heavy,
                                      std::size_t light) {
    auto const gap = packing.loads[heavy] - packing.loads[light];
    auto const half = gap / 2;
    std::optional<Exchange> best;
    auto consider = [&](Item const& from_heavy, std::optional<Item> const& from_light) {
        auto const transfer = from_heavy.first - (from_light ? from_light->first : 0);
        auto const g = gain(transfer, gap);
        if (g > 0 && (!best || g > best->gain)) best.emplace(Exchange{from_heavy, from_light, g});
    };
    around(packing.items[heavy], half, [&](Item const& item) { consider(item, std::nullopt); });
    for (auto const& item : packing.items[heavy]) {
        around(packing.items[light], item.first - half,
               [&](Item const& other) { consider(item, other); });
    }
    return best;
}

// The heaviest node (the first among equals) gives to the lightest node it can give to, trying
// the lightest first, until no move or swap lowers it or the rounds run out.
void improve(Packing& packing, std::size_t rounds) {
    auto const& loads = packing.loads;
    std::vector<std::size_t> by_load(loads.size());
    for (; rounds > 0; --rounds) {
        std::iota(by_load.begin(), by_load.end(), std::size_t{0});
        std::stable_sort(by_load.begin(), by_load.end(),
                         [&](std::size_t a, std::size_t b) { return loads[a] < loads[b]; });
        auto const heavy =
            static_cast<std::size_t>(std::max_element(loads.begin(), loads.end()) - loads.begin());
        std::optional<Exchange> exchange;
        std::size_t light = 0;
        for (auto node : by_load) {
            if (loads[node] >= loads[heavy]) break;
            exchange = best_exchange(packing, heavy, node);
            if (exchange) {
                light = node;
                break;
            }
        }
        if (!exchange) return;
        packing.take(exchange->from_heavy, heavy);
        packing.place(exchange->from_heavy, light);
        if (exchange->from_light) {
            packing.take(*exchange->from_light, light);
            packing.place(*exchange->from_light, heavy);
        }
    }
}

}  // namespace

std::vector<std::size_t> pack_by_duration(std::vector<std::int64_t> const& weights,
                                          std::size_t total) {
    if (weights.empty()) return {};
    auto packing = longest_first(weights, total);
    // Each round lowers the sum of squared loads, so the pass ends; the bound only keeps an
    // adversarial suite from making it slow (the benchmark's sets need at most ~130 rounds).
    improve(packing, 256 + 16 * total);
    std::vector<std::size_t> node_of(weights.size());
    for (std::size_t node = 0; node < total; ++node) {
        for (auto const& item : packing.items[node]) node_of[item.second] = node;
    }

    // Packing can lose to dealing by luck on small suites; never let it.
    std::vector<Load> dealt(total, 0);
    for (std::size_t rank = 0; rank < weights.size(); ++rank) dealt[rank % total] += weights[rank];
    if (*std::max_element(dealt.begin(), dealt.end()) <
        *std::max_element(packing.loads.begin(), packing.loads.end())) {
        for (std::size_t rank = 0; rank < weights.size(); ++rank) node_of[rank] = rank % total;
    }
    return node_of;
}

}  // namespace shardtap
