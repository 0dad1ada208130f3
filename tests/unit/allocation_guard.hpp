#pragma once
// For tests of async-signal-safe code: while a guard is armed, every call of operator new or
// malloc (calloc, realloc) in this process is counted, or, in ending mode, ends the process
// with status 77 at once (for code that runs inside a signal handler, where nothing returns to
// report). The replacements live in allocation_guard.cpp, linked only into the test binary of
// the TAP writer. Under AddressSanitizer, which owns the allocator, nothing is replaced:
// allocation_guard_works() is then false.

#include <cstddef>

namespace shardtap::testing {

bool allocation_guard_works();
void arm_allocation_guard(bool end_process_on_allocation = false);
std::size_t disarm_allocation_guard();  // allocations while armed

}  // namespace shardtap::testing
