#pragma once
// Durations files on disk: the core's durations text (core/durations) read and written
// through posix/files.

#include "core/durations/durations.hpp"

#include <string>

namespace shardtap {

// Reads and parses the file at `path`; throws DurationsError, also when it cannot be read.
Durations read_durations(std::string const& path);

// Writes `durations` to `path` atomically (write_file_atomically). Throws DurationsError,
// leaving `path` as it was and no temporary file behind.
void write_durations(std::string const& path, Durations const& durations);

// Merges `durations` into the file at `path` (merge_durations: an entry recorded now replaces
// the file's entry for that test case; every other entry stays), creating it when there is none.
// Processes that merge into one file take turns (DirectoryLock), so that several processes of
// one run (ctest starts one per test case) all keep their entries. Throws DurationsError,
// leaving `path` as it was, also when the file there cannot be read as a durations file.
void merge_into_durations_file(std::string const& path, Durations const& durations);

// Checks that write_durations could create a file beside `path`, without touching `path`.
// Throws DurationsError naming the problem (a missing directory, no permission).
void check_durations_writable(std::string const& path);

}  // namespace shardtap
