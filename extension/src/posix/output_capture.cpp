#include "posix/output_capture.hpp"

#include "posix/files.hpp"

#include <fcntl.h>
#if defined(__GLIBC__) || defined(__sun)
#include <stdio_ext.h>
#endif
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <typeinfo>
#if defined(__GLIBCXX__)
#include <ext/stdio_sync_filebuf.h>
#endif

namespace shardtap {
namespace {

// stdio's buffer, only when it holds something: after every test case, and most write nothing.
inline void flush_if_pending(std::FILE* file) {
#if defined(__GLIBC__) || defined(__sun)
    if (__fpending(file) == 0) return;  // no lock, no call into stdio
#endif
    std::fflush(file);
}

// Whether a stream's buffer holds nothing of its own: libstdc++'s buffer of a stream
// synchronized with stdio (the default) writes straight to stdio, whose flush follows.
bool stdio_synced(std::streambuf* buffer) {
#if defined(__GLIBCXX__)
    return buffer && typeid(*buffer) == typeid(__gnu_cxx::stdio_sync_filebuf<char>);
#else
    (void)buffer;
    return false;
#endif
}

// A stream's buffer, straight to its sync: an ostream's flush() builds a sentry first, which
// costs more than the rest together when there is nothing to flush. `synced`: a buffer known to
// be stdio's own, which is left alone.
inline void flush_buffer(std::streambuf* buffer, std::streambuf const* synced) {
    if (buffer && buffer != synced && !stdio_synced(buffer)) buffer->pubsync();
}

// Up to `size` bytes of `fd` from `offset`.
std::size_t read_at(int fd, std::size_t offset, char* into, std::size_t size) noexcept {
    for (;;) {
        ssize_t const n = ::pread(fd, into, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
}

// What a capture file holds at offset 0 until something is written there.
constexpr char sentinel[sizeof(std::uint64_t)] = {'\xff', '\0', 's', 'h', 'a', 'r', 'd', '\xfe'};
constexpr std::size_t page_size = 4096;

int temporary_file() {
#if defined(__linux__) && defined(MFD_CLOEXEC)
    int const memory = ::memfd_create("shardtap-capture", MFD_CLOEXEC);
    if (memory >= 0) return memory;
#endif
    std::FILE* file = std::tmpfile();
    if (!file) return -1;
    int const fd = ::fcntl(::fileno(file), F_DUPFD_CLOEXEC, 3);
    std::fclose(file);  // the file lives on behind fd: tmpfile unlinks it at creation
    return fd;
}

}  // namespace

std::size_t write_left_out_note(char* into, std::size_t left_out) noexcept {
    constexpr std::string_view open = "[", close = " bytes of output left out]\n";
    char* at = std::copy(open.begin(), open.end(), into);
    at = std::to_chars(at, into + left_out_note_size - close.size(), left_out).ptr;
    return static_cast<std::size_t>(std::copy(close.begin(), close.end(), at) - into);
}

std::string output_tail(std::string_view text, std::size_t limit) {
    return output_tail(text.size(), limit, [text](std::size_t offset, char* into, std::size_t count) {
        return text.copy(into, count, offset);
    });
}

bool OutputCapture::redirect(Redirect& r) {
    r.file = temporary_file();
    r.original = ::fcntl(r.fd, F_DUPFD_CLOEXEC, 3);
    if (r.file >= 0 && r.original >= 0 && ::dup2(r.file, r.fd) >= 0) {
        rearm(r);
        return true;
    }
    if (r.original >= 0) ::close(r.original);
    if (r.file >= 0) ::close(r.file);
    r.file = r.original = -1;
    return false;
}

void OutputCapture::rearm(Redirect& r) {
    ::lseek(r.file, 0, SEEK_SET);
    if (::ftruncate(r.file, static_cast<off_t>(page_size)) != 0) return;  // lseek every time
    if (!r.page) {
        void* map = ::mmap(nullptr, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, r.file, 0);
        if (map == MAP_FAILED) return;
        r.page = static_cast<char*>(map);
    }
    std::memcpy(r.page, sentinel, sizeof sentinel);
}

inline bool OutputCapture::written(Redirect const& r) {
    if (!r.page) return ::lseek(r.file, 0, SEEK_CUR) > 0;
    std::uint64_t now, armed;  // one comparison, no call
    std::memcpy(&now, r.page, sizeof now);
    std::memcpy(&armed, sentinel, sizeof armed);
    return now != armed;
}

void OutputCapture::flush_standard_streams() const {
    flush_buffer(std::cout.rdbuf(), m_stdio_cout);
    flush_buffer(std::clog.rdbuf(), m_stdio_clog);  // std::cerr flushes after every write
    flush_if_pending(stdout);
    flush_if_pending(stderr);
}

bool OutputCapture::start() {
    if (active()) return true;
    m_stdio_cout = stdio_synced(std::cout.rdbuf()) ? std::cout.rdbuf() : nullptr;
    m_stdio_clog = stdio_synced(std::clog.rdbuf()) ? std::clog.rdbuf() : nullptr;
    flush_standard_streams();
    if (!redirect(m_out)) return false;
    if (!redirect(m_err)) {
        restore(m_out);
        return false;
    }
    // With a buffer of its own: glibc ignores a mode change without one once stdout was used.
    static char line_buffer[BUFSIZ];
    std::setvbuf(stdout, line_buffer, _IOLBF, sizeof line_buffer);
    return true;
}

void OutputCapture::drop() {
    if (!active()) return;
    flush_standard_streams();
    if (written(m_out)) rearm(m_out);
    if (written(m_err)) rearm(m_err);
}

std::string OutputCapture::take(Redirect& r, std::size_t limit) {
    off_t const size = ::lseek(r.file, 0, SEEK_CUR);  // where the writes got to
    if (size <= 0) return {};
    auto text = output_tail(static_cast<std::size_t>(size), limit,
                            [&r](std::size_t offset, char* into, std::size_t count) {
                                return read_at(r.file, offset, into, count);
                            });
    rearm(r);
    return text;
}

std::size_t OutputCapture::peek(int fd, std::size_t limit, char* into) const noexcept {
    Redirect const& r = fd == 1 ? m_out : m_err;
    if (r.file < 0 || !written(r)) return 0;
    off_t const end = ::lseek(r.file, 0, SEEK_CUR);
    if (end <= 0) return 0;
    auto const total = static_cast<std::size_t>(end);
    std::size_t const kept = total > limit ? limit : total;
    std::size_t const note = kept < total ? write_left_out_note(into, total - kept) : 0;
    std::size_t done = 0;
    while (done < kept) {
        std::size_t const n = read_at(r.file, total - kept + done, into + note + done, kept - done);
        if (n == 0) break;
        done += n;
    }
    return note + done;
}

OutputCapture::Output OutputCapture::take(std::size_t limit) {
    if (!active()) return {};
    flush_standard_streams();
    bool const out = written(m_out), err = written(m_err);
    if (!out && !err) return {};  // most test cases
    return {out ? take(m_out, limit) : std::string(), err ? take(m_err, limit) : std::string()};
}

void OutputCapture::forward(Redirect& r, int to) noexcept {
    off_t const size = ::lseek(r.file, 0, SEEK_CUR);
    char buffer[4096];
    for (off_t at = 0; at < size;) {  // the file is longer (its sentinel page): up to size only
        std::size_t const n = read_at(r.file, static_cast<std::size_t>(at), buffer,
                                      std::min(sizeof buffer, static_cast<std::size_t>(size - at)));
        if (n == 0 || !write_all(to, {buffer, n})) break;
        at += static_cast<off_t>(n);
    }
}

void OutputCapture::restore(Redirect& r) noexcept {
    if (r.file < 0) return;
    if (r.page) ::munmap(r.page, page_size);
    r.page = nullptr;
    ::dup2(r.original, r.fd);
    ::close(r.original);
    ::close(r.file);
    r.file = r.original = -1;
}

void OutputCapture::forget_parent() noexcept {
    m_out = Redirect{1};
    m_err = Redirect{2};
}

void OutputCapture::stop(bool flush_stdio) noexcept {
    if (!active()) return;
    if (flush_stdio) {
        std::fflush(stdout);
        std::fflush(stderr);
    }
    // Left over: written outside any test case, or by a test that crashed. The real stderr
    // gets it, never the TAP stream on stdout.
    forward(m_out, m_err.original);
    forward(m_err, m_err.original);
    restore(m_out);
    restore(m_err);
}

}  // namespace shardtap
