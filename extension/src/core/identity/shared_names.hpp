#pragma once
// Which test cases of a suite share their name with another: those the TAP stream tells apart
// by their class and tags (core/tap/tap_encoder.hpp, tap_identity_lines). Pure: no Catch2.
// A template, so that reading each name costs no call: it runs over the whole registry at
// every run's start.

#include "core/text/hash64.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace shardtap {
namespace detail {

// Open addressing with linear probing, at most half full. A slot holds the high half of its
// name's hash and its position + 1 (0: free), so a probe reads no name unless the hashes meet.
class NameTable {
public:
    explicit NameTable(std::size_t count) {
        if (count >= position_mask) throw std::length_error("shardtap: too many test cases");
        std::size_t slots = 16;
        while (slots < 2 * count) slots *= 2;
        m_slots.assign(slots, 0);
    }

    // The position of an earlier name equal to name_at(position), which is then left out of the
    // table; none: it goes in.
    template <typename NameAt>
    std::optional<std::size_t> insert(std::size_t position, NameAt const& name_at) {
        std::string_view const name = name_at(position);
        Hash64 hash;
        hash.add(name);
        std::uint64_t const value = hash.value();
        std::uint64_t const tag = value >> 32;
        std::size_t const mask = m_slots.size() - 1;
        for (std::size_t slot = value & mask;; slot = (slot + 1) & mask) {
            std::uint64_t const entry = m_slots[slot];
            if (entry == 0) {
                m_slots[slot] = tag << 32 | (position + 1);
                return std::nullopt;
            }
            if (entry >> 32 != tag) continue;
            std::size_t const earlier = (entry & position_mask) - 1;
            if (name_at(earlier) == name) return earlier;
        }
    }

private:
    static constexpr std::uint64_t position_mask = 0xffffffffULL;
    std::vector<std::uint64_t> m_slots;
};

}  // namespace detail

// The positions, ascending, of the names among name_at(0) .. name_at(count - 1) that another of
// them shares; usually none. Linear, and light on memory at 100,000 names: no name is copied,
// each is hashed once into a flat table of 8 bytes a slot, and names are compared only where
// their hashes meet. name_at(position) gives a std::string_view, the same every time it is asked.
template <typename NameAt>
std::vector<std::size_t> positions_sharing_a_name(std::size_t count, NameAt const& name_at) {
    detail::NameTable table(count);
    std::vector<std::size_t> shared;
    for (std::size_t position = 0; position < count; ++position) {
        if (auto const earlier = table.insert(position, name_at)) {
            shared.push_back(*earlier);
            shared.push_back(position);
        }
    }
    std::sort(shared.begin(), shared.end());
    shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
    return shared;
}

}  // namespace shardtap
