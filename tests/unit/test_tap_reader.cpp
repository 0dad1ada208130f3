#include "core/tap/tap_encoder.hpp"
#include "core/tap/tap_reader.hpp"

#include "tap_samples.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <optional>
#include <random>
#include <string>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;

namespace {
// The line and the problem of the error reading `text` gives.
std::string problem_with(std::string const& text) {
    try {
        read_tap(text);
    } catch (TapReadError const& error) {
        return error.what();
    }
    return "no error";
}

TapDiagnostics rich_diagnostics() {
    TapDiagnostics d;
    d.duration_ms = 12.345;
    d.message = "expected to fail, but passed";
    TapFailure check = testing::failed_check();
    check.file = "a \"quoted\" path.cpp";
    check.expansion = "\"multi\nline\" contains: \"x\"";
    check.sections = {"outer", "inner # hash"};
    TapFailure thrown;
    thrown.kind = "exception";
    thrown.message = "boom\x01\xff";
    d.failures = {check, thrown};
    d.stdout_text = "out\n";
    d.stderr_text = "err";
    return d;
}
}  // namespace

TEST_CASE("reads version, header, plan and points") {
    auto const stream = read_tap(
        "TAP version 14\n"
        "# shardtap node_index: 2\n"
        "# shardtap node_total: 5\n"
        "1..3\n"
        "ok 1 - first\n"
        "not ok 2 - second # TODO may fail\n"
        "ok 3 - a \\# b \\\\ c # SKIP no \\# network\n");
    CHECK(stream.version == 14);
    CHECK(stream.header.node_index == 2u);
    CHECK(stream.header.node_total == 5u);
    REQUIRE(stream.plan);
    CHECK(stream.plan->count == 3);
    CHECK(stream.plan->before_points);
    REQUIRE(stream.points.size() == 3);
    CHECK(stream.points[0].description == "first");
    CHECK(stream.points[1].directive == TapDirective::todo);
    CHECK(stream.points[1].reason == "may fail");
    CHECK_FALSE(stream.points[1].failed());
    CHECK(stream.points[2].description == "a # b \\ c");
    CHECK(stream.points[2].directive == TapDirective::skip);
    CHECK(stream.points[2].reason == "no # network");
    CHECK(stream.points[2].line == 7);
    CHECK_FALSE(stream.bail_out);
}

TEST_CASE("round trip: what the encoder writes, the reader reads back exactly") {
    auto const style = GENERATE(DiagnosticsStyle::yaml, DiagnosticsStyle::comments);
    auto const plan_first = GENERATE(true, false);
    TapEncoder tap(style);
    TapHeader header;
    header.node_index = 1;
    header.node_total = 3;
    header.fingerprint = "abc";
    auto const d = rich_diagnostics();
    std::string const names[] = {"plain", " spaces  ", "#hash\\ at start", "", "\n", "- dash",
                                 "ends with backslash\\", "ok 2 - fake", "1..9", "Bail out!"};
    std::string out(tap.version());
    out += tap.header(header);
    if (plan_first) out += tap.plan(std::size(names));
    for (auto const& name : names) {
        out += tap.point({false, name, TapDirective::none, {}, &d});
    }
    if (!plan_first) out += tap.final_plan();

    auto const stream = read_tap(out);
    CHECK(stream.header == header);
    REQUIRE(stream.plan);
    CHECK(stream.plan->before_points == plan_first);
    REQUIRE(stream.points.size() == std::size(names));
    for (std::size_t i = 0; i < std::size(names); ++i) {
        CHECK(stream.points[i].description == names[i]);
        CHECK(stream.points[i].failed());
        REQUIRE(stream.points[i].diagnostics);
        CHECK(*stream.points[i].diagnostics == d);
    }
}

TEST_CASE("round trip of directives with every kind of reason") {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> kind(0, 2);
    TapEncoder tap;
    std::string out(tap.version());
    std::vector<std::pair<TapDirective, std::string>> expected;
    for (int i = 0; i < 300; ++i) {
        std::string reason = testing::random_bytes(rng, 12);
        auto const directive = static_cast<TapDirective>(kind(rng));
        if (directive == TapDirective::none) reason.clear();
        out += tap.point({i % 2 == 0, reason, directive, reason});
        expected.emplace_back(directive, reason);
    }
    out += tap.final_plan();
    auto const stream = read_tap(out);
    REQUIRE(stream.points.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(stream.points[i].directive == expected[i].first);
        CHECK(stream.points[i].reason == expected[i].second);
        CHECK(stream.points[i].description == expected[i].second);
    }
}

