#include "node_stop.hpp"

#include "posix/crash_guard.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace shardtap {

void stop_node(std::string const& reason) {
    fmt::print(stderr, "shardtap: {}\n", reason);
    std::fflush(stderr);
    announce_bail_out(reason.c_str());
    std::exit(1);
}

}  // namespace shardtap
