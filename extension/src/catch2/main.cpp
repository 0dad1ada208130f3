// shardtap::main: Catch2's main, with this node's share selected before the run.
#include "session_main.hpp"

int main(int argc, char** argv) { return shardtap::session_main(argc, argv); }