TEST_CASE("round trip of identities: class and tags lines, after the point and after its diagnostics block") {
    auto const style = GENERATE(DiagnosticsStyle::yaml, DiagnosticsStyle::comments);
    std::mt19937 rng(7);
    TapEncoder tap(style);
    auto const d = rich_diagnostics();
    std::string out(tap.version());
    out += tap.plan(200);
    std::vector<TestIdentity> identities;
    for (int i = 0; i < 200; ++i) {
        identities.emplace_back("same name", i % 5 == 0 ? std::string() : testing::random_bytes(rng, 16),
                                i % 7 < 3 ? std::string() : "[" + testing::random_bytes(rng, 8) + "]");
        auto const& id = identities.back();
        out += tap.point({i % 3 != 0, id.name, TapDirective::none, {}, i % 2 == 0 ? &d : nullptr,
                          id.class_name, id.tags});
    }
    auto const stream = read_tap(out);
    REQUIRE(stream.points.size() == identities.size());
    for (std::size_t i = 0; i < identities.size(); ++i) {
        CHECK(stream.points[i].description == "same name");
        CHECK(stream.points[i].class_name == identities[i].class_name);
        CHECK(stream.points[i].tags == identities[i].tags);
        CHECK(stream.points[i].identity() == identities[i]);
        if (i % 2 == 0) {
            REQUIRE(stream.points[i].diagnostics);
            CHECK(*stream.points[i].diagnostics == d);
        } else {
            CHECK(stream.points[i].diagnostic_lines.empty());
        }
    }
    CHECK(stream.header == TapHeader{});  // class and tags lines are not header fields
}

TEST_CASE("a class line belongs to the test point right before it") {
    CHECK(problem_with("1..1\n# shardtap class: A\nok 1 - a\n") ==
          "line 2: a class line that does not follow a test point: '\\# shardtap class: A'");
    CHECK(problem_with("1..1\nok 1 - a\n# comment\n# shardtap class: A\n") ==
          "line 4: a class line that does not follow a test point: '\\# shardtap class: A'");
    CHECK(problem_with("1..1\nok 1 - a\n# shardtap class: A\n# shardtap class: B\n") ==
          "line 4: a class line that does not follow a test point: '\\# shardtap class: B'");
    auto const stream = read_tap("1..2\nok 1 - a\n# shardtap class: A\nok 2 - a\n# shardtap other: x\n");
    CHECK(stream.points[0].class_name == "A");
    CHECK(stream.points[1].class_name.empty());
}

TEST_CASE("a tags line belongs to the test point right before it, or to the point's class line") {
    CHECK(problem_with("1..1\n# shardtap tags: [a]\nok 1 - a\n") ==
          "line 2: a tags line that does not follow a test point or its class line: '\\# shardtap tags: [a]'");
    CHECK(problem_with("1..1\nok 1 - a\n# shardtap tags: [a]\n# shardtap tags: [b]\n") ==
          "line 4: a tags line that does not follow a test point or its class line: '\\# shardtap tags: [b]'");
    CHECK(problem_with("1..1\nok 1 - a\n# shardtap tags: [a]\n# shardtap class: A\n") ==
          "line 4: a class line that does not follow a test point: '\\# shardtap class: A'");
    auto const stream = read_tap("1..3\nok 1 - a\n# shardtap tags: [a]\nok 2 - a\n# shardtap class: A\n"
                                 "# shardtap tags: [b]\nok 3 - a\n");
    CHECK(stream.points[0].identity() == TestIdentityView{"a", "", "[a]"});
    CHECK(stream.points[1].identity() == TestIdentityView{"a", "A", "[b]"});
    CHECK(stream.points[2].identity() == TestIdentityView{"a", "", ""});
}

TEST_CASE("an empty node's stream: 1..0 # SKIP") {
    auto const stream = read_tap("TAP version 14\n1..0 # SKIP node 3 of 4 has no test cases\n");
    REQUIRE(stream.plan);
    CHECK(stream.plan->count == 0);
    CHECK(stream.plan->skip_reason == "node 3 of 4 has no test cases");
    CHECK(stream.points.empty());
}

TEST_CASE("Bail out! ends the stream; earlier points stay") {
    auto const stream = read_tap(
        "TAP version 14\n1..3\nok 1 - a\nnot ok 2 - crashes\n  ---\n  message: \"SIGSEGV\"\n  ...\n"
        "Bail out! SIGSEGV - Segmentation violation signal\nwhatever follows\n");
    REQUIRE(stream.bail_out);
    CHECK(stream.bail_out->reason == "SIGSEGV - Segmentation violation signal");
    CHECK(stream.bail_out->line == 8);
    REQUIRE(stream.points.size() == 2);
    CHECK(stream.points[1].failed());
    REQUIRE(stream.points[1].diagnostics);
    CHECK(stream.points[1].diagnostics->message == "SIGSEGV");
}

