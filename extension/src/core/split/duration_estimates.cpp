#include "core/split/partition.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace shardtap {
namespace {

std::int64_t microseconds(double seconds) {
    return std::max<std::int64_t>(1, std::llround(seconds * 1e6));
}

// The median of `values` (not empty), rounded down: an integer, the same on every node.
std::int64_t median(std::vector<std::int64_t> values) {
    auto const middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + middle, values.end());
    auto const upper = values[middle];
    if (values.size() % 2 == 1) return upper;
    auto const lower = *std::max_element(values.begin(), values.begin() + middle);
    return lower + (upper - lower) / 2;
}

}  // namespace

std::vector<std::int64_t> estimated_microseconds(std::vector<TestIdentityView> const& keys,
                                                 Durations const& durations) {
    std::vector<std::optional<std::int64_t>> recorded(keys.size());
    std::vector<std::int64_t> known;
    for (std::size_t position = 0; position < keys.size(); ++position) {
        auto const seconds = durations.find(keys[position]);
        if (!seconds) continue;
        recorded[position] = microseconds(*seconds);
        known.push_back(*recorded[position]);
    }
    auto const estimate = known.empty() ? microseconds(unknown_test_seconds) : median(known);
    std::vector<std::int64_t> estimates;
    estimates.reserve(keys.size());
    for (auto const& value : recorded) estimates.push_back(value.value_or(estimate));
    return estimates;
}

}  // namespace shardtap
