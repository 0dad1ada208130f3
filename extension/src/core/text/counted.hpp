#pragma once
// A count with its noun, for messages and reports: "1 node", "3 nodes", "0 test cases".

#include <cstddef>
#include <string>
#include <string_view>

namespace shardtap {

// `count` and `noun`, plural (an added "s") unless the count is 1.
std::string counted(std::size_t count, std::string_view noun);

}  // namespace shardtap
