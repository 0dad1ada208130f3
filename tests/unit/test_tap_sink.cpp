// The sink on its own: lines reach the reader whole and in order, whichever thread writes them
// (the test thread at once, or the flusher after the latency), and nothing after a crash's flush.
#include "posix/tap_sink.hpp"

#include "temporary_directory.hpp"

#include "posix/files.hpp"

#include <catch2/catch_test_macros.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

using namespace shardtap;

namespace {

struct SinkToFile {
    SinkToFile() : sink(std::cout) {
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        sink.use_descriptor(fd);
    }
    ~SinkToFile() {
        sink.stop();  // what waits, before its descriptor closes
        ::close(fd);
    }
    std::string bytes() const { return read_file(path); }

    TemporaryDirectory directory;
    std::string path = directory.file("node.tap");
    int fd = -1;
    TapSink sink;
};

// A pipe whose reader starts late, as a CI runner may: once the pipe is full, the flusher's
// writes block in the middle, and the lines written meanwhile must wait their turn.
struct SinkToLatePipe {
    SinkToLatePipe() : sink(std::cout) {
        int ends[2];
        REQUIRE(::pipe(ends) == 0);
        read_end = ends[0];
        write_end = ends[1];
#if defined(F_GETPIPE_SZ)
        capacity = ::fcntl(write_end, F_GETPIPE_SZ);
        REQUIRE(capacity > 0);
#endif
        sink.use_descriptor(write_end);
        reader = std::thread([this] {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            char chunk[4096];
            for (ssize_t n; (n = ::read(read_end, chunk, sizeof chunk)) > 0;) {
                received.append(chunk, static_cast<std::size_t>(n));
            }
        });
    }
    std::string close() {  // everything written, once the sink stopped
        sink.stop();
        ::close(write_end);
        reader.join();
        ::close(read_end);
        return received;
    }

    int read_end = -1;
    int write_end = -1;
    int capacity = 64 * 1024;  // Linux's default, where it cannot be asked
    std::string received;
    std::thread reader;
    TapSink sink;
};

}  // namespace

TEST_CASE("lines reach the reader whole and in order, written at once or by the flusher") {
    SinkToLatePipe out;
    std::string expected;
    auto const write = [&](std::string const& line) {
        out.sink.write(line);
        expected += line;
    };
    // The pipe filled first, then bursts shorter than the latency, each followed by
    // a pause longer than it: the flusher writes each burst, blocking while the pipe is full,
    // and the line after the pause must come after the burst, not in the middle of it. A line
    // longer than the buffer is written at once as well.
    write(std::string(static_cast<std::size_t>(out.capacity) - 1, 'p') + "\n");
    for (int burst = 0; burst < 6; ++burst) {
        for (int i = 0; i < 300; ++i) {  // 15 ms
            write("ok " + std::to_string(burst) + "." + std::to_string(i) + " - a quick test case\n");
            auto const until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
            while (std::chrono::steady_clock::now() < until) {
            }
        }
        if (burst == 4) write(std::string(100 * 1024, 'x') + "\n");
        std::this_thread::sleep_for(TapSink::latency + std::chrono::milliseconds(5));
        write("ok " + std::to_string(burst) + " - after a pause\n");
    }
    std::string const received = out.close();
    REQUIRE(received.size() == expected.size());
    CHECK(received == expected);
}

TEST_CASE("a line that waits is written by the flusher while the test thread is busy, burst after burst") {
    SinkToFile out;
    std::string expected;
    for (int burst = 0; burst < 3; ++burst) {
        auto const tag = std::to_string(burst);
        out.sink.write("ok " + tag + " - written at once\n");
        out.sink.write("ok " + tag + " - waits for the flusher\n");  // within the latency of the first
        expected += "ok " + tag + " - written at once\nok " + tag + " - waits for the flusher\n";
        // The test thread writes nothing more: it runs a long test case. The flusher, started by
        // the first burst and asleep since, must write the line anyway (stop() is not called).
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (out.bytes() != expected && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        CAPTURE(burst);
        REQUIRE(out.bytes() == expected);
        std::this_thread::sleep_for(TapSink::latency + std::chrono::milliseconds(5));
    }
}

TEST_CASE("after a crash's flush, what waited is written and no later line is") {
    SinkToFile out;
    // An hour ahead: the flusher's latency for "ok 2" does not end during the test, so only the
    // crash's flush can write it.
    auto const later = TapSink::Clock::now() + std::chrono::hours(1);
    out.sink.write("ok 1 - written at once\n", later);
    out.sink.write("ok 2 - waits\n", later);
    out.sink.flush_after_crash();
    out.sink.write("ok 3 - after the crash\n");
    out.sink.write_after_crash("Bail out! SIGSEGV\n");
    out.sink.stop();
    CHECK(out.bytes() == "ok 1 - written at once\nok 2 - waits\nBail out! SIGSEGV\n");
}
