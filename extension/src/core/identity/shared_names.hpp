#pragma once
// Which test cases of a suite share their name with another: those the TAP stream tells apart
// by their class and tags (core/tap/tap_encoder.hpp, tap_identity_lines). Pure: no Catch2.
// It runs over the whole registry at every run's start, so the names are hashed by the caller,
// in the one pass that reads each test case anyway (name_hash), and read here only where two
// hashes meet.

#include "core/text/hash64.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace shardtap {

// The hash positions_sharing_a_name expects of each name.
inline std::uint64_t name_hash(std::string_view name) {
    Hash64 hash;
    hash.add(name);
    return hash.value();
}

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

    // A later insert's slot, fetched ahead: the table is larger than the caches close to the
    // core, and its slots are read in random order.
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(&m_slots[hash & (m_slots.size() - 1)]); }

    // The position of an earlier name equal to name_at(position), whose hash is `hash`; that
    // name is then left out of the table. None: it goes in.
    template <typename NameAt>
    std::optional<std::size_t> insert(std::size_t position, std::uint64_t hash, NameAt const& name_at) {
        std::uint64_t const tag = hash >> 32;
        std::size_t const mask = m_slots.size() - 1;
        for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
            std::uint64_t const entry = m_slots[slot];
            if (entry == 0) {
                m_slots[slot] = tag << 32 | (position + 1);
                return std::nullopt;
            }
            if (entry >> 32 != tag) continue;
            std::size_t const earlier = (entry & position_mask) - 1;
            if (name_at(earlier) == name_at(position)) return earlier;
        }
    }

private:
    static constexpr std::uint64_t position_mask = 0xffffffffULL;
    std::vector<std::uint64_t> m_slots;
};

}  // namespace detail

// The positions, ascending, of the names that another name of the suite shares; usually none.
// hashes[position] is name_hash(name_at(position)); name_at(position) gives a std::string_view,
// the same every time it is asked, and is asked only where two hashes meet. Linear, and light on
// memory at 100,000 names: no name is copied, the table has 8 bytes a slot.
template <typename NameAt>
std::vector<std::size_t> positions_sharing_a_name(std::vector<std::uint64_t> const& hashes,
                                                  NameAt const& name_at) {
    constexpr std::size_t ahead = 8;
    detail::NameTable table(hashes.size());
    std::vector<std::size_t> shared;
    for (std::size_t position = 0; position < hashes.size(); ++position) {
        if (position + ahead < hashes.size()) table.prefetch(hashes[position + ahead]);
        if (auto const earlier = table.insert(position, hashes[position], name_at)) {
            shared.push_back(*earlier);
            shared.push_back(position);
        }
    }
    std::sort(shared.begin(), shared.end());
    shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
    return shared;
}

}  // namespace shardtap
