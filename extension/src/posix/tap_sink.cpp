#include "posix/tap_sink.hpp"

#include "posix/files.hpp"

#include <pthread.h>
#include <signal.h>
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
    // The flusher thread does not exist here, and the lock and the condition variable may be in
    // the middle of its use: fresh ones over them, without the destructors (joining a thread of
    // another process, or destroying a condition variable with a waiter, would hang).
    new (&m_mutex) std::mutex;
    new (&m_wake) std::condition_variable;
    new (&m_thread) std::thread;
    m_length = 0;
    m_inert = true;
}

void TapSink::use_descriptor(int fd) {
    if (m_inert) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_fd = fd;
}

void TapSink::emit(char const* data, std::size_t size) noexcept {
    if (m_inert) return;
    if (m_fd < 0) {
        m_stream->write(data, static_cast<std::streamsize>(size));
        m_stream->flush();
        return;
    }
    write_all(m_fd, {data, size});
}

void TapSink::emit_buffer() noexcept {
    if (m_length == 0) return;
    emit(m_buffer, m_length);
    m_length = 0;
}

void TapSink::write(std::string_view lines, Clock::time_point now) {
    if (m_inert) return;
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_crashed) return;
    if (now - m_last_write >= latency || m_length + lines.size() > sizeof m_buffer) {
        emit_buffer();
        emit(lines.data(), lines.size());
        m_last_write = now;
        return;
    }
    bool const was_empty = m_length == 0;
    std::memcpy(m_buffer + m_length, lines.data(), lines.size());
    m_length += lines.size();
    if (!was_empty) return;
    m_first_waiting = now;
    if (m_thread.joinable()) {
        lock.unlock();
        m_wake.notify_one();
        return;
    }
    // The first burst: start the flusher, with every signal blocked so that signals keep
    // going to the thread running the tests (Catch2's handlers and crash_guard's expect that).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    m_stopping = false;
    try {
        m_thread = std::thread([this] { flusher(); });
    } catch (std::system_error const&) {  // no thread to be had: write at once, as before
        emit_buffer();
        m_last_write = now;
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void TapSink::flusher() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stopping) {
        if (m_length == 0) {
            m_wake.wait(lock, [this] { return m_stopping || m_length > 0; });
            continue;
        }
        auto const due = m_first_waiting + latency;
        if (Clock::now() < due) {
            m_wake.wait_until(lock, due, [this] { return m_stopping; });
            continue;
        }
        if (m_crashed) return;
        emit_buffer();
        m_last_write = Clock::now();
    }
}

void TapSink::stop() {
    if (m_inert) return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
        if (!m_crashed) emit_buffer();
        m_last_write = Clock::now();
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void TapSink::flush_after_crash() noexcept {
    if (m_inert) return;
    // The lock may be held by the flusher thread in the middle of a write (wait for it), or by
    // this very thread, interrupted inside write() (then waiting is in vain).
    bool locked = false;
    timespec const millisecond{0, 1000000};
    for (int attempt = 0; attempt < 100 && !(locked = m_mutex.try_lock()); ++attempt) {
        nanosleep(&millisecond, nullptr);
    }
    m_crashed = true;  // the flusher writes no more; the process is about to end
    emit_buffer();
    if (locked) m_mutex.unlock();
}

void TapSink::write_after_crash(std::string_view text) noexcept { emit(text.data(), text.size()); }

}  // namespace shardtap
