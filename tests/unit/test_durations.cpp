#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"

#include "random_suite.hpp"
#include "temporary_directory.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

std::string file_with(std::string const& entries, std::string const& version = "1",
                      std::string const& format = "\"shardtap-durations\"") {
    return "{\"format\": " + format + ", \"version\": " + version + ", \"durations\": {" +
           entries + "}}";
}

Durations random_durations(std::mt19937& rng, std::size_t count) {
    Durations durations;
    std::lognormal_distribution<double> seconds(-1.0, 1.5);
    for (auto const& key : testing::random_suite(rng, count)) {
        durations[std::string(key.name)] = std::min(seconds(rng), max_recorded_seconds);
    }
    return durations;
}

}  // namespace

TEST_CASE("a durations file reads back exactly what was written") {
    auto const seed = GENERATE(range(1u, 21u));
    std::mt19937 rng(seed);
    auto durations = random_durations(rng, seed * 10);
    durations["zero"] = 0.0;
    durations["largest"] = max_recorded_seconds;
    CAPTURE(seed);
    CHECK(parse_durations(format_durations(durations), "test") == durations);
}

TEST_CASE("the file names its format and version, and keeps one test case per line") {
    auto const text = format_durations({{"b", 0.5}, {"a", 1.25}});
    CHECK_THAT(text, ContainsSubstring("\"format\": \"shardtap-durations\""));
    CHECK_THAT(text, ContainsSubstring("\"version\": 1"));
    CHECK_THAT(text, ContainsSubstring("\n    \"a\": 1.25,\n    \"b\": 0.5\n"));
}

TEST_CASE("fields other than format, version and durations are ignored") {
    auto const text = R"({"recorded by": "node 3", "format": "shardtap-durations",
                          "version": 1, "durations": {"a": 2}, "extra": [1, 2]})";
    CHECK(parse_durations(text, "f") == Durations{{"a", 2.0}});
}

TEST_CASE("a bad durations file is an error naming the file and what is wrong") {
    struct Case {
        std::string text;
        std::string problem;
    };
    auto const [text, problem] = GENERATE(values<Case>({
        {"", "malformed JSON"},
        {"{\"format\": \"shardtap-durations\", ", "malformed JSON"},
        {file_with("\"a\": 1") + " trailing", "malformed JSON"},
        {file_with("\"a\": 1e400"), "malformed JSON"},
        {"[1, 2]", "the top level is not a JSON object"},
        {R"({"version": 1, "durations": {}})", "no \"format\" field"},
        {file_with("", "1", "\"pytest-split\""), "wrong format \"pytest-split\", expected \"shardtap-durations\""},
        {file_with("", "1", "7"), "wrong format 7"},
        {R"({"format": "shardtap-durations", "durations": {}})", "no \"version\" field"},
        {file_with("", "2"), "unsupported version 2: this shardtap reads version 1"},
        {file_with("", "\"1\""), "unsupported version \"1\""},
        {file_with("", "1.5"), "unsupported version 1.5"},
        {R"({"format": "shardtap-durations", "version": 1})", "no \"durations\" field"},
        {R"({"format": "shardtap-durations", "version": 1, "durations": [1]})", "\"durations\" is [1], expected an object"},
        {file_with("\"alpha\": \"fast\""), "the duration of \"alpha\" is \"fast\", expected a number of seconds"},
        {file_with("\"alpha\": null"), "the duration of \"alpha\" is null"},
        {file_with("\"alpha\": true"), "the duration of \"alpha\" is true"},
        {file_with("\"alpha\": [1]"), "the duration of \"alpha\" is [1]"},
        {file_with("\"ok\": 1, \"beta\": -0.5"), "the duration of \"beta\" is negative: -0.5"},
        {file_with("\"beta\": 1e7"), "the duration of \"beta\" is 10000000.0, more than the largest allowed"},
    }));
    CAPTURE(text);
    CHECK_THROWS_AS(parse_durations(text, "ci/durations.json"), DurationsError);
    CHECK_THROWS_WITH(parse_durations(text, "ci/durations.json"),
                      ContainsSubstring("shardtap: durations file \"ci/durations.json\": ") &&
                          ContainsSubstring(problem));
}

TEST_CASE("errors stay on one line whatever the names hold") {
    auto const text = file_with("\"line\\nbreak\\u0007\": -1");
    try {
        parse_durations(text, "dir\nwith newline/d.json");
        FAIL("no error");
    } catch (DurationsError const& error) {
        std::string const message = error.what();
        CHECK(message.find('\n') == std::string::npos);
        CHECK_THAT(message, ContainsSubstring("\"line\\nbreak\\x07\""));
        CHECK_THAT(message, ContainsSubstring("\"dir\\nwith newline/d.json\""));
    }
}

