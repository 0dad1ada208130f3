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
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

// A version 1 file: an object of name to seconds.
std::string file_with(std::string const& entries, std::string const& version = "1",
                      std::string const& format = "\"shardtap-durations\"") {
    return "{\"format\": " + format + ", \"version\": " + version + ", \"durations\": {" +
           entries + "}}";
}

// A version 2 file: a list of entries.
std::string file_with_list(std::string const& entries) {
    return "{\"format\": \"shardtap-durations\", \"version\": 2, \"durations\": [" + entries + "]}";
}

// Entries for random test cases (some sharing a name, told apart by class or tags), and some
// name-only entries.
Durations random_durations(std::mt19937& rng, std::size_t count) {
    Durations durations;
    std::lognormal_distribution<double> seconds(-1.0, 1.5);
    for (auto const& key : testing::random_suite(rng, count)) {
        auto const value = std::min(seconds(rng), max_recorded_seconds);
        if (rng() % 8 == 0) {
            durations.names[std::string(key.name)] = value;
        } else {
            durations.tests[TestIdentity(key)] = value;
        }
    }
    return durations;
}

}  // namespace

TEST_CASE("a durations file reads back exactly what was written") {
    auto const seed = GENERATE(range(1u, 21u));
    std::mt19937 rng(seed);
    auto durations = random_durations(rng, seed * 10);
    durations.tests["zero"] = 0.0;
    durations.tests["largest"] = max_recorded_seconds;
    CAPTURE(seed);
    CHECK(parse_durations(format_durations(durations), "test") == durations);
}

TEST_CASE("the file is version 2 and keeps one entry per line, name-only entries last") {
    Durations durations = {{"b", 0.5}, {{"a", "Fixture", "[x][y]"}, 1.25}};
    durations.names["old"] = 2.0;
    CHECK(format_durations(durations) ==
          "{\n"
          "  \"format\": \"shardtap-durations\",\n"
          "  \"version\": 2,\n"
          "  \"durations\": [\n"
          "    {\"name\": \"a\", \"class\": \"Fixture\", \"tags\": \"[x][y]\", \"seconds\": 1.25},\n"
          "    {\"name\": \"b\", \"class\": \"\", \"tags\": \"\", \"seconds\": 0.5},\n"
          "    {\"name\": \"old\", \"seconds\": 2.0}\n"
          "  ]\n"
          "}\n");
    CHECK(format_durations({}) ==
          "{\n  \"format\": \"shardtap-durations\",\n  \"version\": 2,\n  \"durations\": []\n}\n");
}

TEST_CASE("test cases that share a name keep their own entries") {
    Durations const durations = {{{"same name", "", "[a]"}, 1.0}, {{"same name", "", "[b]"}, 2.0},
                                 {{"same name", "First", ""}, 3.0}, {{"same name", "Second", ""}, 4.0}};
    auto const read = parse_durations(format_durations(durations), "f");
    CHECK(read == durations);
    CHECK(read.find(TestIdentityView{"same name", "", "[a]"}) == 1.0);
    CHECK(read.find(TestIdentityView{"same name", "", "[b]"}) == 2.0);
    CHECK(read.find(TestIdentityView{"same name", "Second", ""}) == 4.0);
    CHECK_FALSE(read.find(TestIdentityView{"same name", "", ""}));
}

TEST_CASE("a version 1 file is still read: each entry stands for every test case of its name") {
    auto const read = parse_durations(file_with(R"("same name": 1.5, "other": 0.25)"), "old.json");
    Durations expected;
    expected.names = {{"same name", 1.5}, {"other", 0.25}};
    CHECK(read == expected);
    CHECK(read.find(TestIdentityView{"same name", "", "[a]"}) == 1.5);
    CHECK(read.find(TestIdentityView{"same name", "Fixture", ""}) == 1.5);
    CHECK_FALSE(read.find(TestIdentityView{"another", "", ""}));
    // Written back as version 2, name-only entries stay name-only.
    CHECK(parse_durations(format_durations(read), "new.json") == read);
}

