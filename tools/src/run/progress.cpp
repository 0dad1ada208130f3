#include "run/progress.hpp"

#include "posix/files.hpp"

#include <fmt/format.h>

namespace shardtap::tools {

void ProgressReader::read(std::string_view new_complete_lines) {
    m_reader.read(new_complete_lines);
    auto const& stream = m_reader.stream();
    for (std::size_t i = m_counted.tests; i < stream.points.size(); ++i) m_counted.add(stream.points[i]);
    m_progress.finished = m_counted.tests;
    m_progress.failed = m_counted.failed;
    if (stream.plan && stream.plan->before_points) m_progress.planned = stream.plan->count;
}

std::string format_progress(std::vector<NodeProgress> const& nodes, std::size_t running,
                            double elapsed_seconds) {
    std::size_t finished = 0, failed = 0, planned = 0;
    bool all_planned = true;
    for (auto const& node : nodes) {
        finished += node.finished;
        failed += node.failed;
        if (node.planned) {
            planned += *node.planned;
        } else {
            all_planned = false;
        }
    }
    auto const total = all_planned ? fmt::format("{}", planned) : std::string("?");
    return fmt::format("{}/{} tests finished, {} failed, {} of {} nodes running, {:.1f} s", finished,
                       total, failed, running, nodes.size(), elapsed_seconds);
}

bool GrowingFile::refresh() {
    std::string added;
    try {
        added = read_file(m_path, m_read);
    } catch (FileReadError const&) {
        return false;  // not there yet
    }
    m_read += added.size();
    m_partial += added;
    auto const newline = m_partial.rfind('\n');
    if (newline == std::string::npos) return false;
    m_new_lines.assign(m_partial, 0, newline + 1);
    m_partial.erase(0, newline + 1);
    return true;
}

void ProgressDisplay::show(std::string const& line, double elapsed_seconds) {
    if (m_terminal) {
        if (line == m_last) return;
        m_last = line;
        fmt::print(m_out, "\r{}\x1b[K", line);
        std::fflush(m_out);
        return;
    }
    // The line ends with the elapsed time; compare what comes before it.
    auto const what = line.substr(0, line.rfind(", "));
    if (what == m_last || (m_last_printed >= 0 && elapsed_seconds - m_last_printed < 1.0)) return;
    m_last = what;
    m_last_printed = elapsed_seconds;
    fmt::print(m_out, "{}\n", line);
    std::fflush(m_out);
}

void ProgressDisplay::note(std::string const& line) {
    fmt::print(m_out, m_terminal ? "\r{}\x1b[K\n" : "{}\n", line);
    std::fflush(m_out);
    m_last.clear();  // the progress line is shown again
}

void ProgressDisplay::finish(std::string const& line) {
    fmt::print(m_out, m_terminal ? "\r{}\x1b[K\n" : "{}\n", line);
    std::fflush(m_out);
}

}  // namespace shardtap::tools
