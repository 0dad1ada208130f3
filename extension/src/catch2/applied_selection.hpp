#pragma once
// What apply_selection decided, for the listener and reporters of the same process.

#include "core/split/node.hpp"
#include "core/split/partition.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace shardtap {

struct AppliedSelection {
    Node node;
    Strategy strategy = Strategy::round_robin;
    std::string fingerprint;   // empty when the suite was not split
    std::size_t selected = 0;  // test cases this node runs
    std::size_t candidates = 0;  // test cases the whole suite runs
    // Predicted seconds of this node's share and of the heaviest node's, from the durations
    // file; empty without one, or when the suite was not split.
    std::optional<double> predicted_seconds;
    std::optional<double> heaviest_predicted_seconds;
};

// Empty until apply_selection has run in this process.
std::optional<AppliedSelection> const& applied_selection();

}  // namespace shardtap
