// The sink on its own: lines reach the reader whole and in order, whichever thread writes them
// (the test thread at once, or the flusher after the latency), and nothing after a crash's flush.
#include "posix/tap_sink.hpp"

#include "temporary_directory.hpp"

#include "posix/files.hpp"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
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
    // The file once it holds `expected`, or as it is after 5 s.
    std::string eventually(std::string const& expected) const {
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        std::string now = bytes();
        for (; now != expected && std::chrono::steady_clock::now() < deadline; now = bytes()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return now;
    }

    TemporaryDirectory directory;
    std::string path = directory.file("node.tap");
    int fd = -1;
    TapSink sink;
};

// A pipe whose reader starts late, as a CI runner may: once the pipe is full, the flusher's
// writes block in the middle, and the lines written meanwhile must wait their turn. The reader
// starts 150 ms after construction, or, `until_told`, when start_reading() says.
struct SinkToLatePipe {
    using Clock = std::chrono::steady_clock;

    explicit SinkToLatePipe(bool until_told = false)
        : read_from(until_told ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(150)),
          sink(std::cout) {
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
            while (Clock::now() < read_from.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            char chunk[4096];
            for (ssize_t n; (n = ::read(read_end, chunk, sizeof chunk)) > 0;) {
                received.append(chunk, static_cast<std::size_t>(n));
            }
        });
    }
    ~SinkToLatePipe() { close(); }  // also when a REQUIRE fails with the reader held back
    void start_reading(std::chrono::milliseconds after) { read_from = Clock::now() + after; }
    std::string close() {  // everything written, once the sink stopped
        if (!reader.joinable()) return received;
        read_from = Clock::time_point::min();
        sink.stop();
        ::close(write_end);
        reader.join();
        ::close(read_end);
        return received;
    }

    int read_end = -1;
    int write_end = -1;
    int capacity = 64 * 1024;  // Linux's default, where it cannot be asked
    std::atomic<Clock::time_point> read_from;
    std::string received;
    std::thread reader;
    TapSink sink;
};

// How many threads of this process are inside write(2) on `fd`, by /proc/self/task/*/syscall
// (nullopt where that cannot be read).
std::optional<int> threads_writing(int fd) {
    DIR* const tasks = ::opendir("/proc/self/task");
    if (!tasks) return std::nullopt;
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "%ld 0x%x ", static_cast<long>(SYS_write),
                  static_cast<unsigned>(fd));
    std::optional<int> writing;
    while (dirent const* task = ::readdir(tasks)) {
        if (task->d_name[0] == '.') continue;
        std::ifstream file(std::string("/proc/self/task/") + task->d_name + "/syscall");
        std::string line;
        if (!std::getline(file, line)) continue;
        writing = writing.value_or(0) + (line.rfind(prefix, 0) == 0 ? 1 : 0);
    }
    ::closedir(tasks);
    return writing;
}

// Waits up to 10 s for `count` threads inside write(2) on `fd`; what it saw last.
std::optional<int> wait_for_writers(int fd, int count) {
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::optional<int> writing;
    while ((writing = threads_writing(fd)) && *writing < count &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return writing;
}

std::vector<std::string> lines_of(std::string const& text) {
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; start < text.size(); start = end + 1) {
        end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
    }
    return lines;
}

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
        CAPTURE(burst);
        REQUIRE(out.eventually(expected) == expected);
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

TEST_CASE("a crash while the flusher's write is stuck on a full pipe writes those lines again") {
    // The reader stops reading once the pipe is full, and comes back only when the crash's own
    // write waits too: the flusher is stuck in its write meanwhile, holding the writes' lock,
    // which the crash cannot take (it waits 100 ms for it).
    SinkToLatePipe out(true);
    // Every write carries this reading: the first is written at once, every later one waits for
    // the flusher, however slow the machine (with a later reading, a line could be written at once,
    // by the test thread, into the full pipe).
    auto const before = TapSink::Clock::now();
    std::string const fill(static_cast<std::size_t>(out.capacity) - 1, 'p');
    out.sink.write(fill + "\n", before);  // fits the empty pipe exactly
    std::string const taken = "ok 2 - taken by the flusher\nok 3 - taken by the flusher\n";
    out.sink.write(taken, before);
    auto const stuck = wait_for_writers(out.write_end, 1);
    if (!stuck) SKIP("no /proc/self/task/*/syscall here to see a write wait");
    REQUIRE(*stuck == 1);  // the flusher took ok 2 and 3, and its write waits for room in the pipe
    out.sink.write("ok 4 - waiting\n", before);
    std::thread release([&out] {
        wait_for_writers(out.write_end, 2);  // the crash writes what the flusher took, again
        out.start_reading(std::chrono::milliseconds(0));
    });
    out.sink.flush_after_crash();
    out.sink.write_after_crash("Bail out! SIGSEGV\n");
    release.join();
    auto const lines = lines_of(out.close());

    // Each line whole (a write of less than PIPE_BUF is one piece); the taken ones twice, by the
    // flusher and again by the crash (in a real crash the process ends before the flusher's write
    // can finish); and the crash's writes in their order.
    std::vector<std::string> const known{fill, "ok 2 - taken by the flusher", "ok 3 - taken by the flusher",
                                         "ok 4 - waiting", "Bail out! SIGSEGV"};
    for (auto const& line : lines) CHECK(std::find(known.begin(), known.end(), line) != known.end());
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front() == fill);
    auto at = lines.begin();
    for (auto const& line : {known[1], known[2], known[3], known[4]}) {
        at = std::find(at, lines.end(), line);
        CAPTURE(line);
        REQUIRE(at != lines.end());
    }
    CHECK(std::count(lines.begin(), lines.end(), known[1]) == 2);
    CHECK(std::count(lines.begin(), lines.end(), known[2]) == 2);
    CHECK(std::count(lines.begin(), lines.end(), known[3]) == 1);
}

TEST_CASE("after stop(), a burst starts the flusher again") {
    SinkToFile out;
    // Every write carries this reading: ok 1 is written at once, ok 2 and 3 wait (a later reading
    // could find the latency past, on a slow machine, and write them at once).
    auto const before = TapSink::Clock::now();
    out.sink.write("ok 1 - written at once\n", before);
    out.sink.write("ok 2 - waits\n", before);
    out.sink.stop();  // writes ok 2, if the flusher did not, and ends the flusher
    CHECK(out.bytes() == "ok 1 - written at once\nok 2 - waits\n");
    out.sink.write("ok 3 - waits for a new flusher\n", before);
    // Nothing more from the test thread: only a flusher started again writes it.
    std::string const expected = "ok 1 - written at once\nok 2 - waits\nok 3 - waits for a new flusher\n";
    CHECK(out.eventually(expected) == expected);
}
