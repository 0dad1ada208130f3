#include "run/progress.hpp"

#include "posix/files.hpp"

#include <fmt/format.h>

namespace shardtap::tools {

void ProgressReader::read(std::string_view new_complete_lines) {
    reader_.read(new_complete_lines);
    auto const& stream = reader_.stream();
    for (std::size_t i = counted_.tests; i < stream.points.size(); ++i) counted_.add(stream.points[i]);
    progress_.finished = counted_.tests;
    progress_.failed = counted_.failed;
    if (stream.plan && stream.plan->before_points) progress_.planned = stream.plan->count;
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
        added = read_file(path_, read_);
    } catch (FileReadError const&) {
        return false;  // not there yet
    }
    read_ += added.size();
    partial_ += added;
    auto const newline = partial_.rfind('\n');
    if (newline == std::string::npos) return false;
    new_lines_.assign(partial_, 0, newline + 1);
    partial_.erase(0, newline + 1);
    return true;
}

void ProgressDisplay::show(std::string const& line, double elapsed_seconds) {
    if (terminal_) {
        if (line == last_) return;
        last_ = line;
        fmt::print(out_, "\r{}\x1b[K", line);
        std::fflush(out_);
        return;
    }
    // The line ends with the elapsed time; compare what comes before it.
    auto const what = line.substr(0, line.rfind(", "));
    if (what == last_ || (last_printed_ >= 0 && elapsed_seconds - last_printed_ < 1.0)) return;
    last_ = what;
    last_printed_ = elapsed_seconds;
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
}

void ProgressDisplay::note(std::string const& line) {
    fmt::print(out_, terminal_ ? "\r{}\x1b[K\n" : "{}\n", line);
    std::fflush(out_);
    last_.clear();  // the progress line is shown again
}

void ProgressDisplay::finish(std::string const& line) {
    fmt::print(out_, terminal_ ? "\r{}\x1b[K\n" : "{}\n", line);
    std::fflush(out_);
}

}  // namespace shardtap::tools
