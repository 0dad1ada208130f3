#pragma once
// Text the reports share (JUnit XML, the HTML page). Pure.

#include "core/tap/tap_reader.hpp"

#include <string>
#include <string_view>

namespace shardtap::tools {

// Text for an XML 1.0 or HTML attribute or element: markup escaped; what XML cannot hold
// (control characters, U+FFFE/U+FFFF, bytes that are not UTF-8) written as \xHH per byte.
std::string markup_text(std::string_view text);

// A failed point's diagnostics as people read them: each failure's place, expression,
// expansion, messages and section; then the test's captured output.
std::string failure_text(TapPoint const& point);

}  // namespace shardtap::tools
