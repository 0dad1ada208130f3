// The TAP writer on its own: every ending, every crash path, its bytes read back with the
// project's reader. The crash paths run with the allocation guard armed (allocation_guard.hpp).
#include "posix/tap_writer.hpp"

#include "allocation_guard.hpp"
#include "tap_samples.hpp"
#include "temporary_directory.hpp"

#include "core/tap/tap_reader.hpp"
#include "posix/files.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;

namespace {

// A writer whose stream goes to a file; bytes() reads what it wrote so far.
struct WriterToFile {
    explicit WriterToFile(std::optional<std::size_t> plan, DiagnosticsStyle style = DiagnosticsStyle::yaml)
        : writer(std::cout, {style}) {
        int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        TapHeader header;
        header.node_index = 0;
        header.node_total = 1;
        writer.start({fd, false, true}, plan, "nothing to run", header);
    }
    std::string bytes() const { return read_file(path); }
    TapStream stream() const { return read_tap(bytes()); }

    TemporaryDirectory directory;
    std::string path = directory.file("node.tap");
    TapWriter writer;
};

void passing_test(TapWriter& writer, std::string_view name) {
    writer.test_starting(name, "", "");
    writer.test_ended({true});
}

// The crash entry point, with every allocation counted.
std::size_t allocations_ending(TapWriter& writer, TapWriter::Ending ending, std::string_view reason) {
    testing::arm_allocation_guard();
    writer.end(ending, reason);
    return testing::disarm_allocation_guard();
}

}  // namespace

TEST_CASE("the allocation guard sees an allocation") {
    if (!testing::allocation_guard_works()) SKIP("the sanitizers own the allocator in this build");
    testing::arm_allocation_guard();
    delete new std::string(100, 'x');
    CHECK(testing::disarm_allocation_guard() > 0);
}

