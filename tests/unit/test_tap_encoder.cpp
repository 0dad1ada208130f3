#include "core/tap/tap_encoder.hpp"

#include "tap_samples.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace shardtap;

namespace {
TapDiagnostics failed_check() {
    TapDiagnostics d;
    d.duration_ms = 1.5;
    d.failures.push_back(testing::failed_check());
    d.stdout_text = "printed\n";
    return d;
}
}  // namespace

TEST_CASE("a stream starts with the version, then the plan") {
    TapEncoder tap;
    std::string out(tap.version());
    out += tap.plan(3);
    CHECK(out == "TAP version 14\n1..3\n");
}

TEST_CASE("test points are numbered in order, descriptions escaped") {
    TapEncoder tap;
    tap.plan(3);
    CHECK(tap.point({true, "adds"}) == "ok 1 - adds\n");
    CHECK(tap.point({false, "a # b \\ c\nd"}) == "not ok 2 - a \\# b \\\\ c\\nd\n");
    CHECK(tap.point({true, ""}) == "ok 3\n");
    CHECK(tap.points_written() == 3);
}

TEST_CASE("directives: SKIP and TODO with escaped reasons") {
    TapEncoder tap;
    CHECK(tap.point({true, "skipped", TapDirective::skip, "no network #1"}) ==
          "ok 1 - skipped # SKIP no network \\#1\n");
    CHECK(tap.point({false, "flaky", TapDirective::todo, "[!mayfail]"}) ==
          "not ok 2 - flaky # TODO [!mayfail]\n");
    CHECK(tap.point({true, "bare", TapDirective::todo}) == "ok 3 - bare # TODO\n");
    // Readers skip the blanks before a reason: leading spaces are escaped to survive.
    CHECK(tap.point({true, "spaced", TapDirective::skip, "  two spaces first"}) ==
          "ok 4 - spaced # SKIP \\x20\\x20two spaces first\n");
}

TEST_CASE("an empty node skips the whole stream") {
    TapEncoder tap;
    CHECK(tap.skip_all("node 11 of 12 has no test cases") ==
          "1..0 # SKIP node 11 of 12 has no test cases\n");
    CHECK_THROWS_AS(tap.point({true, "x"}), std::logic_error);
}

TEST_CASE("the plan comes last when it was not known first") {
    TapEncoder tap;
    tap.point({true, "a"});
    tap.point({true, "b"});
    CHECK(tap.final_plan() == "1..2\n");
    CHECK_THROWS_AS(tap.plan(2), std::logic_error);
}

TEST_CASE("points beyond the plan are refused") {
    TapEncoder tap;
    tap.plan(1);
    tap.point({true, "a"});
    CHECK_THROWS_AS(tap.point({true, "b"}), std::logic_error);
}

TEST_CASE("a failed point carries a YAML block: two-space indent, every string quoted") {
    TapEncoder tap;
    auto const d = failed_check();
    CHECK(tap.point({false, "compares", TapDirective::none, {}, &d}) ==
          "not ok 1 - compares\n"
          "  ---\n"
          "  duration_ms: 1.500\n"
          "  failures:\n"
          "    - kind: \"expression\"\n"
          "      file: \"tests/math.cpp\"\n"
          "      line: 12\n"
          "      macro: \"CHECK\"\n"
          "      expression: \"a == b\"\n"
          "      expansion: \"1 == 2\"\n"
          "      messages:\n"
          "        - \"i := 3\"\n"
          "        - \"a: b\"\n"
          "      sections:\n"
          "        - \"outer\"\n"
          "        - \"inner\"\n"
          "  stdout: \"printed\\n\"\n"
          "  ...\n");
}

TEST_CASE("comment diagnostics: the same lines after '# ', none starting with whitespace") {
    TapEncoder tap(DiagnosticsStyle::comments);
    auto const d = failed_check();
    std::string const out(tap.point({false, "compares", TapDirective::none, {}, &d}));
    CHECK(out.find("\n# ---\n# duration_ms: 1.500\n# failures:\n#   - kind: \"expression\"\n") !=
          std::string::npos);
    CHECK(out.find("\n#       - \"i := 3\"\n") != std::string::npos);
    std::size_t start = 0;
    while (start < out.size()) {
        CHECK(out[start] != ' ');
        CHECK(out[start] != '\t');
        start = out.find('\n', start) + 1;
    }
    CHECK(out.substr(out.size() - 6) == "# ...\n");
}

TEST_CASE("an empty diagnostics block is not written") {
    TapEncoder tap;
    TapDiagnostics none;
    CHECK(tap.point({true, "a", TapDirective::none, {}, &none}) == "ok 1 - a\n");
}

TEST_CASE("Bail out! and comments stay on one line") {
    TapEncoder tap;
    CHECK(tap.bail_out("SIGSEGV in 'x\ny'") == "Bail out! SIGSEGV in 'x\\ny'\n");
    CHECK(tap.comment("two\nlines") == "# two\\nlines\n");
}

