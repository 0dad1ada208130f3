#include "outputs/output_file.hpp"

#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace shardtap::tools {

bool write_file(std::string const& path, std::string const& text, char const* what) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        fmt::print(stderr, "shardtap: cannot write the {} to {}: {}\n", what, in_quotes(path), std::strerror(errno));
        return false;
    }
    return true;
}

}  // namespace shardtap::tools
