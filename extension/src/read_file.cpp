#include <shardtap/read_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace shardtap {

FileReadError::FileReadError(std::string path, std::string reason)
    : std::runtime_error(fmt::format("cannot read '{}': {}", path, reason)),
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

}  // namespace shardtap
