#include "progress.hpp"

#include <shardtap/tap_reader.hpp>

#include <fmt/format.h>

#include <fstream>

namespace shardtap::tools {
namespace {

NodeProgress count(TapStream const& stream) {
    NodeProgress progress;
    progress.finished = stream.points.size();
    for (auto const& point : stream.points) progress.failed += point.failed() ? 1 : 0;
    if (stream.plan && stream.plan->before_points) progress.planned = stream.plan->count;
    return progress;
}

}  // namespace

NodeProgress read_progress(std::string_view text_so_far) {
    if (text_so_far.empty()) return {};
    try {
        return count(read_tap(text_so_far));
    } catch (TapReadError const& unfinished) {
        return count(unfinished.partial());
    }
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
    std::ifstream file(path_, std::ios::binary);
    if (!file) return false;
    file.seekg(static_cast<std::streamoff>(text_.size()));
    std::string added((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (added.empty()) return false;
    text_ += added;
    auto const newline = text_.rfind('\n');
    auto const complete = newline == std::string::npos ? 0 : newline + 1;
    bool const grew = complete != complete_;
    complete_ = complete;
    return grew;
}

std::string_view GrowingFile::complete_lines() const {
    return std::string_view(text_).substr(0, complete_);
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

void ProgressDisplay::finish(std::string const& line) {
    fmt::print(out_, terminal_ ? "\r{}\x1b[K\n" : "{}\n", line);
    std::fflush(out_);
}

}  // namespace shardtap::tools
