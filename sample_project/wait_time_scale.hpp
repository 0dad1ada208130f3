#pragma once
// WAIT_TIME_SCALE: a factor on every test's wait_time (default 1), so tests and demos run fast.

#include <optional>
#include <stdexcept>
#include <string>

namespace sample {

// A bad WAIT_TIME_SCALE; what() says which value and what is expected.
class BadScale : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The factor from the variable's value (nullopt: not set): a finite number >= 0.
double parse_wait_time_scale(std::optional<std::string> const& value);

// The factor from this process's environment; throws BadScale.
double wait_time_scale();

}  // namespace sample
