#include "outputs/merged_outputs.hpp"

#include "core/text/counted.hpp"
#include "core/tap/tap_encoder.hpp"
#include "verify/node_stream.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shardtap::tools {

std::string merged_tap(std::vector<NodeStream> const& nodes, MergeResult const& merge) {
    TapEncoder tap;
    std::string out;
    out += tap.version();
    out += tap.comment(fmt::format("shardtap merge of {} node streams", nodes.size()));
    if (merge.tests == 0 && merge.problems.empty()) {
        out += tap.skip_all("no node ran a test case");
        return out;
    }
    out += tap.plan(merge.tests);
    for (auto const* node : in_node_order(nodes)) {
        auto const name = node_name(*node);
        out += tap.comment(name ? fmt::format("{}: {}", *name, node->source) : node->source);
        for (auto const& point : node->stream.points) {
            // A block that is not in shardtap's own form is kept as its lines.
            TapDiagnostics foreign;
            if (!point.diagnostics && !point.diagnostic_lines.empty()) {
                foreign.message = fmt::format("{}", fmt::join(point.diagnostic_lines, "\n"));
            }
            TapDiagnostics const* diagnostics = point.diagnostics ? &*point.diagnostics : &foreign;
            out += tap.point({point.ok, point.description, point.directive, point.reason,
                              diagnostics->empty() ? nullptr : diagnostics, point.class_name,
                              point.tags, point.elapsed_ms});
        }
    }
    if (!merge.problems.empty()) {
        for (auto const& problem : merge.problems) out += tap.comment(problem.message);
        out += tap.bail_out("shardtap merge: " + counted(merge.problems.size(), "verification problem"));
    }
    return out;
}

}  // namespace shardtap::tools
