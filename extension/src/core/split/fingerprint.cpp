#include "core/split/canonical_order.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

namespace shardtap::detail {
namespace {

// A 64-bit hash fed eight bytes at a time (names are hashed at every node start-up, so
// speed matters at 100,000 test cases). Bytes are read little-endian explicitly, so the
// value is the same on every platform and build, unlike std::hash.
class Hash64 {
public:
    void add(std::string_view bytes) {
        std::size_t i = 0;
        for (; i + 8 <= bytes.size(); i += 8) mix(load(bytes.data() + i, 8));
        if (i < bytes.size()) mix(load(bytes.data() + i, bytes.size() - i));
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

}  // namespace

std::string fingerprint(std::vector<TestIdentityView> const& keys, std::vector<std::size_t> const& order,
                        Strategy strategy, std::size_t total,
                        std::vector<std::int64_t> const* estimates) {
    Hash64 hash;
    hash.add_field("shardtap-split-1");
    hash.add_field(to_string(strategy));
    hash.add_field(std::to_string(total));
    for (auto position : order) {
        hash.add_field(keys[position].name);
        hash.add_field(keys[position].class_name);
        hash.add_field(keys[position].tags);
        if (estimates) hash.add_number((*estimates)[position]);
    }
    return fmt::format("{:016x}", hash.value());
}

}  // namespace shardtap::detail
