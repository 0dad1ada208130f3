#pragma once
// Names of parametrized test cases, after pytest's ids. Pure: no Catch2.
//
// One test case per parameter value, named "{name}[{id}-{position}]": the value's id, then
// its 0-based position in the list, zero-padded to the width of the last position, so that
// the names sort in list order and every name is unique even when values repeat:
// "test_slow[5-00]" ... "test_slow[5-19]". A value without a printable form (empty id) is
// named by its position alone: "test_point[07]".
//
// Compiles as C++14 (a consumer's test files may be C++14, Catch2 v3's minimum).

#include <cstddef>
#include <string>

namespace shardtap {

// The id text of a value, as pytest writes it: numbers in their shortest round-trip form,
// strings as they are, booleans as true/false.
std::string parameter_id(std::string const& text);
std::string parameter_id(bool value);
std::string parameter_id(long long value);
std::string parameter_id(unsigned long long value);
std::string parameter_id(double value);
std::string parameter_id(float value);

// Makes an id safe inside a test case name, like pytest's ascii escaping: a backslash becomes
// "\\", control characters become "\n", "\t", "\r" or "\xHH"; everything else, UTF-8
// included, is kept. A name never spans lines.
std::string escape_parameter_id(std::string const& id);

// "{name}[{id}-{position}]", or "{name}[{position}]" for an empty id; `count` is the number of
// values (for the padding). `id` is escaped here.
std::string parametrized_name(std::string const& name, std::string const& id, std::size_t position,
                              std::size_t count);

}  // namespace shardtap
