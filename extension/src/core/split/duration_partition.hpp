#pragma once
// The duration strategy's packing, on weights alone. Pure: no Catch2.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace shardtap {

// For the test case of each rank of the canonical order, weighing weights[rank] (>= 0), the node
// from 0 to total - 1 that runs it: longest first onto the least loaded node, ties broken by
// rank and then by node index; then moves and swaps between the heaviest node and the lightest
// ones while that lowers the heaviest node's load. The same weights always give the same result.
std::vector<std::size_t> pack_by_duration(std::vector<std::int64_t> const& weights,
                                          std::size_t total);

}  // namespace shardtap
