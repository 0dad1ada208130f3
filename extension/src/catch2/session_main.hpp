#pragma once
// The body of shardtap::main's main(): Catch2's main with this node's share selected before
// the run. Apart from main.cpp, so that main.cpp does not compile Catch2's session header again.

namespace shardtap {

int session_main(int argc, char** argv);

}  // namespace shardtap
