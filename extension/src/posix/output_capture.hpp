#pragma once
// Keeping the tests' own writes to stdout and stderr (printf, std::cout, child processes) out
// of a TAP stream that goes to stdout: while capturing, file descriptors 1 and 2 each point to
// a temporary file, and the stream is written to a duplicate of the original stdout.
//
// Most test cases write nothing, and asking the kernel after each one (lseek) costs more than
// the test itself on a suite of trivial tests. So each file starts as one page holding a
// sentinel, mapped into memory: a write lands at offset 0 over the sentinel, which take() sees
// without a system call.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace shardtap {

// What a failed test point keeps of one stream of its test's output, whoever captured it: all
// of it up to `limit` bytes; of more, the last `limit` bytes after a line saying how many were
// left out. The end, because that is where a failure's cause shows: the last thing written
// before a failed check or a crash.
// `read(offset, into, size)` copies up to `size` bytes from `offset` and returns how many.
constexpr std::size_t left_out_note_size = 64;
// Writes "[N bytes of output left out]\n" into `into` (left_out_note_size bytes); returns its
// length. Async-signal-safe.
std::size_t write_left_out_note(char* into, std::size_t left_out) noexcept;

template <typename Read>
std::string output_tail(std::size_t total, std::size_t limit, Read&& read) {
    std::size_t const kept = total > limit ? limit : total;
    std::string text(left_out_note_size, '\0');
    text.resize(kept < total ? write_left_out_note(&text[0], total - kept) : 0);
    std::size_t const head = text.size();
    text.resize(head + kept);
    std::size_t done = 0;
    while (done < kept) {
        std::size_t const n = read(total - kept + done, &text[head + done], kept - done);
        if (n == 0) break;
        done += n;
    }
    text.resize(head + done);
    return text;
}

std::string output_tail(std::string_view text, std::size_t limit);

class OutputCapture {
public:
    struct Output {
        std::string out, err;
    };

    OutputCapture() = default;
    OutputCapture(OutputCapture const&) = delete;
    OutputCapture& operator=(OutputCapture const&) = delete;
    ~OutputCapture() { stop(); }

    // false (and nothing changed) when the descriptors cannot be moved. Makes stdout line
    // buffered, as on a terminal: a crash, which cannot flush stdio, loses no whole line.
    bool start();
    bool active() const { return m_out.file >= 0; }

    // The original stdout, for the TAP stream; -1 when not capturing.
    int original_stdout() const { return m_out.original; }

    // Everything written since the last call, each stream cut by output_tail.
    Output take(std::size_t limit);
    // The same, forgotten: for a passing test, whose point carries no output.
    void drop();
    // The same for one stream (1 or 2), left in place, copied into `into`, which holds
    // limit + left_out_note_size bytes; returns the length. Without stdio's buffers: for a
    // crash handler (async-signal-safe) or another thread.
    std::size_t peek(int fd, std::size_t limit, char* into) const noexcept;

    // Puts fds 1 and 2 back and copies what was captured but not taken to the real stderr.
    // With flush_stdio false it is async-signal-safe, for a crash handler.
    void stop(bool flush_stdio = true) noexcept;

    // In a child forked by a test case: the files and the original descriptors are the
    // parent's. Forgets them, and leaves this process's fds 1 and 2 as they are.
    void forget_parent() noexcept;

private:
    struct Redirect {
        int fd;             // 1 or 2
        int file = -1;      // the capture file, now behind fd
        int original = -1;  // what fd was before
        char* page = nullptr;  // the file's first page, mapped; nullptr: ask lseek every time
    };
    static bool redirect(Redirect& r);
    static bool written(Redirect const& r);
    static void rearm(Redirect& r);
    static std::string take(Redirect& r, std::size_t limit);
    static void restore(Redirect& r) noexcept;
    static void forward(Redirect& r, int to) noexcept;
    void flush_standard_streams() const;

    Redirect m_out{1};
    Redirect m_err{2};
    // std::cout's and std::clog's buffers at start() when they were stdio's own (nothing to
    // sync): a test rarely swaps them, so the type check is made once, not after every test
    // case.
    std::streambuf const* m_stdio_cout = nullptr;
    std::streambuf const* m_stdio_clog = nullptr;
};

}  // namespace shardtap
