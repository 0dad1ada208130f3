#include "core/split/canonical_order.hpp"

#include "core/text/hash64.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace shardtap::detail {

// Each test case's fields are hashed in the suite's order, where the registry's names lie one
// after another in memory, then those hashes in the canonical order: read in sorted order, each
// of 100,000 names scattered over the heap would cost a cache miss.
std::string fingerprint(std::vector<TestIdentityView> const& keys, std::vector<std::size_t> const& order,
                        Strategy strategy, std::size_t total,
                        std::vector<std::int64_t> const* estimates) {
    std::vector<std::uint64_t> test_case_hashes;
    test_case_hashes.reserve(keys.size());
    for (auto const& key : keys) {
        Hash64 fields;
        fields.add_field(key.name);
        fields.add_field(key.class_name);
        fields.add_field(key.tags);
        test_case_hashes.push_back(fields.value());
    }
    Hash64 hash;
    hash.add_field("shardtap-split-2");
    hash.add_field(to_string(strategy));
    hash.add_field(std::to_string(total));
    for (auto position : order) {
        hash.add_number(static_cast<std::int64_t>(test_case_hashes[position]));
        if (estimates) hash.add_number((*estimates)[position]);
    }
    return fmt::format("{:016x}", hash.value());
}

}  // namespace shardtap::detail
