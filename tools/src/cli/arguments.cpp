#include "cli/arguments.hpp"

#include "cli/option_table.hpp"
#include "core/split/settings.hpp"
#include "core/text/numbers.hpp"
#include "core/text/quoted.hpp"

#include <fmt/format.h>

namespace shardtap::tools {
namespace {

// A node count from 1 to max_nodes; `what` names the option in the error.
std::size_t count_of(char const* what, std::string const& text) {
    auto const number = read_whole_number(text, max_nodes);
    if (number.problem || number.value < 1) {
        throw UsageError(fmt::format("{} must be a whole number from 1 to {}, not {}", what, max_nodes,
                                     in_quotes(text)));
    }
    return number.value;
}

double timeout_seconds(std::string const& text) {
    auto const seconds = read_test_timeout(text);
    if (!seconds) throw UsageError(fmt::format("run: --timeout must be {}, not {}", test_timeout_rule(), in_quotes(text)));
    return *seconds;
}

double node_overhead(std::string const& text) {
    auto const seconds = read_seconds(text, 1e6);
    if (seconds.problem) {
        throw UsageError(fmt::format(
            "plan: --node-overhead must be a number of seconds from 0 to 1000000, not {}", in_quotes(text)));
    }
    return seconds.value;
}

// The files written after a merge, by `run` and `merge` alike; --durations last, so that
// merge's --node-durations is shown inside it.
template <class Options>
std::vector<Option<Options>> output_options() {
    using Value = std::string const&;
    return {
        {{"--tap", "", "FILE", "writes one merged TAP stream of every node's points"},
         [](Options& options, Value value) { options.outputs.merged_tap = value; }},
        {{"--junit", "", "FILE", "writes a JUnit XML file, a testsuite per node"},
         [](Options& options, Value value) { options.outputs.junit = value; }},
        {{"--html", "", "FILE",
          "writes one self-contained page: a timeline per node, the verdict, the slowest test cases "
          "and each failure"},
         [](Options& options, Value value) { options.outputs.html = value; }},
        {{"--failed", "", "FILE",
          "writes the test cases that failed (a timeout or a crash included) as a Catch2 input file: "
          "CMD -f FILE runs exactly those again; the file is empty when nothing failed (and an empty "
          "-f file selects everything: check first)"},
         [](Options& options, Value value) { options.outputs.failed = value; }},
        {{"--durations", "", "FILE",
          "updates FILE with the durations the nodes recorded, created if missing: a test case "
          "recorded now takes its new time, the others keep theirs, the order of the nodes' files does "
          "not matter, and a node file that does not exist (as after a crash) is left out with a "
          "warning. Give FILE back as SHARDTAP_DURATIONS to balance the next run"},
         [](Options& options, Value value) { options.outputs.durations = value; }},
    };
}

template <class Options>
std::vector<Option<Options>> joined(std::vector<Option<Options>> first, std::vector<Option<Options>> const& second) {
    first.insert(first.end(), second.begin(), second.end());
    return first;
}

Subcommand<RunOptions> const& run_subcommand() {
    using Value = std::string const&;
    static Subcommand<RunOptions> const run{
        "run", "-- CMD [ARGS...]",
        "Starts N nodes of CMD at once, node i with SHARDTAP_NODE_TOTAL=N and SHARDTAP_NODE_INDEX=i "
        "(and CI_NODE_TOTAL/CI_NODE_INDEX, as Heroku CI sets them). CMD chooses its own reporter and "
        "must write TAP on stdout, e.g. a Catch2 binary linked with shardtap::main and given -r "
        "tap-stream. Node i's stdout is kept in DIR/node-i.tap, its stderr in DIR/node-i.log, and it "
        "gets its own TMPDIR, DIR/node-i.tmp (removed afterwards unless --out). Progress goes to stderr "
        "while the nodes run; then the node files are merged and verified as by shardtap merge. With "
        "--durations, every node records its durations (SHARDTAP_DURATIONS_OUT=DIR/node-i.durations.json). "
        "SIGINT, SIGTERM or SIGHUP: passed on to the nodes, their streams merged, exit 128 + the "
        "signal's number.",
        joined<RunOptions>(
            {{{"-n", "--nodes", "N", "how many nodes, from 1 to 1024", Shown::required},
              [](RunOptions& options, Value value) { options.nodes = count_of("run: -n", value); }},
             {{"--out", "", "DIR", "keeps the node files in DIR (default: a new temporary directory)"},
              [](RunOptions& options, Value value) {
                  if (value.empty()) throw UsageError("run: --out needs a directory");
                  options.out_dir = value;
              }},
             {{"--timeout", "", "SECONDS",
               "a test case running longer fails its node (SHARDTAP_TEST_TIMEOUT of every node)"},
              [](RunOptions& options, Value value) { options.test_timeout = timeout_seconds(value); }}},
            output_options<RunOptions>())};
    return run;
}

Subcommand<MergeOptions> const& merge_subcommand() {
    static Subcommand<MergeOptions> const merge{
        "merge", "NODE.tap...",
        "Reads one TAP stream per node and verifies that together they are one whole run: every node "
        "present once, the same node count and split fingerprint on all, no node bailed out or cut "
        "short, no test case on two nodes. Prints a summary per node.",
        joined<MergeOptions>(
            output_options<MergeOptions>(),
            {{{"--node-durations", "", "NODE.json",
               "a node's durations file for --durations, once per node; without it, --durations takes "
               "the times the streams' test points carry",
               Shown::nested},
              [](MergeOptions& options, std::string const& value) { options.outputs.node_durations.push_back(value); }}})};
    return merge;
}

Subcommand<PlanOptions> const& plan_subcommand() {
    using Value = std::string const&;
    static Subcommand<PlanOptions> const plan{
        "plan", "NODE.tap...",
        "For 1 to N nodes prints the predicted wall time (the heaviest node) with the round-robin and "
        "the duration strategy, the lower bound max(total/N, longest test case), the speedup against "
        "one node and the node-seconds billed (every node's run added up); then the smallest node count "
        "within 5% of the best wall time.",
        {{{"--durations", "", "FILE", "the durations to plan by; or else the times in node TAP streams",
           Shown::or_files},
          [](PlanOptions& options, Value value) { options.durations = value; }},
         {{"--max-nodes", "", "N", "the most nodes to plan for (default 32, Heroku CI's limit)"},
          [](PlanOptions& options, Value value) { options.max_nodes = count_of("plan: --max-nodes", value); }},
         {{"--node-overhead", "", "SECONDS",
           "a fixed cost added to every node (its boot and setup); the choice takes it into account"},
          [](PlanOptions& options, Value value) { options.node_overhead = node_overhead(value); }},
         {{"--html", "", "FILE", "draws the wall time and the billed node-seconds against the node count"},
          [](PlanOptions& options, Value value) { options.html = value; }}}};
    return plan;
}

bool is_help(std::string const& argument) { return argument == "-h" || argument == "--help"; }

bool is_option(std::string const& argument) { return argument.size() > 1 && argument[0] == '-'; }

RunOptions parse_run(std::vector<std::string> const& arguments) {
    RunOptions options;
    std::size_t i = 1;
    for (; i < arguments.size() && arguments[i] != "--"; ++i) {
        std::string const& argument = arguments[i];
        if (read_option(run_subcommand(), arguments, i, options)) continue;
        if (!argument.empty() && argument[0] == '-') {
            throw UsageError(fmt::format("run: unknown option {}", in_quotes(argument)));
        }
        throw UsageError(fmt::format(
            "run: give the command after --, as in: shardtap run -n 4 -- {} -r tap-stream", argument));
    }
    if (i < arguments.size()) ++i;  // past --
    options.command.assign(arguments.begin() + static_cast<std::ptrdiff_t>(i), arguments.end());
    if (options.nodes == 0) throw UsageError("run: say how many nodes with -n N");
    if (options.command.empty() || options.command[0].empty()) throw UsageError("run: no command after --");
    return options;
}

MergeOptions parse_merge(std::vector<std::string> const& arguments) {
    MergeOptions options;
    bool files_only = false;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        std::string const& argument = arguments[i];
        if (files_only) {
            options.files.push_back(argument);
        } else if (argument == "--") {
            files_only = true;
        } else if (read_option(merge_subcommand(), arguments, i, options)) {
        } else if (is_option(argument)) {
            throw UsageError(fmt::format("merge: unknown option {}", in_quotes(argument)));
        } else {
            options.files.push_back(argument);
        }
    }
    if (options.files.empty()) throw UsageError("merge: give the nodes' TAP files");
    if (!options.outputs.node_durations.empty() && !options.outputs.durations) {
        throw UsageError("merge: --node-durations needs --durations FILE to merge them into");
    }
    return options;
}

PlanOptions parse_plan(std::vector<std::string> const& arguments) {
    PlanOptions options;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        std::string const& argument = arguments[i];
        if (read_option(plan_subcommand(), arguments, i, options)) continue;
        if (is_option(argument)) throw UsageError(fmt::format("plan: unknown option {}", in_quotes(argument)));
        options.files.push_back(argument);
    }
    if (options.durations.has_value() == !options.files.empty()) {
        throw UsageError("plan: give either --durations FILE or the nodes' TAP files");
    }
    return options;
}
}  // namespace

