#pragma once
// shardtap's own command-line options, once add_command_line_options added them to a session.

#include "core/split/settings.hpp"

namespace shardtap {

// What the options parsed into; all empty when they were not added or not given.
SettingArguments const& command_line_arguments();

}  // namespace shardtap
