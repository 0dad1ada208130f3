#include "cli/arguments.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <regex>
#include <sstream>

using Catch::Matchers::ContainsSubstring;
using namespace shardtap::tools;

namespace {
std::string usage_error(std::vector<std::string> const& arguments) {
    try {
        parse_arguments(arguments);
    } catch (UsageError const& error) {
        return error.what();
    }
    FAIL("no UsageError");
    return {};
}
}  // namespace

TEST_CASE("run: nodes, output directory, outputs and the command after --") {
    auto request = parse_arguments({"run", "-n", "12", "--out", "d", "--junit=j.xml", "--tap", "m.tap",
                                    "--", "./slow_tests", "-r", "tap-stream", "--", "-n", "3"});
    auto const& run = std::get<RunOptions>(request);
    CHECK(run.nodes == 12);
    CHECK(run.out_dir == "d");
    CHECK(run.outputs.junit == "j.xml");
    CHECK(run.outputs.merged_tap == "m.tap");
    CHECK(run.command == std::vector<std::string>{"./slow_tests", "-r", "tap-stream", "--", "-n", "3"});
    CHECK(std::get<RunOptions>(parse_arguments({"run", "--nodes=1", "--", "x"})).nodes == 1);
    CHECK(std::get<RunOptions>(parse_arguments({"run", "-n", "1024", "--", "x"})).nodes == 1024);
}

TEST_CASE("run: a node count outside 1..1024 is a usage error") {
    for (auto const* bad : {"0", "1025", "-1", "abc", "", "12x", " 3", "99999999999999999999999"}) {
        CHECK_THAT(usage_error({"run", "-n", bad, "--", "x"}),
                   ContainsSubstring("-n must be a whole number from 1 to 1024, not \"" + std::string(bad) + "\""));
    }
}

TEST_CASE("run: --timeout takes a positive number of seconds") {
    CHECK(std::get<RunOptions>(parse_arguments({"run", "-n", "2", "--timeout", "90", "--", "x"})).test_timeout == 90.0);
    CHECK(std::get<RunOptions>(parse_arguments({"run", "-n", "2", "--timeout=2.5", "--", "x"})).test_timeout == 2.5);
    CHECK_FALSE(std::get<RunOptions>(parse_arguments({"run", "-n", "2", "--", "x"})).test_timeout);
    for (auto const* bad : {"0", "0.0", "-1", "abc", "", "1e3", "1.", ".5", " 3", "2s", "1000001", "inf", "nan", "0x10"}) {
        CHECK_THAT(usage_error({"run", "-n", "2", "--timeout", bad, "--", "x"}),
                   ContainsSubstring("--timeout must be a number of seconds above 0 and up to 1000000, "
                                     "such as 90 or 2.5, not \"" + std::string(bad) + "\""));
    }
    CHECK_THAT(usage_error({"run", "-n", "2", "--timeout"}), ContainsSubstring("--timeout needs a value"));
}

TEST_CASE("run: what is missing or unknown is named") {
    CHECK_THAT(usage_error({"run", "--", "x"}), ContainsSubstring("-n N"));
    CHECK_THAT(usage_error({"run", "-n", "2"}), ContainsSubstring("no command after --"));
    CHECK_THAT(usage_error({"run", "-n", "2", "--"}), ContainsSubstring("no command after --"));
    CHECK_THAT(usage_error({"run", "-n"}), ContainsSubstring("-n needs a value"));
    CHECK_THAT(usage_error({"run", "-n", "2", "./tests"}), ContainsSubstring("after --"));
    CHECK_THAT(usage_error({"run", "-n", "2", "--bogus", "--", "x"}), ContainsSubstring("unknown option \"--bogus\""));
}

TEST_CASE("merge: files and outputs") {
    auto merge = std::get<MergeOptions>(parse_arguments({"merge", "a.tap", "--junit", "j.xml", "b.tap", "--", "--c.tap"}));
    CHECK(merge.files == std::vector<std::string>{"a.tap", "b.tap", "--c.tap"});
    CHECK(merge.outputs.junit == "j.xml");
    CHECK_FALSE(merge.outputs.merged_tap);
    CHECK_THAT(usage_error({"merge"}), ContainsSubstring("give the nodes' TAP files"));
    CHECK_THAT(usage_error({"merge", "--junit"}), ContainsSubstring("--junit needs a value"));
}

