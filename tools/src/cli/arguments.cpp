#include "cli/arguments.hpp"

#include "core/split/settings.hpp"
#include "core/text/numbers.hpp"
#include "core/text/quoted.hpp"

#include <fmt/format.h>

namespace shardtap::tools {
namespace {

// Reads the value of an option given as "--name VALUE" or "--name=VALUE"; `i` moves past it.
std::optional<std::string> option_value(std::vector<std::string> const& arguments, std::size_t& i,
                                        std::string const& subcommand,
                                        std::initializer_list<char const*> names) {
    std::string const& argument = arguments[i];
    for (char const* name : names) {
        std::string const option(name);
        if (argument == option) {
            if (i + 1 >= arguments.size()) {
                throw UsageError(fmt::format("{}: {} needs a value", subcommand, option));
            }
            return arguments[++i];
        }
        if (option.rfind("--", 0) == 0 && argument.rfind(option + "=", 0) == 0) {
            return argument.substr(option.size() + 1);
        }
    }
    return std::nullopt;
}

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

bool output_option(std::vector<std::string> const& arguments, std::size_t& i,
                   std::string const& subcommand, OutputOptions& outputs) {
    if (auto value = option_value(arguments, i, subcommand, {"--tap"})) {
        outputs.merged_tap = *value;
        return true;
    }
    if (auto value = option_value(arguments, i, subcommand, {"--junit"})) {
        outputs.junit = *value;
        return true;
    }
    if (auto value = option_value(arguments, i, subcommand, {"--html"})) {
        outputs.html = *value;
        return true;
    }
    if (auto value = option_value(arguments, i, subcommand, {"--durations"})) {
        outputs.durations = *value;
        return true;
    }
    if (auto value = option_value(arguments, i, subcommand, {"--failed"})) {
        outputs.failed = *value;
        return true;
    }
    if (subcommand == "merge") {
        if (auto value = option_value(arguments, i, subcommand, {"--node-durations"})) {
            outputs.node_durations.push_back(*value);
            return true;
        }
    }
    return false;
}

bool is_help(std::string const& argument) { return argument == "-h" || argument == "--help"; }

RunOptions parse_run(std::vector<std::string> const& arguments) {
    RunOptions options;
    bool nodes_given = false;
    std::size_t i = 1;
    for (; i < arguments.size(); ++i) {
        std::string const& argument = arguments[i];
        if (argument == "--") {
            ++i;
            break;
        }
        if (auto nodes = option_value(arguments, i, "run", {"-n", "--nodes"})) {
            options.nodes = count_of("run: -n", *nodes);
            nodes_given = true;
        } else if (auto timeout = option_value(arguments, i, "run", {"--timeout"})) {
            options.test_timeout = timeout_seconds(*timeout);
        } else if (auto out = option_value(arguments, i, "run", {"--out"})) {
            if (out->empty()) throw UsageError("run: --out needs a directory");
            options.out_dir = *out;
        } else if (output_option(arguments, i, "run", options.outputs)) {
        } else if (!argument.empty() && argument[0] == '-') {
            throw UsageError(fmt::format("run: unknown option {}", in_quotes(argument)));
        } else {
            throw UsageError(fmt::format(
                "run: give the command after --, as in: shardtap run -n 4 -- {} -r tap-stream",
                argument));
        }
    }
    options.command.assign(arguments.begin() + static_cast<std::ptrdiff_t>(i), arguments.end());
    if (!nodes_given) throw UsageError("run: say how many nodes with -n N");
    if (options.command.empty() || options.command[0].empty()) {
        throw UsageError("run: no command after --");
    }
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
        } else if (output_option(arguments, i, "merge", options.outputs)) {
        } else if (argument.size() > 1 && argument[0] == '-') {
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

double node_overhead(std::string const& text) {
    auto const seconds = read_seconds(text, 1e6);
    if (seconds.problem) {
        throw UsageError(fmt::format(
            "plan: --node-overhead must be a number of seconds from 0 to 1000000, not {}", in_quotes(text)));
    }
    return seconds.value;
}

PlanOptions parse_plan(std::vector<std::string> const& arguments) {
    PlanOptions options;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        std::string const& argument = arguments[i];
        if (auto durations = option_value(arguments, i, "plan", {"--durations"})) {
            options.durations = *durations;
        } else if (auto most = option_value(arguments, i, "plan", {"--max-nodes"})) {
            options.max_nodes = count_of("plan: --max-nodes", *most);
        } else if (auto overhead = option_value(arguments, i, "plan", {"--node-overhead"})) {
            options.node_overhead = node_overhead(*overhead);
        } else if (auto html = option_value(arguments, i, "plan", {"--html"})) {
            options.html = *html;
        } else if (argument.size() > 1 && argument[0] == '-') {
            throw UsageError(fmt::format("plan: unknown option {}", in_quotes(argument)));
        } else {
            options.files.push_back(argument);
        }
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
    std::string const run =
        "shardtap run -n N [--out DIR] [--tap FILE] [--junit FILE] [--durations FILE]\n"
        "             [--failed FILE] [--timeout SECONDS] [--html FILE] -- CMD [ARGS...]\n"
        "  Starts N nodes of CMD at once, node i with SHARDTAP_NODE_TOTAL=N and\n"
        "  SHARDTAP_NODE_INDEX=i (and CI_NODE_TOTAL/CI_NODE_INDEX, as Heroku CI sets them).\n"
        "  CMD chooses its own reporter and must write TAP on stdout, e.g. a Catch2 binary\n"
        "  linked with shardtap::main and given -r tap-stream. Node i's stdout is kept in\n"
        "  DIR/node-i.tap, its stderr in DIR/node-i.log (DIR: a new temporary directory\n"
        "  unless --out says). Progress goes to stderr while the nodes run; then the node\n"
        "  files are merged and verified as by shardtap merge. With --durations, every node\n"
        "  records its durations (SHARDTAP_DURATIONS_OUT=DIR/node-i.durations.json) and FILE\n"
        "  is updated with them: give it back as SHARDTAP_DURATIONS to balance the next run.\n"
        "  --failed FILE writes the test cases that failed as a Catch2 input file, as merge.\n"
        "  Each node gets its own TMPDIR, DIR/node-i.tmp (removed afterwards unless --out).\n"
        "  --timeout: a test case running longer fails its node (SHARDTAP_TEST_TIMEOUT).\n"
        "  SIGINT, SIGTERM or SIGHUP: passed on to the nodes, their streams merged, exit\n"
        "  128 + the signal's number.\n";
    std::string const merge =
        "shardtap merge [--tap FILE] [--junit FILE] [--html FILE] [--failed FILE]\n"
        "               [--durations FILE [--node-durations NODE.json]...] NODE.tap...\n"
        "  Reads one TAP stream per node and verifies that together they are one whole run:\n"
        "  every node present once, the same node count and split fingerprint on all, no\n"
        "  node bailed out or cut short, no test case on two nodes. Prints a summary per\n"
        "  node; --tap writes one merged TAP stream, --junit a JUnit XML file, --durations\n"
        "  updates FILE with the nodes' durations files (a test case recorded now takes its\n"
        "  new time; the others keep theirs; the order of the files does not matter; a node\n"
        "  file that does not exist, as after a crash, is left out with a warning; without\n"
        "  --node-durations, the times the streams' test points carry are used). --failed\n"
        "  writes the test cases that failed (a timeout or a crash included) as a Catch2\n"
        "  input file: CMD -f FILE runs exactly those again; the file is empty when nothing\n"
        "  failed (and an empty -f file selects everything: check first).\n"
        "  --html writes one self-contained page: a timeline per node, the verdict, the\n"
        "  slowest test cases and each failure (run takes it too).\n";
    std::string const plan =
        "shardtap plan (--durations FILE | NODE.tap...) [--max-nodes N]\n"
        "              [--node-overhead SECONDS] [--html FILE]\n"
        "  For 1 to N nodes (default 32, Heroku CI's limit) prints the predicted wall time\n"
        "  (the heaviest node) with the round-robin and the duration strategy, the lower\n"
        "  bound max(total/N, longest test case), the speedup against one node and the\n"
        "  node-seconds billed (every node's run added up); then the smallest node count\n"
        "  within 5% of the best wall time. The durations come from a durations file or the\n"
        "  times in node TAP streams. --node-overhead adds a fixed cost to every node (its\n"
        "  boot and setup) and the choice takes it into account. --html FILE draws the\n"
        "  wall time and the billed node-seconds against the node count.\n";
    std::string const statuses =
        "Exit status: 0 all passed and verified; 1 some test failed; 2 the nodes' results\n"
        "do not add up (a node missing, crashed, bailed out or cut short, a test run twice,\n"
        "nodes that disagree); 64 bad arguments; 65 a file that is not TAP or not a\n"
        "durations file (malformed); 66 a file cannot be read; 70 run stopped by an error;\n"
        "73 an output cannot be written; 126 CMD cannot be executed; 127 CMD not found;\n"
        "128 + N run stopped by signal N (SIGINT 130, SIGTERM 143, SIGHUP 129).\n";
    if (topic == "run") return run + "\n" + statuses;
    if (topic == "merge") return merge + "\n" + statuses;
    if (topic == "plan") return plan + "\n" + statuses;
    return "shardtap: run a Catch2 suite split over N local nodes, and merge node results\n\n" +
           run + "\n" + merge + "\n" + plan + "\n" + statuses;
}

}  // namespace shardtap::tools
