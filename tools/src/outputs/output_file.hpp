#pragma once
// Where each subcommand writes the files a user asked for (--tap, --junit, --html, --failed).

#include <string>

namespace shardtap::tools {

// Writes `text` to `path` whole, or says on stderr why not ("cannot write the WHAT to ...").
bool write_file(std::string const& path, std::string const& text, char const* what);

}  // namespace shardtap::tools