Request parse_arguments(std::vector<std::string> const& arguments) {
    if (arguments.empty()) throw UsageError("say what to do: shardtap run, merge or plan");
    std::string const& subcommand = arguments[0];
    if (is_help(subcommand)) return HelpRequest{};
    if (subcommand == "--version") return VersionRequest{};
    if (subcommand != "run" && subcommand != "merge" && subcommand != "plan") {
        throw UsageError(fmt::format("unknown command {}: use run, merge or plan", in_quotes(subcommand)));
    }
    // `--help` anywhere before the command (or before the files) asks for help.
    for (std::size_t i = 1; i < arguments.size() && arguments[i] != "--"; ++i) {
        if (is_help(arguments[i])) return HelpRequest{subcommand};
    }
    if (subcommand == "run") return parse_run(arguments);
    if (subcommand == "plan") return parse_plan(arguments);
    return parse_merge(arguments);
}

std::string usage_text(std::string const& topic) {
    std::string const statuses =
        "Exit status: 0 all passed and verified; 1 some test failed; 2 the nodes' results\n"
        "do not add up (a node missing, crashed, bailed out or cut short, a test run\n"
        "twice, nodes that disagree); 64 bad arguments; 65 a file that is not TAP or not\n"
        "a durations file (malformed); 66 a file cannot be read; 70 run stopped by an\n"
        "error; 73 an output cannot be written; 126 CMD cannot be executed;\n"
        "127 CMD not found; 128 + N run stopped by signal N (SIGINT 130, SIGTERM 143,\n"
        "SIGHUP 129).\n";
    std::string const run = help(run_subcommand().text());
    std::string const merge = help(merge_subcommand().text());
    std::string const plan = help(plan_subcommand().text());
    if (topic == "run") return run + "\n" + statuses;
    if (topic == "merge") return merge + "\n" + statuses;
    if (topic == "plan") return plan + "\n" + statuses;
    return "shardtap: run a Catch2 suite split over N local nodes, and merge node results\n\n" + run + "\n" +
           merge + "\n" + plan + "\n" + statuses;
}

}  // namespace shardtap::tools
