#include "core/durations/durations.hpp"

#include <algorithm>

namespace shardtap {
namespace {

// The longest, not the last: the result must not depend on the order of recording.
template <typename Map, typename Key>
void keep_longest(Map& map, Key const& key, double seconds) {
    auto [entry, inserted] = map.emplace(key, seconds);
    if (!inserted) entry->second = std::max(entry->second, seconds);
}

}  // namespace

std::optional<double> Durations::find(TestIdentityView test) const {
    if (auto found = tests.find(test); found != tests.end()) return found->second;
    if (auto found = names.find(test.name); found != names.end()) return found->second;
    return std::nullopt;
}

void Durations::record(TestIdentity const& test, double seconds) { keep_longest(tests, test, seconds); }

Durations merge_durations(std::vector<Durations> const& recorded, Durations const& earlier) {
    Durations merged;
    for (auto const& file : recorded) {
        for (auto const& [test, seconds] : file.tests) merged.record(test, seconds);
        for (auto const& [name, seconds] : file.names) keep_longest(merged.names, name, seconds);
    }
    for (auto const& entry : earlier.names) {
        // Once a test case of this name was recorded, its test cases are known by identity.
        auto const recorded_here = merged.tests.lower_bound(TestIdentityView{entry.first, {}, {}});
        if (recorded_here == merged.tests.end() || recorded_here->first.name != entry.first) {
            merged.names.insert(entry);  // never replaces a recorded entry
        }
    }
    merged.tests.insert(earlier.tests.begin(), earlier.tests.end());
    return merged;
}

}  // namespace shardtap
