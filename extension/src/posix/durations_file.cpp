#include "posix/durations_file.hpp"

#include "posix/files.hpp"

#include <unistd.h>

namespace shardtap {
Durations read_durations(std::string const& path) {
    std::string text;
    try {
        text = read_file(path);
    } catch (FileReadError const& error) {
        throw durations_file_error(path, "cannot read: " + error.reason());
    }
    return parse_durations(text, path);
}

void write_durations(std::string const& path, Durations const& durations) {
    try {
        write_file_atomically(path, format_durations(durations));
    } catch (FileWriteError const& error) {
        throw durations_file_error(path, error.what());
    }
}

void merge_into_durations_file(std::string const& path, Durations const& durations) {
    try {
        DirectoryLock const lock(path);
        auto const earlier = ::access(path.c_str(), F_OK) == 0 ? read_durations(path) : Durations{};
        write_durations(path, merge_durations({durations}, earlier));
    } catch (FileWriteError const& error) {
        throw durations_file_error(path, error.what());
    }
}

void check_durations_writable(std::string const& path) {
    try {
        check_writable_beside(path);
    } catch (FileWriteError const& error) {
        throw durations_file_error(path, error.what());
    }
}

}  // namespace shardtap
