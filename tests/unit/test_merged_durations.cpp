#include "merged_durations.hpp"
#include "temporary_directory.hpp"

#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"
#include "posix/files.hpp"

#include <catch2/catch_test_macros.hpp>

#include <string>

using namespace shardtap;
using shardtap::tools::update_durations;

TEST_CASE("a node that recorded no durations: the others are merged, earlier entries kept") {
    TemporaryDirectory directory;
    auto const target = directory.file("durations.json");
    write_durations(target, {{"ran on node 0", 9.0}, {"ran on the crashed node 1", 2.5}, {"removed", 7.0}});
    write_durations(directory.file("node-0.json"), {{"ran on node 0", 1.25}});
    CHECK(update_durations(target, {directory.file("node-0.json"), directory.file("node-1.json")}) == tools::exit_ok);
    CHECK(read_durations(target) ==
          Durations{{"ran on node 0", 1.25}, {"ran on the crashed node 1", 2.5}, {"removed", 7.0}});
}

TEST_CASE("no node recorded anything: the file keeps what it had, or is created empty") {
    TemporaryDirectory directory;
    auto const target = directory.file("durations.json");
    CHECK(update_durations(target, {directory.file("node-0.json")}) == tools::exit_ok);
    CHECK(read_durations(target).empty());
    write_durations(target, {{"a", 1.0}});
    CHECK(update_durations(target, {directory.file("node-0.json"), directory.file("node-1.json")}) == tools::exit_ok);
    CHECK(read_durations(target) == Durations{{"a", 1.0}});
}

TEST_CASE("a node file that exists but is malformed is bad input and leaves the target untouched") {
    TemporaryDirectory directory;
    auto const target = directory.file("durations.json");
    write_durations(target, {{"a", 1.0}});
    auto const before = read_file(target);
    write_durations(directory.file("node-0.json"), {{"a", 2.0}});
    put(directory.file("node-1.json"), "{\"format\": \"shardtap-durations\", \"version\": 1, \"durations\": {\"x\": \"slow\"}}");
    CHECK(update_durations(target, {directory.file("node-0.json"), directory.file("node-1.json"), directory.file("node-2.json")}) ==
          tools::exit_bad_input);
    CHECK(read_file(target) == before);
    SECTION("so is a malformed target") {
        put(target, "not json");
        CHECK(update_durations(target, {directory.file("node-0.json")}) == tools::exit_bad_input);
        CHECK(read_file(target) == "not json");
    }
}
