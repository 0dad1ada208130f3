#include "core/split/canonical_order.hpp"

#include "core/text/hash64.hpp"

#include <fmt/format.h>

namespace shardtap::detail {

std::string fingerprint(std::vector<TestIdentityView> const& keys, std::vector<std::size_t> const& order,
                        Strategy strategy, std::size_t total,
                        std::vector<std::int64_t> const* estimates) {
    Hash64 hash;
    hash.add_field("shardtap-split-1");
    hash.add_field(to_string(strategy));
    hash.add_field(std::to_string(total));
    for (auto position : order) {
        hash.add_field(keys[position].name);
        hash.add_field(keys[position].class_name);
        hash.add_field(keys[position].tags);
        if (estimates) hash.add_number((*estimates)[position]);
    }
    return fmt::format("{:016x}", hash.value());
}

}  // namespace shardtap::detail
