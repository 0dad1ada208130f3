#include "core/split/partition.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace shardtap {
namespace {

struct NamedPosition {
    std::string_view name;
    std::size_t position;
};

// The byte at `depth`, or -1 past the end: a name sorts before its extensions, as in
// std::string::compare (which compares bytes as unsigned char).
int byte_at(NamedPosition const& entry, std::size_t depth) {
    return depth < entry.name.size() ? static_cast<unsigned char>(entry.name[depth]) : -1;
}

// Multikey quicksort (Bentley & Sedgewick) on names: generated suites share long name
// prefixes ("test_slow[5-..."), which comparison sorts would compare again and again.
// Equal names are left for the caller to order by the rest of the key.
void sort_names(NamedPosition* first, NamedPosition* last, std::size_t depth) {
    while (last - first > 1) {
        // Skip the bytes every name here shares in one pass, instead of one pass per byte.
        std::size_t shared = first->name.size();
        for (NamedPosition const* it = first + 1; it < last && shared > depth; ++it) {
            auto const limit = std::min(shared, it->name.size());
            std::size_t i = depth;
            while (i < limit && it->name[i] == first->name[i]) ++i;
            shared = i;
        }
        depth = std::max(depth, shared);
        if (last - first < 12) {  // insertion sort on what follows the shared prefix
            for (NamedPosition* it = first + 1; it < last; ++it) {
                NamedPosition const entry = *it;
                auto const tail = entry.name.substr(std::min(depth, entry.name.size()));
                NamedPosition* hole = it;
                for (; hole > first &&
                       tail < hole[-1].name.substr(std::min(depth, hole[-1].name.size()));
                     --hole) {
                    hole[0] = hole[-1];
                }
                *hole = entry;
            }
            return;
        }
        int const candidates[3] = {byte_at(first[0], depth),
                                   byte_at(first[(last - first) / 2], depth),
                                   byte_at(last[-1], depth)};
        int const pivot = std::max(std::min(candidates[0], candidates[1]),
                                   std::min(std::max(candidates[0], candidates[1]), candidates[2]));
        NamedPosition* less = first;
        NamedPosition* greater = last;
        for (NamedPosition* it = first; it < greater;) {
            int const byte = byte_at(*it, depth);
            if (byte < pivot) {
                std::swap(*less++, *it++);
            } else if (byte > pivot) {
                std::swap(*--greater, *it);
            } else {
                ++it;
            }
        }
        sort_names(first, less, depth);
        sort_names(greater, last, depth);
        if (pivot < 0) return;  // the equal block is one name, repeated
        first = less;
        last = greater;
        ++depth;
    }
}

}  // namespace

std::vector<std::size_t> canonical_order(std::vector<TestIdentityView> const& keys) {
    std::vector<NamedPosition> entries;
    entries.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) entries.push_back({keys[i].name, i});
    sort_names(entries.data(), entries.data() + entries.size(), 0);

    // Names shared by several test cases (different fixtures or tags): order by the full key.
    for (auto run = entries.begin(); run != entries.end();) {
        auto end = std::find_if(run, entries.end(),
                                [&](NamedPosition const& e) { return e.name != run->name; });
        if (end - run > 1) {
            std::sort(run, end, [&](NamedPosition const& a, NamedPosition const& b) {
                return keys[a.position] < keys[b.position];
            });
        }
        run = end;
    }

    std::vector<std::size_t> order;
    order.reserve(entries.size());
    for (auto const& entry : entries) order.push_back(entry.position);
    return order;
}

}  // namespace shardtap
