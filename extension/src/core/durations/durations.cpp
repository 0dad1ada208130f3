#include "core/durations/durations.hpp"

#include <algorithm>

namespace shardtap {

std::optional<double> Durations::find(TestIdentityView test) const {
    if (auto found = tests.find(test); found != tests.end()) return found->second;
    if (auto found = names.find(test.name); found != names.end()) return found->second;
    return std::nullopt;
}

// The longest, not the last: the result must not depend on the order of recording.
void Durations::record(TestIdentity const& test, double seconds) {
    auto [entry, inserted] = tests.emplace(test, seconds);
    if (!inserted) entry->second = std::max(entry->second, seconds);
}

}  // namespace shardtap
