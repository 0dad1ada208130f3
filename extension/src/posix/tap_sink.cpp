#include "posix/tap_sink.hpp"

#include "posix/files.hpp"
#include "posix/signal_free_thread.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <new>
#include <system_error>

namespace shardtap {
namespace {

// Every live sink. The fork handlers hold the lock across fork(), so the child finds the list
// whole.
std::mutex live_mutex;
TapSink* live_sinks = nullptr;

// Whether `lock` was taken within about `milliseconds`; no allocation, for signal handlers.
template <typename Lock>
bool try_lock_within(Lock& lock, int milliseconds) noexcept {
    timespec const millisecond{0, 1000000};
    for (int waited = 0; !lock.try_lock(); ++waited) {
        if (waited == milliseconds) return false;
        nanosleep(&millisecond, nullptr);
    }
    return true;
}

}  // namespace

void TapSink::forget_parents_in_child() noexcept {
    for (TapSink* sink = live_sinks; sink; sink = sink->m_next_live) sink->forget_parent();
    live_mutex.unlock();
}

TapSink::TapSink(std::ostream& stream) : m_stream(&stream) {
    static bool const fork_handlers = ::pthread_atfork([] { live_mutex.lock(); },
                                                       [] { live_mutex.unlock(); },
                                                       forget_parents_in_child) == 0;
    (void)fork_handlers;
    std::lock_guard<std::mutex> lock(live_mutex);
    m_next_live = live_sinks;
    live_sinks = this;
}

TapSink::~TapSink() {
    stop();
    std::lock_guard<std::mutex> lock(live_mutex);
    for (TapSink** link = &live_sinks; *link; link = &(*link)->m_next_live) {
        if (*link == this) {
            *link = m_next_live;
            break;
        }
    }
}

void TapSink::forget_parent() noexcept {
    // The flusher thread does not exist here, and the locks and the condition variable may be
    // in the middle of its use: fresh ones over them, without the destructors (joining a thread
    // of another process, or destroying a condition variable with a waiter, would hang).
    new (&m_emit_mutex) std::mutex;
    new (&m_waiting_lock) SpinLock;
    new (&m_wake_mutex) std::mutex;
    new (&m_wake) std::condition_variable;
    new (&m_thread) std::thread;
    m_length = 0;
    m_writing_length = 0;
    m_inert = true;
}

void TapSink::use_descriptor(int fd) {
    if (m_inert) return;
    std::lock_guard<std::mutex> lock(m_emit_mutex);
    m_fd = fd;
}

void TapSink::emit(char const* data, std::size_t size) noexcept {
    if (m_inert || size == 0) return;
    if (m_fd < 0) {
        m_stream->write(data, static_cast<std::streamsize>(size));
        m_stream->flush();
        return;
    }
    write_all(m_fd, {data, size});
}

// The lines waiting become the buffer to write; returns their length. In this order, so that a
// crash interrupting it writes those lines (flush_after_crash): twice, in one instant, but never
// not at all.
std::size_t TapSink::take_waiting(Clock::time_point now, bool writes) noexcept {
    std::size_t const length = m_length;
    m_writing = m_waiting;
    m_writing_length = length;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    m_length = 0;
    m_waiting = 1 - m_waiting;
    if (writes || length > 0) m_last_write = now;
    return length;
}

void TapSink::write(std::string_view lines, Clock::time_point now) {
    if (m_inert) return;
    m_waiting_lock.lock();
    if (m_crashed || now - m_last_write >= latency || m_length + lines.size() > buffer_size) {
        m_waiting_lock.unlock();
        return write_now(now, lines);
    }
    bool const was_empty = m_length == 0;
    std::memcpy(m_buffers[m_waiting] + m_length, lines.data(), lines.size());
    m_length += lines.size();
    if (was_empty) m_first_waiting = now;
    m_waiting_lock.unlock();
    if (was_empty) wake_flusher(now);
}

// What waits, then `lines`, in order: no flusher writes in between (m_emit_mutex).
void TapSink::write_now(Clock::time_point now, std::string_view lines) {
    std::lock_guard<std::mutex> emitting(m_emit_mutex);
    if (m_crashed) return;
    m_waiting_lock.lock();
    std::size_t const length = take_waiting(now, !lines.empty());
    m_waiting_lock.unlock();
    emit(m_buffers[m_writing], length);
    m_writing_length = 0;
    emit(lines.data(), lines.size());
}

// Lines wait where none did: the flusher writes them `latency` from now. Only a flusher asleep
// with nothing to write needs waking: one waiting for older lines wakes before these are due
// (the sink itself wrote those older lines when they filled its buffer, as it does all through
// a long burst). Told under its mutex, so a flusher about to sleep cannot miss it.
void TapSink::wake_flusher(Clock::time_point now) {
    if (m_thread.joinable()) {
        std::lock_guard<std::mutex> lock(m_wake_mutex);
        if (m_flusher_idle) m_wake.notify_one();
        return;
    }
    // The first burst: start the flusher.
    m_stopping = false;
    try {
        m_thread = start_signal_free_thread([this] { flusher(); });
    } catch (std::system_error const&) {  // no thread to be had: write at once, as before
        write_now(now);
    }
}

void TapSink::flusher() {
    std::unique_lock<std::mutex> lock(m_wake_mutex);
    while (!m_stopping && !m_crashed) {
        m_waiting_lock.lock();
        bool const empty = m_length == 0;
        auto const due = m_first_waiting + latency;
        m_waiting_lock.unlock();
        if (empty) {
            m_flusher_idle = true;
            m_wake.wait(lock);
            m_flusher_idle = false;
        } else if (Clock::now() < due) {
            m_wake.wait_until(lock, due);
        } else {
            lock.unlock();
            write_now(Clock::now());
            lock.lock();
        }
    }
}

void TapSink::stop() {
    if (m_inert) return;
    {
        std::lock_guard<std::mutex> lock(m_wake_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
    write_now(Clock::now());
}

void TapSink::flush_after_crash() noexcept {
    if (m_inert) return;
    // Each lock may be held by the flusher thread, for a write or a moment (wait for it), or by
    // this very thread, interrupted inside write() (then waiting is in vain).
    bool const emitting = try_lock_within(m_emit_mutex, 100);
    m_crashed = true;  // the flusher writes no more; the process is about to end
    // A write in progress: its lines again, rather than lost.
    if (!emitting) emit(m_buffers[m_writing], m_writing_length);
    bool const waiting = try_lock_within(m_waiting_lock, 10);
    char const* const lines = m_buffers[m_waiting];
    std::size_t const length = m_length;
    m_length = 0;
    if (waiting) m_waiting_lock.unlock();
    emit(lines, length);
    if (emitting) m_emit_mutex.unlock();
}

void TapSink::write_after_crash(std::string_view text) noexcept { emit(text.data(), text.size()); }

}  // namespace shardtap
