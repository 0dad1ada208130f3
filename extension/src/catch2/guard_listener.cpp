#include "guard_listener.hpp"

#include "applied_selection.hpp"
#include "posix/environment.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace shardtap {

void GuardListener::testRunStarting(Catch::TestRunInfo const&) {
    if (applied_selection()) return;
    try {
        auto const node = resolve_node(process_environment());
        if (node.total == 1) return;
        fmt::print(stderr,
                   "shardtap: {} asks for node {} of {}, but this binary does not apply "
                   "shardtap's selection, so it would run every test on every node. Link "
                   "shardtap::main instead of Catch2::Catch2WithMain, or call "
                   "shardtap::apply_selection(session) after session.applyCommandLine().\n",
                   node.provider, node.index, node.total);
    } catch (NodeError const& error) {
        fmt::print(stderr, "{}\n", error.what());
    }
    std::fflush(stderr);
    std::exit(1);
}

}  // namespace shardtap
