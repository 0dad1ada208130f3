#include "core/split/partition.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace shardtap {
namespace {

// A name being sorted, in 16 bytes: at 100,000 names the memory moved and touched costs more
// than the work. The name itself is read through its position.
struct SortEntry {
    std::uint64_t key;       // the name's eight bytes from the depth being sorted (key_at)
    std::uint32_t position;  // in keys
    std::uint32_t size;      // the name's length
};

// The bytes name[depth, depth + 8), big-endian, zero past the end: comparing keys compares
// those bytes as unsigned char, as std::string::compare does.
std::uint64_t key_at(std::string_view name, std::size_t depth) {
    if (depth + 8 <= name.size()) {
        std::uint64_t word;
        std::memcpy(&word, name.data() + depth, sizeof word);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        word = __builtin_bswap64(word);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "canonical_order.cpp: byte order unknown"
#endif
        return word;
    }
    std::uint64_t key = 0;
    for (std::size_t i = depth; i < depth + 8; ++i) {
        key = key << 8 | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0u);
    }
    return key;
}

// Most-significant-first radix sort of names, eight bytes at a time: a range is sorted by the
// integer keys of its names' bytes at `depth`, then each run of equal keys on the next eight.
// Each name is read once per eight bytes. Generated suites share long prefixes
// ("test_slow[5-..."): a range whose keys are all alike is not sorted, only read further on.
// Equal names are left for the caller to order by the rest of the key.
class NameSorter {
public:
    explicit NameSorter(std::vector<TestIdentityView> const& keys) : m_keys(keys) {}

    // Where sort() left runs of equal names (at most one per run), for the caller to order by
    // the rest of the key: found while sorting, so no pass reads the names again.
    std::vector<std::pair<SortEntry*, SortEntry*>> const& equal_names() const { return m_equal_names; }

    void sort(SortEntry* first, SortEntry* last, std::size_t depth) {
        if (last - first < 2) return;
        for (SortEntry* it = first; it < last; ++it) it->key = key_at(m_keys[it->position].name, depth);
        auto const alike = [first](SortEntry const& e) { return e.key == first->key; };
        if (std::all_of(first + 1, last, alike)) return sort_alike(first, last, depth);
        sort_by_key(first, last);
        for (SortEntry* run = first; run < last;) {
            SortEntry* const end =
                std::find_if(run + 1, last, [run](SortEntry const& e) { return e.key != run->key; });
            if (end - run > 1) sort_alike(run, end, depth);
            run = end;
        }
    }

private:
    // Names whose first depth + 8 bytes are alike. Those that end there go first, shortest
    // first (each is a prefix of the longer ones: a key pads with zeros); the rest sort on.
    void sort_alike(SortEntry* first, SortEntry* last, std::size_t depth) {
        SortEntry* const longer =
            std::partition(first, last, [depth](SortEntry const& e) { return e.size <= depth + 8; });
        auto const shorter = [](SortEntry const& a, SortEntry const& b) { return a.size < b.size; };
        std::sort(first, longer, shorter);
        // Those of one length here have every byte alike: the same name.
        for (SortEntry* run = first; run < longer;) {
            SortEntry* const end = std::upper_bound(run, longer, *run, shorter);
            if (end - run > 1) m_equal_names.emplace_back(run, end);
            run = end;
        }
        sort(longer, last, depth + 8);
    }

    // Least-significant byte first, one stable counting pass per byte that is not the same in
    // every key; small ranges by comparison.
    void sort_by_key(SortEntry* first, SortEntry* last) {
        auto const n = static_cast<std::size_t>(last - first);
        if (n < 64) {
            std::sort(first, last, [](SortEntry const& a, SortEntry const& b) { return a.key < b.key; });
            return;
        }
        std::array<std::array<std::size_t, 256>, 8> counts{};
        for (SortEntry const* it = first; it < last; ++it) {
            for (int b = 0; b < 8; ++b) ++counts[b][it->key >> (8 * b) & 0xff];
        }
        if (m_scratch.size() < n) m_scratch.resize(n);
        SortEntry* from = first;
        SortEntry* to = m_scratch.data();
        for (int b = 0; b < 8; ++b) {
            auto& count = counts[b];
            if (count[first->key >> (8 * b) & 0xff] == n) continue;  // one digit: no move
            std::size_t offset = 0;
            for (auto& c : count) offset += std::exchange(c, offset);
            for (SortEntry const* it = from; it < from + n; ++it) to[count[it->key >> (8 * b) & 0xff]++] = *it;
            std::swap(from, to);
        }
        if (from != first) std::copy(from, from + n, first);
    }

    std::vector<TestIdentityView> const& m_keys;
    std::vector<SortEntry> m_scratch;
    std::vector<std::pair<SortEntry*, SortEntry*>> m_equal_names;
};

}  // namespace

std::vector<std::size_t> canonical_order(std::vector<TestIdentityView> const& keys) {
    constexpr std::size_t most = std::numeric_limits<std::uint32_t>::max();
    if (keys.size() > most) throw std::length_error("shardtap: too many test cases");
    std::vector<SortEntry> entries;
    entries.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].name.size() > most) throw std::length_error("shardtap: a test case name too long");
        entries.push_back({0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(keys[i].name.size())});
    }
    NameSorter sorter(keys);
    sorter.sort(entries.data(), entries.data() + entries.size(), 0);
    // Names shared by several test cases (different fixtures or tags): order by the full key.
    for (auto [first, last] : sorter.equal_names()) {
        std::sort(first, last, [&keys](SortEntry const& a, SortEntry const& b) {
            return keys[a.position] < keys[b.position];
        });
    }

    std::vector<std::size_t> order;
    order.reserve(entries.size());
    for (auto const& entry : entries) order.push_back(entry.position);
    return order;
}

}  // namespace shardtap
