#include "core/durations/durations.hpp"

#include <algorithm>

namespace shardtap {

Durations merge_durations(std::vector<Durations> const& recorded, Durations const& earlier) {
    Durations merged;
    for (auto const& file : recorded) {
        for (auto const& [test, seconds] : file.tests) merged.record(test, seconds);
        for (auto const& [name, seconds] : file.names) {
            auto& longest = merged.names.try_emplace(name, seconds).first->second;
            longest = std::max(longest, seconds);
        }
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