TEST_CASE("fields other than format, version and durations, and an entry's other fields, are ignored") {
    auto const text = R"({"recorded by": "node 3", "format": "shardtap-durations",
                          "version": 1, "durations": {"a": 2}, "extra": [1, 2]})";
    Durations expected;
    expected.names = {{"a", 2.0}};
    CHECK(parse_durations(text, "f") == expected);
    auto const list = file_with_list(R"({"name": "a", "class": "", "tags": "[x]", "seconds": 2, "runs": 3})");
    CHECK(parse_durations(list, "f") == Durations{{{"a", "", "[x]"}, 2.0}});
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
        {file_with("", "3"), "unsupported version 3: this shardtap reads versions 1 and 2"},
        {file_with("", "0"), "unsupported version 0"},
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
        {file_with("", "2"), "\"durations\" is {}, expected a list of {\"name\", \"class\", \"tags\", \"seconds\"} objects"},
        {file_with_list("1"), "entry 1 of \"durations\" is 1, expected an object"},
        {file_with_list(R"({"seconds": 1})"), "entry 1 of \"durations\" has no \"name\""},
        {file_with_list(R"({"name": 7, "seconds": 1})"), "entry 1 of \"durations\" has \"name\": 7, expected a string"},
        {file_with_list(R"({"name": "a", "class": null, "tags": "", "seconds": 1})"),
         "entry 1 of \"durations\" has \"class\": null, expected a string"},
        {file_with_list(R"({"name": "a", "seconds": 1}, {"name": "b", "class": "F", "seconds": 1})"),
         "entry 2 of \"durations\" (\"b\") has \"class\" without \"tags\": give both, or neither"},
        {file_with_list(R"({"name": "b", "tags": "[x]", "seconds": 1})"), "has \"tags\" without \"class\""},
        {file_with_list(R"({"name": "a", "class": "F", "tags": "[x]"})"),
         "the duration of \"a\" (class \"F\", tags \"[x]\") is missing: no \"seconds\""},
        {file_with_list(R"({"name": "a", "class": "", "tags": "[x]", "seconds": "slow"})"),
         "the duration of \"a\" (tags \"[x]\") is \"slow\", expected a number of seconds"},
        {file_with_list(R"({"name": "a", "seconds": -1})"), "the duration of \"a\" is negative: -1"},
        {file_with_list(R"({"name": "a", "class": "", "tags": "", "seconds": 1}, {"name": "a", "class": "", "tags": "", "seconds": 2})"),
         "entry 2 repeats an earlier entry: the duration of \"a\""},
        {file_with_list(R"({"name": "a", "seconds": 1}, {"name": "a", "seconds": 2})"), "entry 2 repeats an earlier entry"},
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

TEST_CASE("merge_into_durations_file creates the file, then replaces only what it records") {
    TemporaryDirectory directory;
    auto const path = directory.file("durations.json");
    merge_into_durations_file(path, {{"a", 1.0}, {"b", 2.0}});
    CHECK(read_durations(path) == Durations{{"a", 1.0}, {"b", 2.0}});
    merge_into_durations_file(path, {{"b", 0.5}, {"c", 3.0}});
    CHECK(read_durations(path) == Durations{{"a", 1.0}, {"b", 0.5}, {"c", 3.0}});
    CHECK(directory.entries() == std::vector<std::string>{"durations.json"});
}

TEST_CASE("processes merging into one file at once all keep their entries") {
    // As ctest -j runs one process per test case, each recording into SHARDTAP_DURATIONS_OUT.
    TemporaryDirectory directory;
    auto const path = directory.file("durations.json");
    constexpr int processes = 16;
    std::vector<pid_t> children;
    for (int i = 0; i < processes; ++i) {
        pid_t const child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                merge_into_durations_file(path, {{TestIdentity("t" + std::to_string(i)), i * 1.0}});
                _exit(0);
            } catch (...) {
                _exit(1);
            }
        }
        children.push_back(child);
    }
    for (pid_t child : children) {
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    auto const merged = read_durations(path);
    CHECK(merged.tests.size() == processes);
    for (int i = 0; i < processes; ++i) CHECK(merged.tests.at("t" + std::to_string(i)) == i * 1.0);
    CHECK(directory.entries() == std::vector<std::string>{"durations.json"});
}

