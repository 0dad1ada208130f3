#pragma once
// Durations: how long each test case took, recorded by the listener and read back to balance
// the next split; the text of a durations file. Pure: no Catch2, no I/O (posix/durations_file).
//
// The file is JSON, one entry per line:
//
//     {
//       "format": "shardtap-durations",
//       "version": 2,
//       "durations": [
//         {"name": "same name", "class": "", "tags": "[a]", "seconds": 0.25},
//         {"name": "same name", "class": "", "tags": "[b]", "seconds": 1.5},
//         {"name": "known by name only", "seconds": 2}
//       ]
//     }
//
// An entry names a test case by its identity (core/identity): "name", "class" and "tags"
// exactly as Catch2 reports them ("class" is empty for a TEST_CASE, "tags" as
// TestCaseInfo::tagsAsString prints them). An entry with "name" alone, without "class" and
// "tags", stands for every test case of that name that has no entry of its own: what a
// version 1 file holds. "seconds" is a number from 0 to max_recorded_seconds. Other fields
// are ignored.
//
// Version 1 files are still read: {"durations": {"test case name": 0.25, ...}}, each entry
// by name only.

#include "core/identity/test_identity.hpp"

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardtap {

struct Durations {
    Durations() = default;
    // The durations of these test cases.
    Durations(std::initializer_list<std::pair<TestIdentity const, double>> tests_) : tests(tests_) {}

    // Seconds per test case. std::less<> lets a TestIdentityView look up without a copy.
    std::map<TestIdentity, double, std::less<>> tests;
    // Seconds per name, for every test case of that name without an entry in `tests`.
    std::map<std::string, double, std::less<>> names;

    // The seconds recorded for `test`: its own entry, or else its name's; none without either.
    std::optional<double> find(TestIdentityView test) const;
    // Records `seconds` for `test`; when it has an entry already, the longer stays (whatever
    // the order of recording, the result is the same).
    void record(TestIdentity const& test, double seconds);
    bool empty() const { return tests.empty() && names.empty(); }

    friend bool operator==(Durations const& a, Durations const& b) {
        return a.tests == b.tests && a.names == b.names;
    }
};

inline constexpr std::string_view durations_format = "shardtap-durations";
inline constexpr int durations_version = 2;  // what format_durations writes
// Larger values are rejected: no test case runs for 11 days, and the bound keeps every sum of
// durations exact in the partitioner's integer microseconds.
inline constexpr double max_recorded_seconds = 1e6;

// A durations file that cannot be used. what() is one line naming the file and the problem.
class DurationsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The one form of that line: "shardtap: durations file "FILE": PROBLEM".
DurationsError durations_file_error(std::string_view file, std::string_view problem);

// Parses the text of a durations file, version 1 or 2. `source` names it in errors (usually
// its path). Throws DurationsError for malformed JSON, a wrong format name or version, a
// malformed entry, two entries for one test case, or a duration that is not a number from 0
// to max_recorded_seconds.
Durations parse_durations(std::string_view text, std::string_view source);

// The text of a version 2 durations file holding `durations`, which parse_durations reads
// back. A string that is not valid UTF-8 is written with U+FFFD in place of the bad bytes.
std::string format_durations(Durations const& durations);

// The durations file for the next split, from the files a run's nodes recorded and the file
// that run was split by (or an older merge). An entry recorded this time takes its new
// duration (the longest, when several of `recorded` have it); every other entry of `earlier`
// is kept, so tests that did not run this time keep their durations, except a name-only entry
// for a name recorded this time: from then on the test cases of that name are known by their
// identity (a version 1 file becomes a version 2 one). The result does not depend on the order
// of `recorded`.
Durations merge_durations(std::vector<Durations> const& recorded, Durations const& earlier = {});

}  // namespace shardtap
