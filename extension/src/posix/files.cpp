#include "posix/files.hpp"

#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace shardtap {
namespace {

std::string system_error(int error) { return std::strerror(error); }

std::string directory_of(std::string const& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string file_name_of(std::string const& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A temporary file beside `path`, open for writing; its name is stored in `name`.
int create_temporary_beside(std::string const& path, std::string& name) {
    if (path.empty() || path.back() == '/') throw FileWriteError("not a file name");
    struct stat status;
    if (stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
        throw FileWriteError("cannot write: it is a directory");
    }
    name = fmt::format("{}/.{}.XXXXXX", directory_of(path), file_name_of(path));
    int descriptor = mkstemp(name.data());
    if (descriptor < 0) {
        throw FileWriteError(fmt::format("cannot write in directory {}: {}",
                                         in_quotes(directory_of(path)), system_error(errno)));
    }
    return descriptor;
}

}  // namespace

FileReadError::FileReadError(std::string path, std::string reason)
    : std::runtime_error(fmt::format("cannot read {}: {}", in_quotes(path), reason)),
      m_path(std::move(path)),
      m_reason(std::move(reason)) {}

std::string read_file(std::string const& path, std::size_t offset) {
    int const descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) throw FileReadError(path, std::strerror(errno));
    std::string text;
    char buffer[65536];
    for (;;) {
        auto const got = ::pread(descriptor, buffer, sizeof buffer, static_cast<off_t>(offset + text.size()));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int const error = errno;
            ::close(descriptor);
            throw FileReadError(path, std::strerror(error));
        }
        if (got == 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(descriptor);
    return text;
}

bool write_all(int fd, std::string_view bytes) noexcept {
    while (!bytes.empty()) {
        auto const written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

void write_file_atomically(std::string const& path, std::string_view bytes) {
    std::string temporary;
    int descriptor = create_temporary_beside(path, temporary);
    bool const written = write_all(descriptor, bytes) && ::fchmod(descriptor, 0644) == 0 &&
                         ::fsync(descriptor) == 0;
    int const write_error = errno;
    bool const closed = ::close(descriptor) == 0;
    if (!written || !closed) {
        ::unlink(temporary.c_str());
        throw FileWriteError("cannot write: " + system_error(written ? errno : write_error));
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        int const error = errno;
        ::unlink(temporary.c_str());
        throw FileWriteError("cannot replace it: " + system_error(error));
    }
}

void check_writable_beside(std::string const& path) {
    std::string temporary;
    int descriptor = create_temporary_beside(path, temporary);
    ::close(descriptor);
    ::unlink(temporary.c_str());
}

DirectoryLock::DirectoryLock(std::string const& path)
    : m_descriptor(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (m_descriptor < 0) {
        throw FileWriteError(fmt::format("cannot open directory {}: {}", in_quotes(directory_of(path)),
                                         system_error(errno)));
    }
    while (::flock(m_descriptor, LOCK_EX) != 0 && errno == EINTR) {
    }
}

DirectoryLock::~DirectoryLock() { ::close(m_descriptor); }

}  // namespace shardtap