TEST_CASE("a file that cannot be read is an error naming it") {
    TemporaryDirectory directory;
    auto const missing = (directory.path() / "missing.json").string();
    CHECK_THROWS_WITH(read_durations(missing),
                      ContainsSubstring(missing) && ContainsSubstring("cannot read") &&
                          ContainsSubstring("No such file or directory"));
    CHECK_THROWS_WITH(read_durations(directory.path().string()),
                      ContainsSubstring("cannot read") && ContainsSubstring("Is a directory"));
    put(directory.path() / "bad.json", file_with("\"a\": -1"));
    CHECK_THROWS_WITH(read_durations((directory.path() / "bad.json").string()),
                      ContainsSubstring("bad.json") && ContainsSubstring("negative"));
}

TEST_CASE("write_durations replaces the file whole and leaves nothing else behind") {
    TemporaryDirectory directory;
    auto const path = (directory.path() / "durations.json").string();
    write_durations(path, {{"a", 1.0}});
    CHECK(read_durations(path) == Durations{{"a", 1.0}});
    write_durations(path, {{"b", 2.0}, {"c", 3.0}});
    CHECK(read_durations(path) == Durations{{"b", 2.0}, {"c", 3.0}});
    CHECK(directory.entries() == std::vector<std::string>{"durations.json"});
    CHECK((fs::status(path).permissions() & fs::perms::others_read) != fs::perms::none);
}

TEST_CASE("a failed write leaves the old file as it was and no temporary file") {
    TemporaryDirectory directory;
    SECTION("the target is a directory") {
        fs::create_directory(directory.path() / "taken");
        CHECK_THROWS_WITH(write_durations((directory.path() / "taken").string(), {{"a", 1.0}}),
                          ContainsSubstring("it is a directory"));
        CHECK(directory.entries() == std::vector<std::string>{"taken"});
    }
    SECTION("the directory does not exist") {
        auto const path = (directory.path() / "no" / "such" / "d.json").string();
        CHECK_THROWS_WITH(write_durations(path, {{"a", 1.0}}),
                          ContainsSubstring(path) && ContainsSubstring("No such file or directory"));
        CHECK(directory.entries().empty());
    }
}

TEST_CASE("check_durations_writable finds the problems write_durations would, and writes nothing") {
    TemporaryDirectory directory;
    check_durations_writable((directory.path() / "d.json").string());
    CHECK(directory.entries().empty());
    CHECK_THROWS_WITH(check_durations_writable((directory.path() / "missing" / "d.json").string()),
                      ContainsSubstring("No such file or directory"));
    CHECK_THROWS_AS(check_durations_writable(directory.path().string()), DurationsError);
}

TEST_CASE("merge: a test case recorded this time takes its new duration, others keep theirs") {
    Durations const earlier = {{"a", 1.0}, {"b", 2.0}, {"gone", 9.0}};
    Durations const node0 = {{"a", 1.5}};
    Durations const node1 = {{"c", 0.25}};
    CHECK(merge_durations({node0, node1}, earlier) ==
          Durations{{"a", 1.5}, {"b", 2.0}, {"c", 0.25}, {"gone", 9.0}});
    CHECK(merge_durations({}, earlier) == earlier);
    CHECK(merge_durations({node0, node1}) == Durations{{"a", 1.5}, {"c", 0.25}});
}

TEST_CASE("merge: a test case recorded by several nodes keeps the longest, even below the earlier") {
    CHECK(merge_durations({{{"a", 1.0}}, {{"a", 3.0}}, {{"a", 2.0}}}, {{"a", 10.0}}) ==
          Durations{{"a", 3.0}});
}

TEST_CASE("property: merging does not depend on the order of the recorded files") {
    auto const seed = GENERATE(range(1u, 31u));
    std::mt19937 rng(seed);
    auto const pool = random_durations(rng, 60);
    std::vector<Durations> recorded(std::uniform_int_distribution<std::size_t>(1, 6)(rng));
    Durations earlier;
    for (auto const& entry : pool) {
        // Each name in some of the files, with different values, sometimes in none.
        for (auto& file : recorded) {
            if (rng() % 3 == 0) file[entry.first] = entry.second * static_cast<double>(rng() % 5);
        }
        if (rng() % 2 == 0) earlier[entry.first] = entry.second + 1;
    }
    auto const merged = merge_durations(recorded, earlier);
    for (int shuffle = 0; shuffle < 5; ++shuffle) {
        std::shuffle(recorded.begin(), recorded.end(), rng);
        CHECK(merge_durations(recorded, earlier) == merged);
    }
    for (auto const& [name, seconds] : merged) {
        bool const in_recorded = std::any_of(recorded.begin(), recorded.end(),
                                             [&](auto const& file) { return file.count(name); });
        CHECK((in_recorded || earlier.at(name) == seconds));
    }
    CHECK(merged.size() >= earlier.size());
}
