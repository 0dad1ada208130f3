#include <shardtap/partition.hpp>

#include <fmt/format.h>

#include <cstdint>

namespace shardtap {
namespace {

// FNV-1a, 64 bits: stable across platforms and builds, unlike std::hash.
class Fnv1a {
public:
    void add(std::string_view bytes) {
        for (unsigned char c : bytes) {
            state_ ^= c;
            state_ *= 0x100000001b3ULL;
        }
    }
    // Length-prefixed, so no choice of names can make two different lists hash alike.
    void add_field(std::string_view bytes) {
        add(fmt::format("{}:", bytes.size()));
        add(bytes);
    }
    std::uint64_t value() const { return state_; }

private:
    std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string split_fingerprint(std::vector<TestKey> const& keys, Strategy strategy,
                              std::size_t total, Durations const* durations) {
    Fnv1a hash;
    hash.add_field("shardtap-split-1");
    hash.add_field(to_string(strategy));
    hash.add_field(fmt::format("{}", total));
    // Only the duration strategy's split depends on durations: the estimate of each test case
    // is what it used, whatever else the file holds.
    std::vector<std::int64_t> estimates;
    if (strategy == Strategy::duration) {
        estimates = estimated_microseconds(keys, durations ? *durations : Durations{});
    }
    for (auto position : canonical_order(keys)) {
        hash.add_field(keys[position].name);
        hash.add_field(keys[position].class_name);
        hash.add_field(keys[position].tags);
        if (!estimates.empty()) hash.add_field(fmt::format("{}", estimates[position]));
    }
    return fmt::format("{:016x}", hash.value());
}

}  // namespace shardtap
