#pragma once
// The Bail out! reason of a node whose test case ran past SHARDTAP_TEST_TIMEOUT. The node
// writes it, `shardtap merge` reads it back to name the test case: one spelling for both.
//
//     Bail out! test case NAME timed out after S s

#include <optional>
#include <string>
#include <string_view>

namespace shardtap {

struct TapTimeout {
    std::string test_case;  // the test case's name
    double seconds = 0;     // the limit it ran past
};

// "test case NAME timed out after S s", S as the shortest decimal that reads back exactly.
std::string tap_timeout_reason(TapTimeout const& timeout);

// The reason in exactly that form (the name may hold anything, even " timed out after "),
// else nullopt.
std::optional<TapTimeout> read_tap_timeout_reason(std::string_view reason);

}  // namespace shardtap
