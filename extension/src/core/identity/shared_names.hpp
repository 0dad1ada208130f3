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
#include <string_view>
#include <utility>
#include <vector>

namespace shardtap {

// The hash positions_sharing_a_name expects of each name.
inline std::uint64_t name_hash(std::string_view name) {
    Hash64 hash;
    hash.add(name);
    return hash.value();
}

namespace detail {

// A bitmap of 2^bits bits, indexed by a hash's low bits: Hash64's best mixed (its top bits, for
// suites of names alike but for a number at the end, meet three times as often).
class HashBits {
public:
    explicit HashBits(int bits) : m_mask((std::uint64_t{1} << bits) - 1), m_words((m_mask >> 6) + 1) {}
    // Sets the hash's bit; whether it was set already.
    bool set(std::uint64_t hash) {
        std::uint64_t& word = m_words[(hash & m_mask) >> 6];
        std::uint64_t const bit = std::uint64_t{1} << (hash & 63);
        bool const was = (word & bit) != 0;
        word |= bit;
        return was;
    }
    bool test(std::uint64_t hash) const {
        return (m_words[(hash & m_mask) >> 6] >> (hash & 63) & 1) != 0;
    }

private:
    std::uint64_t m_mask;
    std::vector<std::uint64_t> m_words;
};

}  // namespace detail

// The positions, ascending, of the names that another name of the suite shares; usually none.
// hashes[position] is name_hash(name_at(position)); name_at(position) gives a std::string_view,
// the same every time it is asked, and is asked only where two hashes are equal.
//
// Light on memory at 100,000 names, and read in cache: a bitmap of 16 bits a name (256 KiB)
// marks the hashes seen, a second the bits seen twice; only the few names behind those (one in
// 20) are sorted by hash, so that equal hashes come side by side, and no name is copied.
template <typename NameAt>
std::vector<std::size_t> positions_sharing_a_name(std::vector<std::uint64_t> const& hashes,
                                                  NameAt const& name_at) {
    int bits = 6;
    while ((std::size_t{1} << bits) < 16 * hashes.size() && bits < 40) ++bits;
    detail::HashBits seen(bits), twice(bits);
    for (auto hash : hashes) {
        if (seen.set(hash)) twice.set(hash);
    }
    std::vector<std::pair<std::uint64_t, std::size_t>> met;  // (hash, position)
    for (std::size_t position = 0; position < hashes.size(); ++position) {
        if (twice.test(hashes[position])) met.emplace_back(hashes[position], position);
    }
    std::sort(met.begin(), met.end());
    std::vector<std::size_t> shared;
    std::vector<std::size_t> names;  // the first position of each name of one hash
    for (std::size_t first = 0, end = 0; first < met.size(); first = end) {
        names.clear();
        for (end = first; end < met.size() && met[end].first == met[first].first; ++end) {
            std::size_t const position = met[end].second;
            // One name behind a hash, nearly always: linear however many test cases share it.
            auto const same = std::find_if(names.begin(), names.end(), [&](std::size_t earlier) {
                return name_at(earlier) == name_at(position);
            });
            if (same == names.end()) {
                names.push_back(position);
                continue;
            }
            shared.push_back(*same);
            shared.push_back(position);
        }
    }
    std::sort(shared.begin(), shared.end());
    shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
    return shared;
}

}  // namespace shardtap
