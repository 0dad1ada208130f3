#include "verify/merge_command.hpp"

#include "cli/exit_status.hpp"
#include "outputs/html_report.hpp"
#include "outputs/merged_durations.hpp"
#include "outputs/merged_outputs.hpp"
#include "outputs/output_file.hpp"
#include "outputs/rerun_file.hpp"
#include "verify/merge.hpp"
#include "verify/summary.hpp"

#include "posix/files.hpp"

#include <fmt/format.h>

#include <cerrno>

namespace shardtap::tools {

int finish_merge(std::vector<NodeStream> const& streams, OutputOptions const& outputs,
                 std::optional<double> wall_seconds) {
    auto const merge = verify_merge(streams);
    fmt::print("{}", format_summary(merge, wall_seconds));
    std::fflush(stdout);
    fmt::print(stderr, "{}", format_problems(merge));
    if (merge.has(Problem::Kind::malformed)) {
        fmt::print(stderr, "shardtap: a node stream must be TAP: does the command write it on "
                           "stdout (a Catch2 binary with -r tap-stream)?\n");
    }

    bool written = true;
    if (outputs.merged_tap) written &= write_file(*outputs.merged_tap, merged_tap(streams, merge), "merged TAP stream");
    if (outputs.junit) written &= write_file(*outputs.junit, junit_xml(streams, merge), "JUnit XML");
    if (outputs.html) written &= write_file(*outputs.html, html_report(streams, merge, wall_seconds), "HTML report");
    if (outputs.failed) {
        auto const rerun = rerun_file(streams);
        for (auto const& warning : rerun.warnings) fmt::print(stderr, "shardtap: warning: {}\n", warning);
        written &= write_file(*outputs.failed, rerun.text, "failed test cases");
    }
    auto durations = exit_ok;
    if (outputs.durations) durations = update_durations(*outputs.durations, outputs.node_durations, streams);

    if (merge.has(Problem::Kind::malformed)) return exit_bad_input;
    if (!merge.problems.empty()) return exit_verification;
    if (durations != exit_ok) return durations;
    if (!written) return exit_cannot_create;
    return merge.failed > 0 ? exit_tests_failed : exit_ok;
}

int merge_command(MergeOptions const& options) {
    std::vector<NodeStream> streams;
    bool unreadable = false;
    for (auto const& path : options.files) {
        try {
            streams.push_back(read_node_stream(path, read_file(path)));
        } catch (FileReadError const& error) {
            fmt::print(stderr, "shardtap: merge: {}\n", error.what());
            unreadable = true;
        }
    }
    if (unreadable) return exit_no_input;
    return finish_merge(streams, options.outputs, std::nullopt);
}

}  // namespace shardtap::tools
