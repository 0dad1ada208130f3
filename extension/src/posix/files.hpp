#pragma once
// Files and file descriptors: every read-all and write-all loop of shardtap is here.
//
//     auto text = read_file("node-3.tap");         // throws FileReadError
//     auto added = read_file("node-3.tap", seen);  // the bytes from offset `seen` on
//     write_file_atomically("durations.json", text);  // throws FileWriteError
//     DirectoryLock lock("durations.json");           // one process at a time, until it ends

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace shardtap {

// A file that cannot be opened or read; what() is 'cannot read "PATH": REASON'.
class FileReadError : public std::runtime_error {
public:
    FileReadError(std::string path, std::string reason);
    std::string const& path() const { return m_path; }
    std::string const& reason() const { return m_reason; }  // the system's words, e.g. "Permission denied"

private:
    std::string m_path;
    std::string m_reason;
};

// A file that cannot be written; what() is the problem, without the path ("cannot write: ...").
class FileWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The bytes of the file at `path` from byte `offset` to its end: empty when the file is not
// longer than `offset`.
std::string read_file(std::string const& path, std::size_t offset = 0);

// Writes all of `bytes` to `fd`, going on after short writes and EINTR. false on an error, with
// errno set. Async-signal-safe.
bool write_all(int fd, std::string_view bytes) noexcept;

// Writes `bytes` to `path` atomically: to a temporary file in the same directory, synced, then
// renamed over `path`, so a reader (or a crash) never sees a half-written file. Throws
// FileWriteError, leaving `path` as it was and no temporary file behind.
void write_file_atomically(std::string const& path, std::string_view bytes);

// Holds an exclusive lock on the directory that holds `path` (flock(2), released by the
// destructor), so that processes which read, change and replace files there take turns. No lock
// file is left behind. Throws FileWriteError when the directory cannot be opened.
class DirectoryLock {
public:
    explicit DirectoryLock(std::string const& path);
    ~DirectoryLock();
    DirectoryLock(DirectoryLock const&) = delete;
    DirectoryLock& operator=(DirectoryLock const&) = delete;

private:
    int m_descriptor;
};

// Checks that write_file_atomically could create a file beside `path`, without touching `path`.
// Throws FileWriteError naming the problem (a missing directory, no permission).
void check_writable_beside(std::string const& path);

}  // namespace shardtap
