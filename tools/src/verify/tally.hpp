#pragma once
// Counting test points by outcome: the one place that decides what a point counts as, for the
// summary, the JUnit XML and the live progress alike.

#include "core/tap/tap_reader.hpp"

#include <cstddef>
#include <vector>

namespace shardtap::tools {

// What a test point counts as: SKIP or TODO whether ok or not, else passed or failed.
enum class Outcome { pass, fail, skip, todo };
Outcome outcome_of(TapPoint const& point);

struct Tally {
    std::size_t tests = 0;  // every test point
    std::size_t passed = 0;
    std::size_t failed = 0;   // TapPoint::failed(): not ok, neither SKIP nor TODO
    std::size_t skipped = 0;  // SKIP, whether ok or not
    std::size_t todo = 0;     // TODO, whether ok or not

    void add(TapPoint const& point);
    Tally& operator+=(Tally const& other);
};

Tally tally(std::vector<TapPoint> const& points);

}  // namespace shardtap::tools
