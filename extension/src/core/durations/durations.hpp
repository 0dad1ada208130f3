#pragma once
// Durations: how long each test case took, recorded by the listener and read back to balance
// the next split; the text of a durations file. Pure: no Catch2, no I/O (posix/durations_file).
//
// The file is JSON:
//
//     {
//       "format": "shardtap-durations",
//       "version": 1,
//       "durations": {
//         "test case name": 0.25,
//         "another test case": 1.5
//       }
//     }
//
// Keys of "durations" are test case names exactly as Catch2 reports them; values are seconds,
// numbers from 0 to max_recorded_seconds. Other top-level fields are ignored.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap {

// Seconds per test case name. std::less<> lets a TestKey's name look up without a copy.
using Durations = std::map<std::string, double, std::less<>>;

inline constexpr std::string_view durations_format = "shardtap-durations";
inline constexpr int durations_version = 1;
// Larger values are rejected: no test case runs for 11 days, and the bound keeps every sum of
// durations exact in the partitioner's integer microseconds.
inline constexpr double max_recorded_seconds = 1e6;

// A durations file that cannot be used. what() is one line naming the file and the problem.
class DurationsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses the text of a durations file. `source` names it in errors (usually its path).
// Throws DurationsError for malformed JSON, a wrong format name or version, or a duration that
// is not a number from 0 to max_recorded_seconds.
Durations parse_durations(std::string_view text, std::string_view source);

// The text of a durations file holding `durations`, which parse_durations reads back.
// A name that is not valid UTF-8 is written with U+FFFD in place of the bad bytes.
std::string format_durations(Durations const& durations);

// The durations file for the next split, from the files a run's nodes recorded and the file
// that run was split by (or an older merge). A test case recorded this time takes its new
// duration (the longest, when several of `recorded` have it); every other entry of `earlier`
// is kept, so tests that did not run this time keep their durations. The result does not depend
// on the order of `recorded`.
Durations merge_durations(std::vector<Durations> const& recorded, Durations const& earlier = {});

}  // namespace shardtap
