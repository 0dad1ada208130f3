#pragma once
// Reading a file's bytes: durations files, node streams, and a node stream as it grows.
//
//     auto text = read_file("node-3.tap");         // throws FileReadError
//     auto added = read_file("node-3.tap", seen);  // the bytes from offset `seen` on

#include <cstddef>
#include <stdexcept>
#include <string>

namespace shardtap {

// A file that cannot be opened or read; what() is "cannot read 'PATH': REASON".
class FileReadError : public std::runtime_error {
public:
    FileReadError(std::string path, std::string reason);
    std::string const& path() const { return m_path; }
    std::string const& reason() const { return m_reason; }  // the system's words, e.g. "Permission denied"

private:
    std::string m_path;
    std::string m_reason;
};

// The bytes of the file at `path` from byte `offset` to its end: empty when the file is not
// longer than `offset`.
std::string read_file(std::string const& path, std::size_t offset = 0);

}  // namespace shardtap