TEST_CASE("a merge into a file that is not a durations file fails naming it, and leaves it") {
    TemporaryDirectory directory;
    auto const path = directory.file("durations.json");
    put(path, "not json");
    CHECK_THROWS_WITH(merge_into_durations_file(path, {{"a", 1.0}}), ContainsSubstring(path));
    std::ifstream file(path);
    CHECK(std::string(std::istreambuf_iterator<char>(file), {}) == "not json");
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

TEST_CASE("merge: test cases sharing a name stay apart; recorded names drop their name-only entry") {
    Durations earlier = {{{"same", "", "[a]"}, 1.0}, {{"same", "", "[old]"}, 7.0}};
    earlier.names = {{"same", 5.0}, {"old", 6.0}, {"samey", 8.0}};
    Durations const node0 = {{{"same", "", "[a]"}, 2.0}};
    Durations const node1 = {{{"same", "", "[b]"}, 3.0}};
    Durations expected = {{{"same", "", "[a]"}, 2.0}, {{"same", "", "[b]"}, 3.0}, {{"same", "", "[old]"}, 7.0}};
    expected.names = {{"old", 6.0}, {"samey", 8.0}};
    CHECK(merge_durations({node0, node1}, earlier) == expected);
    // A version 1 file after a run that recorded some of its names: those are known by identity.
    Durations version_1;
    version_1.names = {{"same", 5.0}, {"old", 6.0}};
    Durations after = {{{"same", "", "[a]"}, 2.0}, {{"same", "", "[b]"}, 3.0}};
    after.names = {{"old", 6.0}};
    CHECK(merge_durations({node0, node1}, version_1) == after);
}

TEST_CASE("property: merging does not depend on the order of the recorded files") {
    auto const seed = GENERATE(range(1u, 31u));
    std::mt19937 rng(seed);
    auto const pool = random_durations(rng, 60);
    std::vector<Durations> recorded(std::uniform_int_distribution<std::size_t>(1, 6)(rng));
    Durations earlier;
    // Each entry in some of the files, with different values, sometimes in none.
    auto const spread = [&](auto const& entries, auto member) {
        for (auto const& [key, seconds] : entries) {
            for (auto& file : recorded) {
                if (rng() % 3 == 0) (file.*member)[key] = seconds * static_cast<double>(rng() % 5);
            }
            if (rng() % 2 == 0) (earlier.*member)[key] = seconds + 1;
        }
    };
    spread(pool.tests, &Durations::tests);
    spread(pool.names, &Durations::names);
    auto const merged = merge_durations(recorded, earlier);
    for (int shuffle = 0; shuffle < 5; ++shuffle) {
        std::shuffle(recorded.begin(), recorded.end(), rng);
        CHECK(merge_durations(recorded, earlier) == merged);
    }
    auto const in_recorded = [&](auto const& key, auto member) {
        return std::any_of(recorded.begin(), recorded.end(),
                           [&](Durations const& file) { return (file.*member).count(key) > 0; });
    };
    for (auto const& [test, seconds] : merged.tests) {
        CHECK((in_recorded(test, &Durations::tests) || earlier.tests.at(test) == seconds));
    }
    for (auto const& [test, seconds] : earlier.tests) CHECK(merged.tests.count(test) == 1);
    auto const name_recorded = [&](std::string const& name) {
        return std::any_of(recorded.begin(), recorded.end(), [&](Durations const& file) {
            return std::any_of(file.tests.begin(), file.tests.end(),
                               [&](auto const& entry) { return entry.first.name == name; });
        });
    };
    for (auto const& [name, seconds] : merged.names) {
        CHECK((in_recorded(name, &Durations::names) || earlier.names.at(name) == seconds));
    }
    for (auto const& [name, seconds] : earlier.names) {
        CHECK(merged.names.count(name) == (in_recorded(name, &Durations::names) || !name_recorded(name) ? 1u : 0u));
    }
}