TEST_CASE("a test case's class follows its point and diagnostics, escaped, on a comment line") {
    auto const d = failed_check();
    SECTION("yaml") {
        TapEncoder tap;
        std::string const out(tap.point({false, "same name", TapDirective::none, {}, &d, "Fixture<#1>"}));
        CHECK(out.rfind("not ok 1 - same name\n  ---\n", 0) == 0);
        std::string const end = "  ...\n# shardtap class: Fixture<\\#1>\n";
        CHECK(out.substr(out.size() - end.size()) == end);
    }
    SECTION("comments") {
        TapEncoder tap(DiagnosticsStyle::comments);
        std::string const out(tap.point({false, "same name", TapDirective::none, {}, &d, "A\nB"}));
        std::string const end = "# ...\n# shardtap class: A\\nB\n";
        CHECK(out.substr(out.size() - end.size()) == end);
    }
    SECTION("no class, no line") {
        TapEncoder tap;
        CHECK(tap.point({true, "plain"}) == "ok 1 - plain\n");
        CHECK(tap.point({true, "method", TapDirective::skip, "off", nullptr, "Fixture"}) ==
              "ok 2 - method # SKIP off\n# shardtap class: Fixture\n");
    }
}

TEST_CASE("a test case's tags follow its class line, or its point when it has no class") {
    auto const d = failed_check();
    TapEncoder tap(DiagnosticsStyle::comments);
    CHECK(tap.point({true, "same name", TapDirective::none, {}, nullptr, "", "[a][#b]"}) ==
          "ok 1 - same name\n# shardtap tags: [a][\\#b]\n");
    std::string const out(tap.point({false, "same name", TapDirective::none, {}, &d, "Fixture", "[b]"}));
    std::string const end = "# ...\n# shardtap class: Fixture\n# shardtap tags: [b]\n";
    CHECK(out.substr(out.size() - end.size()) == end);
    std::string lines;
    append_tap_identity_lines(lines, "Fixture", "[b]");
    CHECK(lines == "# shardtap class: Fixture\n# shardtap tags: [b]\n");
    lines.clear();
    append_tap_identity_lines(lines, "", "");
    CHECK(lines.empty());
}

namespace {
TapPointView timed(bool ok, std::string_view name, TapDirective directive, double ms,
                   TapDiagnostics const* diagnostics = nullptr) {
    TapPointView point{ok, name, directive, {}, diagnostics};
    point.elapsed_ms = ms;
    return point;
}
}  // namespace

TEST_CASE("each point carries its time where tap-parser reads it: after the description") {
    TapEncoder tap;
    CHECK(tap.point(timed(true, "adds", TapDirective::none, 12.3456)) ==
          "ok 1 - adds # time=12.346ms\n");
    CHECK(tap.point(timed(true, "", TapDirective::none, 0.25)) == "ok 2 # time=0.250ms\n");
    auto const d = failed_check();
    std::string const failed(tap.point(timed(false, "x # y", TapDirective::none, 7, &d)));
    CHECK(failed.rfind("not ok 3 - x \\# y # time=7.000ms\n  ---\n  duration_ms: 1.500\n", 0) == 0);
}

TEST_CASE("a time is written as printf's %.3f writes it: the exact value, halves to even") {
    // Exact halves (k / 16), their neighbours, values that decimal fractions only approach, and
    // values past the fast path's range.
    std::vector<double> values{0, 1e12, 2.5e12, 1e300, 5e-324, 0.0625, 0.1875, 999999999999.9995};
    for (int k = 0; k < 20000; ++k) {
        double const half = (2 * k + 1) / 2000.0;
        values.insert(values.end(), {k / 16.0, k / 2048.0, half, std::nextafter(half, 0.0),
                                     std::nextafter(half, 1e9), k * 1.2345e-3, k * 7654.321});
    }
    // Random, from 2^-10 to 2^40 ms: every magnitude a test case's time takes, and past the
    // one-multiplication path's bound (1e9).
    std::mt19937_64 random(20);
    for (int i = 0; i < 200000; ++i) {
        values.push_back(std::ldexp(std::generate_canonical<double, 53>(random), i % 51 - 10));
    }
    TapEncoder tap;
    for (double const ms : values) {
        char expected[400];
        std::snprintf(expected, sizeof expected, "ok %zu # time=%.3fms\n", tap.points_written() + 1, ms);
        REQUIRE(tap.point(timed(true, "", TapDirective::none, ms)) == expected);
    }
}

TEST_CASE("behind a SKIP or TODO directive the time goes into the diagnostics' duration_ms") {
    SECTION("yaml") {
        TapEncoder tap;
        CHECK(tap.point(timed(true, "skipped", TapDirective::skip, 3)) ==
              "ok 1 - skipped # SKIP\n  ---\n  duration_ms: 3.000\n  ...\n");
        auto const d = failed_check();  // its own duration_ms gives way to the point's time
        std::string const todo(tap.point(timed(false, "flaky", TapDirective::todo, 9, &d)));
        CHECK(todo.rfind("not ok 2 - flaky # TODO\n  ---\n  duration_ms: 9.000\n  failures:\n", 0) == 0);
    }
    SECTION("comments: no line starts with whitespace") {
        TapEncoder tap(DiagnosticsStyle::comments);
        CHECK(tap.point(timed(true, "skipped", TapDirective::skip, 3)) ==
              "ok 1 - skipped # SKIP\n# ---\n# duration_ms: 3.000\n# ...\n");
    }
}

TEST_CASE("times tap-parser cannot read are not written as such") {
    TapEncoder tap;
    CHECK(tap.point(timed(true, "clock went back", TapDirective::none, -2)) ==
          "ok 1 - clock went back # time=0.000ms\n");
    CHECK(tap.point(timed(true, "nan", TapDirective::none, std::nan(""))) == "ok 2 - nan\n");
    CHECK(tap.point({true, "not run"}) == "ok 3 - not run\n");
}
