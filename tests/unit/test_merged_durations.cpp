#include "merged_durations.hpp"

#include <shardtap/durations.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace shardtap;
using shardtap::tools::update_durations;

namespace {
// A new directory, removed with everything in it at the end of the test.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "shardtap-durations-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TemporaryDirectory() { std::filesystem::remove_all(m_path); }
    std::string operator/(std::string const& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

std::string content(std::string const& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void write(std::string const& path, std::string const& text) { std::ofstream(path, std::ios::binary) << text; }
}  // namespace

TEST_CASE("a node that recorded no durations: the others are merged, earlier entries kept") {
    TemporaryDirectory directory;
    auto const target = directory / "durations.json";
    write_durations(target, {{"ran on node 0", 9.0}, {"ran on the crashed node 1", 2.5}, {"removed", 7.0}});
    write_durations(directory / "node-0.json", {{"ran on node 0", 1.25}});
    CHECK(update_durations(target, {directory / "node-0.json", directory / "node-1.json"}) == tools::exit_ok);
    CHECK(read_durations(target) ==
          Durations{{"ran on node 0", 1.25}, {"ran on the crashed node 1", 2.5}, {"removed", 7.0}});
}

TEST_CASE("no node recorded anything: the file keeps what it had, or is created empty") {
    TemporaryDirectory directory;
    auto const target = directory / "durations.json";
    CHECK(update_durations(target, {directory / "node-0.json"}) == tools::exit_ok);
    CHECK(read_durations(target).empty());
    write_durations(target, {{"a", 1.0}});
    CHECK(update_durations(target, {directory / "node-0.json", directory / "node-1.json"}) == tools::exit_ok);
    CHECK(read_durations(target) == Durations{{"a", 1.0}});
}

TEST_CASE("a node file that exists but is malformed is bad input and leaves the target untouched") {
    TemporaryDirectory directory;
    auto const target = directory / "durations.json";
    write_durations(target, {{"a", 1.0}});
    auto const before = content(target);
    write_durations(directory / "node-0.json", {{"a", 2.0}});
    write(directory / "node-1.json", "{\"format\": \"shardtap-durations\", \"version\": 1, \"durations\": {\"x\": \"slow\"}}");
    CHECK(update_durations(target, {directory / "node-0.json", directory / "node-1.json", directory / "node-2.json"}) ==
          tools::exit_bad_input);
    CHECK(content(target) == before);
    SECTION("so is a malformed target") {
        write(target, "not json");
        CHECK(update_durations(target, {directory / "node-0.json"}) == tools::exit_bad_input);
        CHECK(content(target) == "not json");
    }
}
