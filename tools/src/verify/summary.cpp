#include "verify/summary.hpp"

#include "core/text/counted.hpp"

#include <fmt/format.h>

namespace shardtap::tools {
namespace {

std::string seconds_text(std::optional<double> seconds) {
    return seconds ? fmt::format("{:.2f}", *seconds) : std::string("-");
}

}  // namespace

std::string format_summary(MergeResult const& merge, std::optional<double> wall_seconds) {
    std::string out = fmt::format(
        "shardtap: {}, {} test cases: {} passed, {} failed, {} skipped, {} todo\n",
        counted(merge.nodes.size(), "node"), merge.tests, merge.passed,
        merge.failed, merge.skipped, merge.todo);
    out += fmt::format("{:>5} {:>7} {:>7} {:>7} {:>8} {:>5} {:>8}  {}\n", "node", "tests",
                       "passed", "failed", "skipped", "todo", "seconds", "stream");
    for (auto const& node : merge.nodes) {
        out += fmt::format("{:>5} {:>7} {:>7} {:>7} {:>8} {:>5} {:>8}  {}\n",
                           node.index ? fmt::format("{}", *node.index) : std::string("?"),
                           node.tests, node.passed, node.failed, node.skipped, node.todo,
                           seconds_text(node.seconds), node.source);
    }
    return out + format_time_line(merge, wall_seconds) + "\n";
}

std::string format_time_line(MergeResult const& merge, std::optional<double> wall_seconds) {
    std::string out;
    double const sum = merge.sum_of_seconds;
    if (wall_seconds) {
        out += fmt::format("wall time {:.2f} s for {:.2f} s of node time", *wall_seconds, sum);
        if (*wall_seconds > 0 && sum > 0) out += fmt::format(" ({:.1f}x)", sum / *wall_seconds);
    } else {
        out += fmt::format("longest node {:.2f} s, sum of the nodes' times {:.2f} s",
                           merge.longest_seconds, sum);
        if (merge.longest_seconds > 0) out += fmt::format(" ({:.1f}x)", sum / merge.longest_seconds);
    }
    return out;
}

std::string format_problems(MergeResult const& merge) {
    std::string out;
    for (auto const& problem : merge.problems) out += fmt::format("shardtap: {}\n", problem.message);
    return out;
}

}  // namespace shardtap::tools
