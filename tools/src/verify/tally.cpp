#include "verify/tally.hpp"

namespace shardtap::tools {

Outcome outcome_of(TapPoint const& point) {
    if (point.directive == TapDirective::skip) return Outcome::skip;
    if (point.directive == TapDirective::todo) return Outcome::todo;
    return point.ok ? Outcome::pass : Outcome::fail;
}

void Tally::add(TapPoint const& point) {
    ++tests;
    switch (outcome_of(point)) {
        case Outcome::pass: ++passed; break;
        case Outcome::fail: ++failed; break;
        case Outcome::skip: ++skipped; break;
        case Outcome::todo: ++todo; break;
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
