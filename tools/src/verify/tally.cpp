#include "verify/tally.hpp"

namespace shardtap::tools {

void Tally::add(TapPoint const& point) {
    ++tests;
    if (point.directive == TapDirective::skip) {
        ++skipped;
    } else if (point.directive == TapDirective::todo) {
        ++todo;
    } else if (point.ok) {
        ++passed;
    } else {
        ++failed;
    }
}

Tally& Tally::operator+=(Tally const& other) {
    tests += other.tests;
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    todo += other.todo;
    return *this;
}

Tally tally(std::vector<TapPoint> const& points) {
    Tally counts;
    for (auto const& point : points) counts.add(point);
    return counts;
}

}  // namespace shardtap::tools
