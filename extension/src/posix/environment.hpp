#pragma once
#include "core/split/node.hpp"

namespace shardtap {

// This process's environment variables.
Environment process_environment();

}  // namespace shardtap
