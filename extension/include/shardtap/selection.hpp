#pragma once
// Making a Catch2 session run only this node's share of the test cases.

namespace Catch {
class Session;
}

namespace shardtap {

// Call once, after session.applyCommandLine() and before session.run(). Resolves which node
// this process is and leaves the session set to run exactly that node's share, in the user's
// --order. Returns 0 to go on with session.run(); anything else is the exit status to return
// at once (1 for a misconfigured node, with one line on stderr).
//
//     Catch::Session session;
//     if (int status = session.applyCommandLine(argc, argv)) return status;
//     if (int status = shardtap::apply_selection(session)) return status;
//     return session.run();
int apply_selection(Catch::Session& session);

// Optional, before session.applyCommandLine(): adds shardtap's options to the session's command
// line. Each wins over its environment variable.
//
//     --shardtap-strategy round-robin|duration   SHARDTAP_STRATEGY
//     --shardtap-durations FILE                  SHARDTAP_DURATIONS: balance the split by FILE
//     --shardtap-durations-out FILE              SHARDTAP_DURATIONS_OUT: record durations to FILE
//     --shardtap-test-timeout SECONDS            SHARDTAP_TEST_TIMEOUT: a test case running longer
//                                                fails the node
//
// shardtap::main adds them. A custom main that skips this call still gets everything through the
// environment variables.
//
//     Catch::Session session;
//     shardtap::add_command_line_options(session);
//     if (int status = session.applyCommandLine(argc, argv)) return status;
//     if (int status = shardtap::apply_selection(session)) return status;
//     return session.run();
void add_command_line_options(Catch::Session& session);

}  // namespace shardtap
