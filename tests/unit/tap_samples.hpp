#pragma once
// Sample values shared by the TAP tests.

#include "core/tap/tap_encoder.hpp"

#include <random>
#include <string>

namespace shardtap::testing {

// A failed CHECK(a == b) inside two sections, with two INFO messages.
inline TapFailure failed_check() {
    TapFailure f;
    f.kind = "expression";
    f.file = "tests/math.cpp";
    f.line = 12;
    f.macro = "CHECK";
    f.expression = "a == b";
    f.expansion = "1 == 2";
    f.messages = {"i := 3", "a: b"};
    f.sections = {"outer", "inner"};
    return f;
}

// Up to `longest` bytes, each of any value.
inline std::string random_bytes(std::mt19937& rng, int longest) {
    std::uniform_int_distribution<int> byte(0, 255), length(0, longest);
    std::string text(static_cast<std::size_t>(length(rng)), '\0');
    for (auto& c : text) c = static_cast<char>(byte(rng));
    return text;
}

}  // namespace shardtap::testing