TEST_CASE("help, version and unknown commands") {
    CHECK(std::holds_alternative<HelpRequest>(parse_arguments({"--help"})));
    CHECK(std::get<HelpRequest>(parse_arguments({"run", "-h"})).topic == "run");
    CHECK(std::holds_alternative<RunOptions>(parse_arguments({"run", "-n", "2", "--", "x", "--help"})));
    CHECK(std::holds_alternative<VersionRequest>(parse_arguments({"--version"})));
    CHECK_THAT(usage_error({}), ContainsSubstring("shardtap run, merge or plan"));
    CHECK(std::get<HelpRequest>(parse_arguments({"plan", "--help"})).topic == "plan");
    CHECK_THAT(usage_text("plan"), ContainsSubstring("--node-overhead SECONDS"));
    CHECK_THAT(usage_error({"split"}), ContainsSubstring("unknown command \"split\""));
    CHECK_THAT(usage_text("run"), ContainsSubstring("127 CMD not found"));
}

TEST_CASE("--failed FILE for run and merge") {
    CHECK(std::get<RunOptions>(parse_arguments({"run", "-n", "2", "--failed", "f.txt", "--", "x"})).outputs.failed == "f.txt");
    CHECK(std::get<MergeOptions>(parse_arguments({"merge", "--failed=f.txt", "a.tap"})).outputs.failed == "f.txt");
}

TEST_CASE("plan: durations or TAP files, node count and overhead") {
    auto const plan = std::get<PlanOptions>(parse_arguments({"plan", "--durations", "d.json"}));
    CHECK(plan.durations == "d.json");
    CHECK(plan.max_nodes == 32);
    CHECK(plan.node_overhead == 0);
    auto const from_streams = std::get<PlanOptions>(
        parse_arguments({"plan", "--max-nodes=12", "--node-overhead", "42.5", "a.tap", "b.tap"}));
    CHECK(from_streams.files == std::vector<std::string>{"a.tap", "b.tap"});
    CHECK(from_streams.max_nodes == 12);
    CHECK(from_streams.node_overhead == 42.5);
    CHECK_THAT(usage_error({"plan"}), ContainsSubstring("either --durations FILE or the nodes' TAP files"));
    CHECK_THAT(usage_error({"plan", "--durations", "d.json", "a.tap"}), ContainsSubstring("either"));
    CHECK_THAT(usage_error({"plan", "--max-nodes", "0", "a.tap"}),
               ContainsSubstring("--max-nodes must be a whole number from 1 to 1024, not \"0\""));
    for (auto const* bad : {"-1", "x", "", "1e3", "nan", "inf"}) {
        CHECK_THAT(usage_error({"plan", "--node-overhead", bad, "a.tap"}),
                   ContainsSubstring("--node-overhead must be a number of seconds"));
    }
}

TEST_CASE("every option the help names is one the parser takes") {
    // From the help alone, as a user reads it: each option line under each subcommand.
    std::regex const option_line(R"(^  (-[-\w]+)(?:, (--[-\w]+))? (\S+)  )");
    for (std::string const subcommand : {"run", "merge", "plan"}) {
        std::istringstream help(usage_text(subcommand));
        std::size_t options = 0;
        for (std::string line; std::getline(help, line);) {
            std::smatch match;
            if (!std::regex_search(line, match, option_line)) continue;
            ++options;
            for (std::size_t spelling = 1; spelling <= 2 && match[spelling].matched; ++spelling) {
                std::string const option = match[spelling];
                std::string const value = match[3] == "N" || match[3] == "SECONDS" ? "2" : "x";
                std::vector<std::string> arguments{subcommand, option, value, "--durations", "d.json"};
                if (subcommand == "run") arguments.insert(arguments.end(), {"-n", "2", "--", "cmd"});
                if (subcommand == "merge") arguments.push_back("a.tap");
                if (subcommand == "plan" && option == "--durations") arguments.resize(3);
                INFO(subcommand << " " << option << " " << value);
                CHECK_NOTHROW(parse_arguments(arguments));
            }
        }
        CHECK(options >= 4);
    }
}

TEST_CASE("the synopses show each option as the parser takes it") {
    std::string const help = usage_text();
    CHECK_THAT(help, ContainsSubstring("shardtap run -n N [--out DIR]"));
    CHECK_THAT(help, ContainsSubstring("[--durations FILE [--node-durations NODE.json]...] NODE.tap..."));
    CHECK_THAT(help, ContainsSubstring("shardtap plan (--durations FILE | NODE.tap...) [--max-nodes N]"));
    CHECK_THAT(help, ContainsSubstring("-- CMD [ARGS...]\n"));
    CHECK_THAT(usage_text("run"), !ContainsSubstring("--node-durations"));
    CHECK_THAT(usage_error({"run", "-n", "2", "--node-durations", "n.json", "--", "x"}),
               ContainsSubstring("unknown option \"--node-durations\""));
}

TEST_CASE("no help line is wider than 80 columns") {
    std::istringstream help(usage_text());
    for (std::string line; std::getline(help, line);) {
        INFO(line);
        CHECK(line.size() <= 80);
    }
}