TEST_CASE("reads TAP from other producers: no version, no numbers, no dashes, foreign YAML") {
    auto const stream = read_tap(
        "ok\nok first\nnot ok - second\n  ---\n  message: plain words\n  data: {a: 1}\n  ...\n"
        "# a comment\npragma +strict\n\nok 4 # skip\n1..4\n");
    CHECK(stream.version == 12);
    REQUIRE(stream.points.size() == 4);
    CHECK(stream.points[0].description.empty());
    CHECK(stream.points[1].description == "first");
    CHECK(stream.points[2].description == "second");
    CHECK(stream.points[2].diagnostic_lines ==
          std::vector<std::string>{"message: plain words", "data: {a: 1}"});
    CHECK_FALSE(stream.points[2].diagnostics);
    CHECK(stream.points[3].directive == TapDirective::skip);
    CHECK_FALSE(stream.plan->before_points);
}

TEST_CASE("malformed input: the line and what is wrong") {
    CHECK(problem_with("") == "line 1: the stream is empty");
    CHECK(problem_with("TAP version 14\n1..2\nok 1 - a\n") ==
          "line 4: the stream ends after 1 of the 2 test points its plan at line 2 promises, "
          "without 'Bail out!' (truncated?)");
    CHECK(problem_with("TAP version 14\nok 1 - a\n") ==
          "line 3: the stream ends after 1 test points without a plan (1..N) and without "
          "'Bail out!' (truncated?)");
    CHECK(problem_with("TAP version 14\n1..2\nok 1\nok 3\n") == "line 4: test point 3 where 2 was expected");
    CHECK(problem_with("1..1\nok 1\nok 2\n") == "line 3: test point 2 is beyond the plan 1..1 at line 1");
    CHECK(problem_with("ok 1\n1..1\nok 2\n") == "line 3: a test point after the closing plan at line 2");
    CHECK(problem_with("ok 1\nok 2\n1..3\n") ==
          "line 3: the closing plan 1..3 does not match the 2 test points before it");
    CHECK(problem_with("1..1\n1..1\nok 1\n") == "line 2: a second plan; the first is at line 1");
    CHECK(problem_with("1..1\nok 1\n  ---\n  a: \"b\"\n") ==
          "line 5: the stream ends inside the diagnostics block that starts at line 3 (truncated?)");
    CHECK(problem_with("1..2\nok 1\n  ---\nok 2\n") ==
          "line 4: the diagnostics block that starts at line 3 is not closed with '  ...' before 'ok 2'");
    CHECK(problem_with("1..1\nhello\nok 1\n") == "line 2: not a TAP line: 'hello'");
    CHECK(problem_with("1..1\n  stray\nok 1\n") ==
          "line 2: an indented line outside a diagnostics block: '  stray'");
    CHECK(problem_with("1..1\n    ok 1 - sub\nok 1\n") ==
          "line 2: an indented subtest; subtests are not supported");
    CHECK(problem_with("1..1\nTAP version 14\n") == "line 2: the version line must be the first line");
    CHECK(problem_with("TAP version 15\n") == "line 1: unsupported TAP version '15' (13 and 14 are known)");
    CHECK(problem_with("1..x\n") == "line 1: a malformed plan: '1..x'");
    CHECK(problem_with("okay 1\n1..1\n") == "line 1: not a TAP line: 'okay 1'");
    CHECK(problem_with("# shardtap node_total: many\n1..0\n") ==
          "line 1: shardtap field \"node_total\" should be a whole number, not \"many\"");
}

TEST_CASE("a read error keeps what was read before it") {
    try {
        read_tap("TAP version 14\n1..3\nok 1 - a\nnot ok 2 - b\n");
        FAIL("no error");
    } catch (TapReadError const& error) {
        CHECK(error.line() == 5);
        CHECK_THAT(error.problem(), ContainsSubstring("truncated"));
        CHECK(error.partial().points.size() == 2);
        CHECK(error.partial().points[1].description == "b");
    }
}

namespace {
std::optional<TapReadError::Kind> kind_of_error(std::string const& text) {
    try {
        read_tap(text);
    } catch (TapReadError const& error) {
        return error.kind();
    }
    return std::nullopt;
}
}  // namespace

