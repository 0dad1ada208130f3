#pragma once
// The shardtap command's exit statuses. Test failures (1) and a run that cannot be trusted (2)
// are told apart from every kind of bad input (64 and up, as in BSD's sysexits.h; 126 and 127
// as a shell reports a command it cannot run).

namespace shardtap::tools {

enum ExitStatus : int {
    exit_ok = 0,              // every node ran its share, nothing failed, the merge verified
    exit_tests_failed = 1,    // verified, but some test failed
    exit_verification = 2,    // the nodes' streams do not add up to one whole run
    exit_usage = 64,          // bad arguments: unknown option, -n outside 1..1024, no command
    exit_bad_input = 65,      // merge: a file that is not TAP (a stream cut short is 2)
    exit_no_input = 66,       // merge: a file that cannot be read
    exit_software = 70,       // run: an unexpected error (every node was stopped first)
    exit_cannot_create = 73,  // an output file or directory cannot be written
    exit_not_executable = 126,  // run: the command exists but cannot be executed
    exit_not_found = 127,       // run: no such command
};

}  // namespace shardtap::tools
