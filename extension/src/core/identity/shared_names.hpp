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

// One bit per slot of a bitmap indexed by a hash's top bits.
class HashBits {
public:
    explicit HashBits(int bits) : m_shift(64 - bits), m_words(std::size_t{1} << (bits - 6)) {}
    // Sets the hash's bit; whether it was set already.
    bool set(std::uint64_t hash) {
        std::uint64_t& word = m_words[hash >> m_shift >> 6];
        std::uint64_t const bit = std::uint64_t{1} << (hash >> m_shift & 63);
        bool const was = (word & bit) != 0;
        word |= bit;
        return was;
    }
    bool test(std::uint64_t hash) const {
        return (m_words[hash >> m_shift >> 6] >> (hash >> m_shift & 63) & 1) != 0;
    }

private:
    int m_shift;
    std::vector<std::uint64_t> m_words;
};

}  // namespace detail

// The positions, ascending, of the names that another name of the suite shares; usually none.
// hashes[position] is name_hash(name_at(position)); name_at(position) gives a std::string_view,
// the same every time it is asked, and is asked only where two hashes are equal.
//
// Light on memory at 100,000 names, and read in cache: a bitmap of 16 bits a name (256 KiB)
// marks the hashes seen, a second the bits seen twice; only the few names behind those (a hash
// meeting another's in its top bits: about one in 16) are sorted by hash, so that equal hashes
// come side by side, and no name is copied.
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
    for (std::size_t first = 0, end = 0; first < met.size(); first = end) {
        while (end < met.size() && met[end].first == met[first].first) ++end;
        for (std::size_t j = first + 1; j < end; ++j) {  // names of one hash: nearly always one
            for (std::size_t k = first; k < j; ++k) {
                if (name_at(met[k].second) != name_at(met[j].second)) continue;
                shared.push_back(met[k].second);
                shared.push_back(met[j].second);
            }
        }
    }
    std::sort(shared.begin(), shared.end());
    shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
    return shared;
}

}  // namespace shardtap
