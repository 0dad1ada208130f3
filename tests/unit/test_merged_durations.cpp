#include "outputs/merged_durations.hpp"
#include "node_streams.hpp"
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

TEST_CASE("durations from a stream: the points' times in seconds, kept apart by identity") {
    test_streams::Node node;
    node.points = {{"fast", true, shardtap::TapDirective::none, "", "", 1.5},
                   {"skipped", true, shardtap::TapDirective::skip, "", "", 0.25},
                   {"twice", false, shardtap::TapDirective::none, "A", "", 2000.0},
                   {"twice", true, shardtap::TapDirective::none, "B", "", 3000.0},
                   {"not run", true, shardtap::TapDirective::skip}};
    auto const durations = tools::durations_in_stream(test_streams::stream(node).stream);
    // Names the stream does not qualify with a class or tags are name-only entries.
    CHECK(durations.names == std::map<std::string, double, std::less<>>{{"fast", 0.0015}, {"skipped", 0.00025}});
    CHECK(durations.tests == shardtap::Durations{{shardtap::TestIdentity("twice", "A"), 2.0},
                                                 {shardtap::TestIdentity("twice", "B"), 3.0}}.tests);
}

TEST_CASE("without node durations files, --durations takes the streams' times") {
    TemporaryDirectory directory;
    auto const target = directory.file("durations.json");
    test_streams::Node node;
    node.points = {{"a", true, shardtap::TapDirective::none, "", "", 250.0}};
    CHECK(update_durations(target, {}, {test_streams::stream(node)}) == tools::exit_ok);
    CHECK(shardtap::read_durations(target).names == std::map<std::string, double, std::less<>>{{"a", 0.25}});
}
