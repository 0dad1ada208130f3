#include "core/durations/durations.hpp"

#include <algorithm>

namespace shardtap {

Durations merge_durations(std::vector<Durations> const& recorded, Durations const& earlier) {
    Durations merged;
    for (auto const& file : recorded) {
        for (auto const& [name, seconds] : file) {
            auto [entry, inserted] = merged.emplace(name, seconds);
            // The longest, not the last: the result must not depend on the order of the files.
            if (!inserted) entry->second = std::max(entry->second, seconds);
        }
    }
    for (auto const& entry : earlier) merged.insert(entry);  // never replaces a recorded one
    return merged;
}

}  // namespace shardtap
