#pragma once
// Internal: the fingerprint of a split, from the canonical order split_suite computed once.
#include "core/split/partition.hpp"

namespace shardtap::detail {

// `estimates` (by position in `keys`) is null unless the split depends on them.
std::string fingerprint(std::vector<TestIdentityView> const& keys, std::vector<std::size_t> const& order,
                        Strategy strategy, std::size_t total,
                        std::vector<std::int64_t> const* estimates);

}  // namespace shardtap::detail
