#pragma once
// The shardtap command line: what each subcommand was asked to do. Pure: parsing only.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace shardtap::tools {

// Files written after a merge, by `run` and `merge` alike.
struct OutputOptions {
    std::optional<std::string> merged_tap;  // --tap FILE: one TAP stream of every node's points
    std::optional<std::string> junit;       // --junit FILE: JUnit XML, one testsuite per node
    std::optional<std::string> html;        // --html FILE: a page showing the run (html_report.hpp)
    // --durations FILE: updated with the durations the nodes recorded (created if missing);
    // entries of test cases that did not run this time are kept.
    std::optional<std::string> durations;
    // --node-durations FILE (merge, repeatable): a node's SHARDTAP_DURATIONS_OUT file. `run`
    // fills this in itself with the files it asked its nodes to write.
    std::vector<std::string> node_durations;
    // --failed FILE: the test cases that failed, as a Catch2 input file (BIN -f FILE reruns
    // them); empty when nothing failed.
    std::optional<std::string> failed;
};

struct RunOptions {
    std::size_t nodes = 0;                // -n N, 1..1024
    std::optional<std::string> out_dir;   // --out DIR; default: a new temporary directory
    std::optional<double> test_timeout;   // --timeout SECONDS: SHARDTAP_TEST_TIMEOUT of every node
    std::vector<std::string> command;     // after --: the program and its arguments
    OutputOptions outputs;
};

struct MergeOptions {
    std::vector<std::string> files;  // one TAP stream per node
    OutputOptions outputs;
};

struct PlanOptions {
    std::optional<std::string> durations;  // --durations FILE; otherwise from the TAP files
    std::vector<std::string> files;        // node TAP streams whose test points carry times
    std::size_t max_nodes = 32;            // --max-nodes N: Heroku CI's most test dynos
    double node_overhead = 0;              // --node-overhead SECONDS: boot and setup per node
    std::optional<std::string> html;       // --html FILE: the plan drawn (plan_report.hpp)
};

struct HelpRequest {
    std::string topic;  // "", "run", "merge" or "plan"
};

struct VersionRequest {};

using Request = std::variant<HelpRequest, VersionRequest, RunOptions, MergeOptions, PlanOptions>;

constexpr std::size_t max_nodes = 1024;

// A command line that asks for nothing sensible; what() is one line saying what is wrong.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `arguments` excludes the program name.
Request parse_arguments(std::vector<std::string> const& arguments);

// The help text, for `shardtap --help` (topic "") or `shardtap run|merge|plan --help`.
std::string usage_text(std::string const& topic = "");

}  // namespace shardtap::tools