TEST_CASE("a point's time: the caller's where it measured one, else from test_starting") {
    WriterToFile out(2);
    out.writer.test_starting("timed by the caller", "", "");
    TapOutcome timed;
    timed.elapsed_ms = 1234.5;
    out.writer.test_ended(timed);
    out.writer.test_starting("sleeps", "", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    out.writer.test_ended({true});
    out.writer.end(TapWriter::Ending::completed);
    auto const stream = out.stream();
    REQUIRE(stream.points.size() == 2);
    CHECK(stream.points[0].elapsed_ms == 1234.5);
    REQUIRE(stream.points[1].elapsed_ms);
    CHECK(*stream.points[1].elapsed_ms >= 20);
}

TEST_CASE("completed: the points, the elapsed time, nothing twice") {
    WriterToFile out(2);
    passing_test(out.writer, "adds");
    out.writer.test_starting("divides", "Fixture", "");
    out.writer.failure(testing::failed_check());
    out.writer.test_ended({false});
    out.writer.end(TapWriter::Ending::completed);
    auto const bytes = out.bytes();
    out.writer.end(TapWriter::Ending::completed);
    out.writer.end(TapWriter::Ending::crashed, "SIGTERM - Termination request signal");
    out.writer.end(TapWriter::Ending::exited);
    CHECK(out.bytes() == bytes);

    auto const stream = read_tap(bytes);
    CHECK(stream.version == 14);
    CHECK(stream.plan->count == 2);
    REQUIRE(stream.points.size() == 2);
    CHECK(stream.points[0].ok);
    CHECK(stream.points[1].failed());
    CHECK(stream.points[1].class_name == "Fixture");
    CHECK(stream.points[1].diagnostics->failures == std::vector<TapFailure>{testing::failed_check()});
    CHECK(stream.points[1].diagnostics->duration_ms.has_value());
    CHECK(stream.header.elapsed_seconds.has_value());
    CHECK_FALSE(stream.bail_out);
}

TEST_CASE("completed short of the plan bails out; without a plan first, the plan comes last") {
    WriterToFile short_run(3);
    passing_test(short_run.writer, "only one");
    short_run.writer.end(TapWriter::Ending::completed);
    CHECK(short_run.stream().bail_out->reason == "the run ended after 1 of the 3 planned test cases");

    WriterToFile unplanned(std::nullopt);
    passing_test(unplanned.writer, "a");
    passing_test(unplanned.writer, "b");
    unplanned.writer.end(TapWriter::Ending::completed);
    auto const stream = unplanned.stream();
    CHECK_FALSE(stream.plan->before_points);
    CHECK(stream.plan->count == 2);

    WriterToFile empty(0);
    empty.writer.end(TapWriter::Ending::completed);
    CHECK(empty.stream().plan->skip_reason == "nothing to run");
}

TEST_CASE("bailed out: a point beyond the plan ends the stream, the run goes on") {
    WriterToFile out(1);
    passing_test(out.writer, "planned");
    passing_test(out.writer, "one too many");
    passing_test(out.writer, "later");
    out.writer.end(TapWriter::Ending::completed);
    auto const stream = out.stream();
    CHECK(stream.points.size() == 1);
    CHECK(stream.bail_out->reason == "TapEncoder: test point 2 is beyond the plan 1..1");
    CHECK_THAT(out.bytes(), !ContainsSubstring("elapsed"));  // nothing after Bail out!
}

TEST_CASE("crashed in a test case: not ok with its failures, identity lines, Bail out!, no allocation") {
    for (auto style : {DiagnosticsStyle::yaml, DiagnosticsStyle::comments}) {
        WriterToFile out(3, style);
        passing_test(out.writer, "passes");
        out.writer.test_starting("crashes # here", "Fixture", "[a]");
        out.writer.failure(testing::failed_check());
        std::size_t const allocated =
            allocations_ending(out.writer, TapWriter::Ending::crashed, "SIGTERM - Termination request signal");
        if (testing::allocation_guard_works()) CHECK(allocated == 0);
        auto const bytes = out.bytes();
        out.writer.test_ended({true});  // Catch2's events after the crash
        out.writer.end(TapWriter::Ending::completed);
        CHECK(out.bytes() == bytes);

        auto const stream = read_tap(bytes);  // the reader knows both block styles
        REQUIRE(stream.points.size() == 2);
        auto const& crashed = stream.points[1];
        CHECK(crashed.failed());
        CHECK(crashed.description == "crashes # here");
        CHECK(crashed.class_name == "Fixture");
        CHECK(crashed.tags == "[a]");
        CHECK(crashed.diagnostics->message == "SIGTERM - Termination request signal");
        CHECK(crashed.diagnostics->failures == std::vector<TapFailure>{testing::failed_check()});
        CHECK(stream.bail_out->reason == "SIGTERM - Termination request signal during test case: crashes # here");
    }
}

TEST_CASE("crashed in the test body (Catch2's handler): the crash is a fatal failure, with its time") {
    WriterToFile out(2);
    out.writer.test_starting("segfaults", "", "");
    std::size_t const allocated = allocations_ending(out.writer, TapWriter::Ending::crashed_in_test_body,
                                                     "SIGSEGV - Segmentation violation signal");
    if (testing::allocation_guard_works()) CHECK(allocated == 0);
    auto const stream = out.stream();
    REQUIRE(stream.points.size() == 1);
    auto const& diagnostics = *stream.points[0].diagnostics;
    REQUIRE(diagnostics.failures.size() == 1);
    CHECK(diagnostics.failures[0].kind == "fatal");
    CHECK(diagnostics.failures[0].message == "SIGSEGV - Segmentation violation signal");
    CHECK(diagnostics.duration_ms.has_value());
    CHECK(stream.bail_out->reason == "SIGSEGV - Segmentation violation signal during test case: segfaults");
}

TEST_CASE("crashed between test cases: Bail out! alone") {
    WriterToFile out(2);
    passing_test(out.writer, "passes");
    CHECK(allocations_ending(out.writer, TapWriter::Ending::crashed, "SIGBUS - Bus error signal") == 0);
    auto const stream = out.stream();
    CHECK(stream.points.size() == 1);
    CHECK(stream.bail_out->reason == "SIGBUS - Bus error signal");
}

TEST_CASE("a crash after the stream bailed out adds nothing") {
    WriterToFile out(1);
    passing_test(out.writer, "planned");
    out.writer.test_starting("beyond", "", "");
    out.writer.test_ended({true});
    auto const bytes = out.bytes();
    out.writer.end(TapWriter::Ending::crashed, "SIGTERM - Termination request signal");
    CHECK(out.bytes() == bytes);
}

TEST_CASE("a long reason and a long name are cut, never allocated for") {
    WriterToFile out(1);
    std::string const name(100000, 'n');
    out.writer.test_starting(name, "", "");
    std::string const reason(5000, 'r');
    std::size_t const allocated = allocations_ending(out.writer, TapWriter::Ending::crashed, reason);
    if (testing::allocation_guard_works()) CHECK(allocated == 0);
    auto const stream = out.stream();
    CHECK(stream.points[0].description == name);
    CHECK(stream.bail_out->reason == reason.substr(0, TapCrashLines::reason_limit) + " during test case: " + name);
}

TEST_CASE("exited: not ok for the test case in progress, or Bail out! between test cases") {
    WriterToFile in_test(3);
    passing_test(in_test.writer, "passes");
    in_test.writer.test_starting("calls exit", "", "");
    in_test.writer.end(TapWriter::Ending::exited);
    auto stream = in_test.stream();
    REQUIRE(stream.points.size() == 2);
    CHECK_THAT(stream.points[1].diagnostics->message, ContainsSubstring("exit() was called"));
    CHECK(stream.bail_out->reason == "exit() called during test case calls exit");

    WriterToFile between(3);
    passing_test(between.writer, "passes");
    between.writer.end(TapWriter::Ending::exited);
    CHECK(between.stream().bail_out->reason == "exit() called between test cases");
}

TEST_CASE("timed out: announced from another thread, not ok with its time, Bail out! names the test") {
    expect_timeouts();  // as the timeout listener does before its watchdog starts
    WriterToFile out(2);
    passing_test(out.writer, "passes");
    out.writer.test_starting("hangs", "", "");
    testing::arm_allocation_guard();
    announce_timeout("test case hangs timed out after 1 s");
    std::size_t const allocated = testing::disarm_allocation_guard();
    if (testing::allocation_guard_works()) CHECK(allocated == 0);
    auto const stream = out.stream();
    REQUIRE(stream.points.size() == 2);
    CHECK(stream.points[1].failed());
    CHECK(stream.points[1].diagnostics->duration_ms.has_value());
    CHECK(stream.bail_out->reason == "test case hangs timed out after 1 s");
    out.writer.test_ended({true});  // the test thread, later: nothing more
    CHECK(out.stream().points.size() == 2);
}

// A real signal through crash_guard's handler, in a child process: the child's stdout is the
// stream's file, the writer captures what the test prints, and the allocation guard ends the
// child with status 77 if the handler allocates on the way to Bail out!.
TEST_CASE("a real SIGTERM in a test case: the handler writes the point with its output, allocating nothing") {
    TemporaryDirectory directory;
    auto const path = directory.file("node.tap");
    std::fflush(nullptr);
    pid_t const child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        TapWriter writer(std::cout, {});
        writer.start({1, true}, 2, {}, {});
        passing_test(writer, "passes");
        writer.test_starting("receives SIGTERM", "", "");
        std::printf("last words on stdout\n");  // stdio's buffer: line-buffered by the capture
        std::fprintf(stderr, "last words on stderr\n");
        testing::arm_allocation_guard(true);
        std::raise(SIGTERM);
        ::_exit(3);  // not reached: the handler raises SIGTERM again with its default action
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("status " << status << "\n" << read_file(path));
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    auto const stream = read_tap(read_file(path));
    REQUIRE(stream.points.size() == 2);
    CHECK(stream.points[1].failed());
    CHECK(stream.points[1].diagnostics->stdout_text == "last words on stdout\n");
    CHECK(stream.points[1].diagnostics->stderr_text == "last words on stderr\n");
    CHECK(stream.bail_out->reason ==
          "SIGTERM - Termination request signal during test case: receives SIGTERM");
}
