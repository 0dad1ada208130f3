#pragma once
// --failed FILE: the test cases to run again, as a Catch2 input file (`BIN -f FILE`). Pure:
// streams in, the file's text and warnings out.
//
// Catch2 (3.4 and later) reads each line of an input file as one alternative of its test spec,
// a line that does not start with '"' quoted whole. shardtap writes each test case as a quoted
// name pattern, escaped so that it means that name and nothing else:
//
//     "a \"quoted\"\, name [with brackets]"
//     "**starts with a star" ~"x*starts with a star"
//
// What Catch2's spec syntax cannot say exactly, and what shardtap does about it:
// - a '*' at either end of a pattern is a wildcard, escaped or not: shardtap doubles it, so that
//   "**x" selects the names ending in "*x", and excludes (~"...") each other test case in the
//   streams that this would select too;
// - "exclude:" at the start of a pattern makes it an exclusion: written "Exclude:", since
//   Catch2 compares names ignoring case;
// - names are compared ignoring case and outer blanks: test cases whose names differ only so
//   are all selected, with a warning naming them (and so are test cases that share a name);
// - a name with a line break inside cannot be a line: left out, with a warning.

#include "verify/node_stream.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace shardtap::tools {

// What the merge knows of a test case.
struct RerunTestCase {
    std::string_view name;
    std::string_view class_name;
};

struct RerunFile {
    std::string text;                   // one line per test case; empty when nothing failed
    std::vector<std::string> warnings;  // one line each, without a "shardtap: " prefix
};

// The test cases that failed (not ok without TODO or SKIP; a test case that timed out or
// crashed has such a point before the stream's Bail out!), each once, sorted by name.
// Warns about the test cases a node never ran because it bailed out or was cut short.
RerunFile rerun_file(std::vector<NodeStream> const& streams);

// The line that selects `test`, excluding the `others` its pattern would select too (each
// must be a test case that should not run again).
std::string rerun_line(RerunTestCase const& test, std::vector<RerunTestCase> const& others);

}  // namespace shardtap::tools
