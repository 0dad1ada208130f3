#include "arguments.hpp"

#include <fmt/format.h>

#include <charconv>

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

std::size_t node_count(std::string const& text) {
    std::size_t value = 0;
    auto const* end = text.data() + text.size();
    auto const [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value < 1 || value > max_nodes) {
        throw UsageError(fmt::format(
            "run: -n must be a whole number from 1 to {}, not '{}'", max_nodes, text));
    }
    return value;
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
            options.nodes = node_count(*nodes);
            nodes_given = true;
        } else if (auto out = option_value(arguments, i, "run", {"--out"})) {
            if (out->empty()) throw UsageError("run: --out needs a directory");
            options.out_dir = *out;
        } else if (output_option(arguments, i, "run", options.outputs)) {
        } else if (!argument.empty() && argument[0] == '-') {
            throw UsageError(fmt::format("run: unknown option '{}'", argument));
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
            throw UsageError(fmt::format("merge: unknown option '{}'", argument));
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

}  // namespace

Request parse_arguments(std::vector<std::string> const& arguments) {
    if (arguments.empty()) throw UsageError("say what to do: shardtap run or shardtap merge");
    std::string const& subcommand = arguments[0];
    if (is_help(subcommand)) return HelpRequest{};
    if (subcommand == "--version") return VersionRequest{};
    if (subcommand != "run" && subcommand != "merge") {
        throw UsageError(fmt::format("unknown command '{}': use run or merge", subcommand));
    }
    // `--help` anywhere before the command (or before the files) asks for help.
    for (std::size_t i = 1; i < arguments.size() && arguments[i] != "--"; ++i) {
        if (is_help(arguments[i])) return HelpRequest{subcommand};
    }
    if (subcommand == "run") return parse_run(arguments);
    return parse_merge(arguments);
}

std::string usage_text(std::string const& topic) {
    std::string const run =
        "shardtap run -n N [--out DIR] [--tap FILE] [--junit FILE] [--durations FILE]\n"
        "             [--html FILE] -- CMD [ARGS...]\n"
        "  Starts N nodes of CMD at once, node i with SHARDTAP_NODE_TOTAL=N and\n"
        "  SHARDTAP_NODE_INDEX=i (and CI_NODE_TOTAL/CI_NODE_INDEX, as Heroku CI sets them).\n"
        "  CMD chooses its own reporter and must write TAP on stdout, e.g. a Catch2 binary\n"
        "  linked with shardtap::main and given -r tap-stream. Node i's stdout is kept in\n"
        "  DIR/node-i.tap, its stderr in DIR/node-i.log (DIR: a new temporary directory\n"
        "  unless --out says). Progress goes to stderr while the nodes run; then the node\n"
        "  files are merged and verified as by shardtap merge. With --durations, every node\n"
        "  records its durations (SHARDTAP_DURATIONS_OUT=DIR/node-i.durations.json) and FILE\n"
        "  is updated with them: give it back as SHARDTAP_DURATIONS to balance the next run.\n";
    std::string const merge =
        "shardtap merge [--tap FILE] [--junit FILE] [--html FILE]\n"
        "               [--durations FILE [--node-durations NODE.json]...] NODE.tap...\n"
        "  Reads one TAP stream per node and verifies that together they are one whole run:\n"
        "  every node present once, the same node count and split fingerprint on all, no\n"
        "  node bailed out or cut short, no test case on two nodes. Prints a summary per\n"
        "  node; --tap writes one merged TAP stream, --junit a JUnit XML file, --durations\n"
        "  updates FILE with the nodes' durations files (a test case recorded now takes its\n"
        "  new time; the others keep theirs; the order of the files does not matter; a node\n"
        "  file that does not exist, as after a crash, is left out with a warning).\n"
        "  --html writes one self-contained page: a timeline per node, the verdict, the\n"
        "  slowest test cases and each failure (run takes it too).\n";
    std::string const statuses =
        "Exit status: 0 all passed and verified; 1 some test failed; 2 the nodes' results\n"
        "do not add up (a node missing, crashed, bailed out or cut short, a test run twice,\n"
        "nodes that disagree); 64 bad arguments; 65 a file that is not TAP or not a\n"
        "durations file (malformed); 66 a file cannot be read; 73 an output cannot be written;\n"
        "126 CMD cannot be executed; 127 CMD not found.\n";
    if (topic == "run") return run + "\n" + statuses;
    if (topic == "merge") return merge + "\n" + statuses;
    return "shardtap: run a Catch2 suite split over N local nodes, and merge node results\n\n" +
           run + "\n" + merge + "\n" + statuses;
}

}  // namespace shardtap::tools
