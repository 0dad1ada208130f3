#pragma once
// A fuzz target's check: on failure, says what failed and aborts, for libFuzzer to report the
// input.
#include <cstdio>
#include <cstdlib>

inline void require(bool condition, char const* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}
