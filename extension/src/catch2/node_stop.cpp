#include "node_stop.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace shardtap {
namespace {

std::string stop_reason;

}  // namespace

void stop_node(std::string reason) {
    stop_reason = std::move(reason);
    fmt::print(stderr, "shardtap: {}\n", stop_reason);
    std::fflush(stderr);
    std::exit(1);
}

char const* node_stop_reason() noexcept { return stop_reason.empty() ? nullptr : stop_reason.c_str(); }

}  // namespace shardtap
