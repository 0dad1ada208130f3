#pragma once
// Splitting a suite's test cases between nodes. Pure: no Catch2.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/durations/durations.hpp"
#include "core/identity/test_identity.hpp"
#include "core/split/node.hpp"

namespace shardtap {

// round_robin: position i of the canonical order goes to node i mod N.
// duration: longest-first packing of the test cases' estimated durations, then an improvement
// pass that moves or swaps test cases between the heaviest and the lightest node.
enum class Strategy { round_robin, duration };
std::string_view to_string(Strategy strategy);
// The strategy called `name` ("round-robin", "duration"), if there is one.
std::optional<Strategy> strategy_named(std::string_view name);

// What a test case without a recorded duration is expected to take when no test case of the
// suite has one: then every test case weighs the same and only their number is balanced.
inline constexpr double unknown_test_seconds = 0.1;

// Microseconds each of `keys` is expected to take: its recorded duration (Durations::find), or
// for a test case the file does not know the median of those it does know among `keys`
// (entries for test cases not in `keys` are ignored). At least 1 each. Integers, so every node
// adds them up to exactly the same loads.
std::vector<std::int64_t> estimated_microseconds(std::vector<TestIdentityView> const& keys,
                                                 Durations const& durations);

// Positions into `keys` sorted by key: the order every node agrees on.
std::vector<std::size_t> canonical_order(std::vector<TestIdentityView> const& keys);

// The whole split, as every node computes it.
struct Split {
    // For each node, the positions into `keys` it runs, in canonical order. Nodes beyond the
    // number of test cases would get nothing and are left out.
    std::vector<std::vector<std::size_t>> shares;
    // For each node, the estimated microseconds of its share; empty when no durations were given.
    std::vector<std::int64_t> predicted_microseconds;
    // Identifies the split (test cases, strategy, node count, and for the duration strategy
    // the estimated duration of every test case): nodes that agree print the same.
    std::string fingerprint;
};

// Splits `keys` between `total` nodes. `durations` (null when no durations file was given)
// balances the duration strategy and predicts every node's load, whichever the strategy; the
// duration strategy without it balances equal estimates. Every key goes to exactly one node,
// and the result does not depend on the order of `keys`.
Split split_suite(std::vector<TestIdentityView> const& keys, std::size_t total, Strategy strategy,
                  Durations const* durations = nullptr);

}  // namespace shardtap
