// shardtap::main: Catch2's main, with this node's share selected before the run.
#include <shardtap/selection.hpp>

#include <catch2/catch_session.hpp>

int main(int argc, char** argv) {
    Catch::Session session;
    shardtap::add_command_line_options(session);
    if (int status = session.applyCommandLine(argc, argv)) return status;
    if (int status = shardtap::apply_selection(session)) return status;
    return session.run();
}
