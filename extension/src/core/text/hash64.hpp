#pragma once
// A 64-bit hash fed eight bytes at a time: fast on the short, similar names of generated suites
// (100,000 of them at every node start-up). Bytes are read little-endian explicitly, so the
// value is the same on every platform and build, unlike std::hash: the split's fingerprint
// (core/split/fingerprint.cpp) compares it across nodes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace shardtap {

class Hash64 {
public:
    void add(std::string_view bytes) {
        std::size_t i = 0;
        for (; i + 8 <= bytes.size(); i += 8) mix(load(bytes.data() + i, 8));
        std::size_t const tail = bytes.size() - i;
        if (tail == 0) return;
        // The last eight bytes read as one word, the tail their high end: shifted down, the
        // word load() makes of the tail alone, without a copy of variable length.
        if (i > 0) return mix(load(bytes.data() + bytes.size() - 8, 8) >> (8 * (8 - tail)));
        mix(load(bytes.data(), tail));
    }
    // Length-prefixed, so no choice of names can make two different lists hash alike.
    void add_field(std::string_view bytes) {
        mix(static_cast<std::uint64_t>(bytes.size()));
        add(bytes);
    }
    void add_number(std::int64_t number) { mix(static_cast<std::uint64_t>(number)); }
    std::uint64_t value() const { return m_state ^ (m_state >> 29); }

private:
    static std::uint64_t load(char const* bytes, std::size_t count) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes, count);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        word = __builtin_bswap64(word) >> (8 * (8 - count));
#endif
        return word;
    }
    void mix(std::uint64_t word) {
        m_state = (m_state ^ word) * 0x9e3779b97f4a7c15ULL;
        m_state ^= m_state >> 32;
    }

    std::uint64_t m_state = 0xcbf29ce484222325ULL;
};

}  // namespace shardtap
