#pragma once
// Live progress of running nodes, read from their TAP files as they grow.

#include "verify/tally.hpp"

#include "core/tap/tap_reader.hpp"

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap::tools {

// What a node's stream shows so far.
struct NodeProgress {
    std::size_t finished = 0;            // test points written
    std::size_t failed = 0;
    std::optional<std::size_t> planned;  // once the plan line is out
};

// Counts a node's stream as it grows: each piece of new complete lines is read once, with the
// project's TAP reader (TapStreamReader: what comes after a line it rejects is not counted),
// so following a stream costs its length, not its length times the number of looks. Pure.
class ProgressReader {
public:
    void read(std::string_view new_complete_lines);
    NodeProgress const& progress() const { return m_progress; }

private:
    TapStreamReader m_reader;
    Tally m_counted;  // the points read so far
    NodeProgress m_progress;
};

// "12/20 tests finished, 1 failed, 7 of 12 nodes running, 3.4 s". Pure.
std::string format_progress(std::vector<NodeProgress> const& nodes, std::size_t running,
                            double elapsed_seconds);

// Follows one node's file: reads what was appended since the last look.
class GrowingFile {
public:
    explicit GrowingFile(std::string path) : m_path(std::move(path)) {}
    // True when complete lines were added since the last call; new_lines() holds them.
    bool refresh();
    std::string_view new_lines() const { return m_new_lines; }

private:
    std::string m_path;
    std::size_t m_read = 0;   // bytes of the file read so far
    std::string m_partial;    // the last line read, until its newline arrives
    std::string m_new_lines;
};

// Shows progress on a stream: on a terminal one line redrawn in place; otherwise a plain line
// whenever something changed, at most one a second, so logs stay short.
class ProgressDisplay {
public:
    ProgressDisplay(std::FILE* out, bool terminal) : m_out(out), m_terminal(terminal) {}
    void show(std::string const& line, double elapsed_seconds);
    void finish(std::string const& line);
    // A line of its own, between progress lines.
    void note(std::string const& line);

private:
    std::FILE* m_out;
    bool m_terminal;
    std::string m_last;
    double m_last_printed = -1;
};

}  // namespace shardtap::tools
