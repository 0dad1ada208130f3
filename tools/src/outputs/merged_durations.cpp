#include "outputs/merged_durations.hpp"

#include "core/text/quoted.hpp"
#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace shardtap::tools {
namespace {

std::vector<Durations> durations_in_streams(std::vector<NodeStream> const& streams) {
    std::vector<Durations> recorded;
    for (auto const& node : streams) {
        recorded.push_back(durations_in_stream(node.stream));
        if (recorded.back().empty() && !node.stream.points.empty()) {
            fmt::print(stderr,
                       "shardtap: warning: the test points of {} carry no times (written by an "
                       "older shardtap?); its test cases keep their earlier durations\n",
                       in_quotes(node.source));
        }
    }
    return recorded;
}

}  // namespace

Durations durations_in_stream(TapStream const& stream) {
    Durations durations;
    for (auto const& point : stream.points) {
        if (!point.elapsed_ms || !(*point.elapsed_ms >= 0)) continue;  // also NaN
        // Microseconds, as the listener records them; within what a durations file holds.
        double const seconds = std::min(std::round(*point.elapsed_ms * 1e3) / 1e6, max_recorded_seconds);
        // A stream names a test case's class and tags only where its name is shared: a point
        // without them is known by its name alone, as a version 1 entry is.
        auto const identity = point.identity();
        if (identity.class_name.empty() && identity.tags.empty()) {
            auto [entry, added] = durations.names.emplace(identity.name, seconds);
            if (!added) entry->second = std::max(entry->second, seconds);
        } else {
            durations.record(TestIdentity(identity), seconds);
        }
    }
    return durations;
}

ExitStatus update_durations(std::string const& path, std::vector<std::string> const& node_files,
                            std::vector<NodeStream> const& streams) {
    std::vector<Durations> recorded;
    if (node_files.empty()) recorded = durations_in_streams(streams);
    Durations earlier;
    try {
        for (auto const& file : node_files) {
            if (!std::filesystem::exists(file)) {
                // A node that crashed wrote none; the merge's verification already fails it.
                fmt::print(stderr,
                           "shardtap: warning: no durations file {}: the node recorded none (did "
                           "it crash?); its test cases keep their earlier durations\n",
                           in_quotes(file));
                continue;
            }
            recorded.push_back(read_durations(file));
        }
        if (std::filesystem::exists(path)) earlier = read_durations(path);
    } catch (DurationsError const& error) {
        fmt::print(stderr, "{}\n", error.what());
        return exit_bad_input;
    }
    try {
        write_durations(path, merge_durations(recorded, earlier));
    } catch (DurationsError const& error) {
        fmt::print(stderr, "{}\n", error.what());
        return exit_cannot_create;
    }
    return exit_ok;
}

}  // namespace shardtap::tools
