#pragma once
// Where the reporter's lines go, and when: every line is written within `latency` of being
// known. A line is written at once when the previous write is older than that, so a suite of
// slow tests gets each line immediately and stays single-threaded. When lines come faster
// (100,000 trivial test cases), they wait in a fixed buffer and a flusher thread, started at
// the first such burst, writes them `latency` after the first of them: a few writes instead of
// 100,000 system calls (each one also wakes the reader when stdout is a pipe), and a test that
// starts right after a burst and runs long does not hold the burst's lines back.
//
// Two buffers: lines wait in one while the other is written. Adding a line takes only a spin
// lock, held for a copy and never across a write or a wait; the writes themselves are ordered
// by a mutex of their own.
//
// A crash handler calls flush_after_crash(), then write_after_crash(): no allocation.
//
// In a child forked by a test case (fork() without exec) every sink is inert: it writes
// nothing, ever, since its stream, its flusher thread and the lines waiting are the parent's,
// which writes them itself. A fork handler makes it so; forget_parent() does the same by hand.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string_view>
#include <thread>

namespace shardtap {

class TapSink {
public:
    static constexpr std::chrono::milliseconds latency{20};

    explicit TapSink(std::ostream& stream);
    TapSink(TapSink const&) = delete;
    TapSink& operator=(TapSink const&) = delete;
    ~TapSink();

    // Write to this file descriptor instead of the stream (-1: back to the stream).
    void use_descriptor(int fd);

    using Clock = std::chrono::steady_clock;

    // `now`: the caller's reading of the clock, when it has one at hand.
    void write(std::string_view lines, Clock::time_point now = Clock::now());
    // Writes what waits, and ends the flusher thread; write() may start it again.
    void stop();

    // For signal handlers: the lock is taken if it can be within a short while (the flusher
    // may be writing), else the buffer is used as it stands.
    void flush_after_crash() noexcept;
    void write_after_crash(std::string_view text) noexcept;

    // In a forked child: drops the lines waiting and never writes again. Not thread-safe: for
    // the single thread a child starts with.
    void forget_parent() noexcept;
    bool inert() const noexcept { return m_inert; }

private:
    // Held for a few instructions at a time: a thread that finds it taken yields, it does not
    // sleep. try_lock() for signal handlers.
    class SpinLock {
    public:
        void lock() noexcept {
            while (m_taken.exchange(true, std::memory_order_acquire)) std::this_thread::yield();
        }
        bool try_lock() noexcept { return !m_taken.exchange(true, std::memory_order_acquire); }
        void unlock() noexcept { m_taken.store(false, std::memory_order_release); }

    private:
        std::atomic<bool> m_taken{false};
    };

    static constexpr std::size_t buffer_size = 64 * 1024;

    void write_now(Clock::time_point now, std::string_view lines = {});
    // With m_waiting_lock and m_emit_mutex held; `writes`: a line is written after them.
    std::size_t take_waiting(Clock::time_point now, bool writes) noexcept;
    void wake_flusher(Clock::time_point now);
    void emit(char const* data, std::size_t size) noexcept;  // with m_emit_mutex held, or crashing
    void flusher();
    static void forget_parents_in_child() noexcept;  // the fork handler, in the child

    std::ostream* m_stream;
    int m_fd = -1;
    std::mutex m_emit_mutex;  // held while writing to m_fd or m_stream
    bool m_inert = false;  // set only in a forked child, before it has other threads
    TapSink* m_next_live = nullptr;  // every live sink, for the fork handler
    std::atomic<bool> m_crashed{false};

    // The lines waiting: m_buffers[m_waiting], m_length bytes of it. The other buffer is the
    // one written last: m_writing, m_writing_length bytes while its write is in progress, which
    // a crash writes again.
    SpinLock m_waiting_lock;
    Clock::time_point m_last_write{};
    Clock::time_point m_first_waiting{};
    std::size_t m_length = 0;
    int m_waiting = 0;
    std::atomic<int> m_writing{1};
    std::atomic<std::size_t> m_writing_length{0};
    char m_buffers[2][buffer_size];

    // The flusher's sleep.
    std::mutex m_wake_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
    bool m_stopping = false;
    bool m_flusher_idle = false;  // asleep until lines wait (not until some are due)
};

}  // namespace shardtap
