#pragma once
// How a value is shown inside an error message.

#include <string>
#include <string_view>

namespace shardtap {

// `value` in double quotes, exactly and on one line: `"` and `\` escaped, \n, \r and \t as such,
// other control characters, DEL and bytes that are not UTF-8 as \xHH; UTF-8 text as it is.
std::string in_quotes(std::string_view value);

}  // namespace shardtap