TEST_CASE("a read error says whether the stream is malformed or stops too early") {
    using Kind = TapReadError::Kind;
    CHECK(kind_of_error("") == Kind::truncated);
    CHECK(kind_of_error("TAP version 14\n1..3\nok 1 - a\n") == Kind::truncated);
    CHECK(kind_of_error("TAP version 14\nok 1 - a\n") == Kind::truncated);  // no plan yet
    CHECK(kind_of_error("1..1\nnot ok 1 - a\n  ---\n  message: \"m\"\n") == Kind::truncated);
    CHECK(kind_of_error("1..1\nokay\n") == Kind::malformed);
    CHECK(kind_of_error("1..1\nok 2 - a\n") == Kind::malformed);
    CHECK(kind_of_error("1..1\nok 1 - a\nok 2 - b\n") == Kind::malformed);  // beyond the plan
    CHECK(kind_of_error("1..1\nnot ok 1 - a\n  ---\nok 2\n") == Kind::malformed);
    CHECK_FALSE(kind_of_error("1..2\nok 1 - a\nBail out! stop\n"));
}

TEST_CASE("a stream read while it is written: piece by piece, stopping where read_tap would") {
    TapStreamReader reader;
    reader.read("TAP version 14\n1..3\n");
    CHECK(reader.stream().plan->count == 3);
    CHECK(reader.stream().points.empty());
    reader.read("ok 1 - a\nnot ok 2 - b\n  ---\n");
    CHECK(reader.stream().points.size() == 2);
    reader.read("  message: \"m\"\n  ...\n# shardtap class: K\n");
    REQUIRE(reader.stream().points[1].diagnostics);
    CHECK(reader.stream().points[1].diagnostics->message == "m");
    CHECK(reader.stream().points[1].class_name == "K");
    CHECK_FALSE(reader.error());
    reader.read("garbage\nok 3 - c\n");
    REQUIRE(reader.error());
    CHECK(std::string(reader.error()->what()) == "line 9: not a TAP line: 'garbage'");
    CHECK(reader.stream().points.size() == 2);  // nothing after the rejected line
    reader.read("ok 3 - c\n");
    CHECK(reader.stream().points.size() == 2);

    TapStreamReader crashed;
    crashed.read("1..2\nnot ok 1 - a\nBail out! SIGSEGV\nok 2 - b\n");
    CHECK(crashed.stream().bail_out);
    CHECK(crashed.stream().points.size() == 1);
    CHECK_FALSE(crashed.error());
}

TEST_CASE("CRLF line ends are read like LF") {
    auto const stream = read_tap("TAP version 14\r\n1..1\r\nok 1 - a\r\n");
    REQUIRE(stream.points.size() == 1);
    CHECK(stream.points[0].description == "a");
}

TEST_CASE("round trip of each point's time, on its line or behind a directive") {
    auto const style = GENERATE(DiagnosticsStyle::yaml, DiagnosticsStyle::comments);
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> kind(0, 2);
    std::uniform_int_distribution<std::uint32_t> micros;
    TapEncoder tap(style);
    auto const d = rich_diagnostics();
    std::string out(tap.version());
    std::vector<std::pair<TapDirective, double>> expected;
    for (int i = 0; i < 200; ++i) {
        auto const directive = static_cast<TapDirective>(kind(rng));
        std::string const name = "name # " + std::to_string(i);
        TapPointView point{i % 2 == 0, name, directive, "why", i % 3 == 0 ? &d : nullptr};
        point.elapsed_ms = micros(rng) / 1000.0;
        out += tap.point(point);
        expected.emplace_back(directive, *point.elapsed_ms);
    }
    out += tap.final_plan();
    auto const stream = read_tap(out);
    REQUIRE(stream.points.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto const& point = stream.points[i];
        CHECK(point.description == "name # " + std::to_string(i));
        CHECK(point.directive == expected[i].first);
        REQUIRE(point.elapsed_ms);
        CHECK(*point.elapsed_ms == expected[i].second);
        if (i % 3 == 0) {  // the rest of the block is untouched
            REQUIRE(point.diagnostics);
            CHECK(point.diagnostics->failures == d.failures);
        }
    }
}

TEST_CASE("reads node-tap's time in seconds or milliseconds; anything else stays in the description") {
    auto const stream = read_tap(
        "TAP version 14\nok 1 - a # time=1.5s\nok 2 - b #  TIME=12ms \nok 3 - c # time=abc\n"
        "ok 4 - d # time=-1ms\nok 5 - e\n  ---\n  duration_ms: 4.25\n  ...\nok 6 - f\n1..6\n");
    REQUIRE(stream.points.size() == 6);
    CHECK(stream.points[0].description == "a");
    CHECK(stream.points[0].elapsed_ms == 1500.0);
    CHECK(stream.points[1].description == "b");
    CHECK(stream.points[1].elapsed_ms == 12.0);
    CHECK(stream.points[2].description == "c # time=abc");
    CHECK_FALSE(stream.points[2].elapsed_ms);
    CHECK(stream.points[3].description == "d # time=-1ms");
    CHECK(stream.points[4].elapsed_ms == 4.25);
    CHECK_FALSE(stream.points[5].elapsed_ms);
}
