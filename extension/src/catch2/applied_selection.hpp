#pragma once
// What the selection decided (apply_selection or the selection listener), for the listeners and
// reporters of the same process.

#include "core/split/node.hpp"
#include "core/split/partition.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace Catch {
class IConfig;
struct TestCaseInfo;
}

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

// Empty until a selection has run in this process (or when Catch2 split the run itself).
std::optional<AppliedSelection> const& applied_selection();

// The drop-in way, from the selection listener's testRunStarting: unless apply_selection already
// ran, selects this node's share as apply_selection does, through the run's own configuration.
// False for a misconfigured node (one line on stderr said why).
bool select_in_listener(Catch::IConfig const& config);

// Whether `info` (the registry's own) is in this node's share; true when nothing was split.
bool in_share(Catch::TestCaseInfo const& info);

}  // namespace shardtap
