#pragma once
#include <string>
#include <string_view>

namespace shardtap {

// `text` as a JSON string literal: quoted, escaped, always one line, whatever bytes it holds.
std::string json_quoted(std::string_view text);

}  // namespace shardtap
