#include "session_main.hpp"

#include <shardtap/selection.hpp>

#include <catch2/catch_session.hpp>

namespace shardtap {

int session_main(int argc, char** argv) {
    Catch::Session session;
    add_command_line_options(session);
    if (int status = session.applyCommandLine(argc, argv)) return status;
    if (int status = apply_selection(session)) return status;
    return session.run();
}

}  // namespace shardtap
