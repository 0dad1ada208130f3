#pragma once
// Which test cases of a suite share their name with another: those the TAP stream tells apart
// by their class and tags (core/tap/tap_encoder.hpp, tap_identity_lines). Pure: no Catch2.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace shardtap {

// The positions, ascending, of the names among name_at(0) .. name_at(count - 1) that another of
// them shares; usually none. Linear, and light on memory at 100,000 names: no name is copied,
// each is hashed once into a flat table of 8 bytes a slot, and names are compared only where
// their hashes meet. name_at(position) must give the same name every time it is asked.
std::vector<std::size_t> positions_sharing_a_name(
    std::size_t count, std::function<std::string_view(std::size_t)> const& name_at);

}  // namespace shardtap
