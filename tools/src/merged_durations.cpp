#include "merged_durations.hpp"

#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace shardtap::tools {

ExitStatus update_durations(std::string const& path, std::vector<std::string> const& node_files) {
    std::vector<Durations> recorded;
    Durations earlier;
    try {
        for (auto const& file : node_files) {
            if (!std::filesystem::exists(file)) {
                // A node that crashed wrote none; the merge's verification already fails it.
                fmt::print(stderr,
                           "shardtap: warning: no durations file '{}': the node recorded none (did "
                           "it crash?); its test cases keep their earlier durations\n",
                           file);
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
