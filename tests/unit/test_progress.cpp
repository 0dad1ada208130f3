#include "node_streams.hpp"
#include "run/progress.hpp"
#include "temporary_directory.hpp"

#include "core/tap/tap_reader.hpp"

#include <catch2/catch_test_macros.hpp>

#include <fstream>
#include <random>

using namespace shardtap::tools;
using namespace test_streams;
using shardtap::TapDirective;

namespace {
// The reference: the whole text read at once, everything before a rejected line counted.
NodeProgress whole(std::string_view text) {
    shardtap::TapStream stream;
    try {
        stream = shardtap::read_tap(text);
    } catch (shardtap::TapReadError const& error) {
        stream = error.partial();
    }
    NodeProgress progress;
    progress.finished = stream.points.size();
    for (auto const& point : stream.points) progress.failed += point.failed() ? 1 : 0;
    if (stream.plan && stream.plan->before_points) progress.planned = stream.plan->count;
    return progress;
}

bool same(NodeProgress const& a, NodeProgress const& b) {
    return a.finished == b.finished && a.failed == b.failed && a.planned == b.planned;
}

std::string up_to_last_newline(std::string const& text) { return text.substr(0, text.rfind('\n') + 1); }

// Node streams of every shape the progress display meets: passing, failing with diagnostics
// (YAML or comments), skipped, TODO, classes, a closing plan, a crash, a stream that is not TAP.
std::vector<std::string> streams() {
    std::vector<std::string> result;
    std::vector<Point> points;
    for (int i = 0; i < 30; ++i) {
        points.push_back({"test " + std::to_string(i), i % 4 != 1,
                          i % 7 == 3 ? TapDirective::skip : i % 9 == 5 ? TapDirective::todo : TapDirective::none,
                          i % 5 == 0 ? "Fixture" : ""});
    }
    result.push_back(tap_text(Node{0, 2, points}));
    for (auto style : {shardtap::DiagnosticsStyle::yaml, shardtap::DiagnosticsStyle::comments}) {
        shardtap::TapEncoder tap(style);
        shardtap::TapDiagnostics diagnostics;
        diagnostics.message = "went wrong\nover two lines";
        diagnostics.stdout_text = "ok 99 - printed by the test\n";
        std::string text(tap.version());
        text += tap.plan(20);
        for (int i = 0; i < 20; ++i) {
            text += tap.point({i % 3 != 0, "t" + std::to_string(i), TapDirective::none, {},
                               i % 3 == 0 ? &diagnostics : nullptr, i % 2 ? "C" : ""});
        }
        result.push_back(text);
    }
    shardtap::TapEncoder last;
    std::string closing(last.version());
    for (int i = 0; i < 10; ++i) closing += last.point({i != 4, "t" + std::to_string(i)});
    result.push_back(closing + std::string(last.final_plan()));
    auto const crashed = result[0].substr(0, result[0].find("ok 12 ")) + "not ok 12 - test 11\r\nBail out! SIGSEGV\nok 13 - after\n";
    result.push_back(crashed);
    result.push_back(result[0].substr(0, result[0].find("ok 8 ")) + "Segmentation fault\nok 8 - test 7\n");
    return result;
}

}  // namespace

TEST_CASE("progress read piece by piece equals the whole stream read at once") {
    std::mt19937 rng(11);
    for (auto const& text : streams()) {
        for (int round = 0; round < 20; ++round) {
            ProgressReader reader;
            std::size_t at = 0;
            while (at < text.size()) {
                // A piece of whole lines: 1 to 5 of them.
                std::size_t end = at;
                for (int lines = std::uniform_int_distribution<int>(1, 5)(rng); lines > 0 && end < text.size(); --lines) {
                    end = std::min(text.find('\n', end), text.size() - 1) + 1;
                }
                reader.read(std::string_view(text).substr(at, end - at));
                at = end;
                CHECK(same(reader.progress(), whole(text.substr(0, at))));
            }
            CHECK(same(reader.progress(), whole(text)));
        }
    }
}

TEST_CASE("a growing file gives each complete line once, however the bytes arrive") {
    std::mt19937 rng(5);
    for (auto const& text : streams()) {
        TemporaryDirectory directory;
        GrowingFile growing(directory.file("node-0.tap"));
        CHECK_FALSE(growing.refresh());  // no file yet
        ProgressReader reader;
        std::string written;
        std::ofstream out(directory.file("node-0.tap"), std::ios::binary);
        while (written.size() < text.size()) {
            auto const size = std::uniform_int_distribution<std::size_t>(0, 40)(rng);
            auto const piece = text.substr(written.size(), size);
            out << piece << std::flush;
            written += piece;
            if (growing.refresh()) reader.read(growing.new_lines());
            CHECK(same(reader.progress(), whole(up_to_last_newline(written))));
        }
        CHECK(same(reader.progress(), whole(text)));
    }
}

TEST_CASE("progress of a stream still being written") {
    auto const text = tap_text(Node{0, 2, {{"a"}, {"b", false}, {"c"}}});
    CHECK(whole("").finished == 0);
    auto const upto = [&](std::string const& line) { return text.substr(0, text.find(line)); };
    ProgressReader reader;
    reader.read(upto("ok 1"));
    CHECK(reader.progress().planned == 3);
    CHECK(reader.progress().finished == 0);
    reader.read(text.substr(upto("ok 1").size(), upto("ok 3").size() - upto("ok 1").size()));
    CHECK(reader.progress().finished == 2);
    CHECK(reader.progress().failed == 1);
    reader.read(text.substr(upto("ok 3").size()));
    CHECK(reader.progress().finished == 3);
}

TEST_CASE("the progress line adds the nodes up") {
    std::vector<NodeProgress> nodes{{2, 1, 2}, {1, 0, 2}, {0, 0, std::nullopt}};
    CHECK(format_progress(nodes, 2, 3.25) == "3/? tests finished, 1 failed, 2 of 3 nodes running, 3.2 s");
    nodes[2].planned = 1;
    CHECK(format_progress(nodes, 0, 10) == "3/5 tests finished, 1 failed, 0 of 3 nodes running, 10.0 s");
}
