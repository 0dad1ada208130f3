#include "outputs/merged_outputs.hpp"

#include "outputs/report_text.hpp"
#include "verify/node_stream.hpp"
#include "verify/tally.hpp"

#include <fmt/format.h>

namespace shardtap::tools {

namespace {

std::string xml(std::string_view text) { return markup_text(text); }

std::string first_line(std::string const& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string junit_xml(std::vector<NodeStream> const& nodes, MergeResult const& merge) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuites name=\"shardtap\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
        merge.tests + (merge.problems.empty() ? 0 : 1), merge.failed, merge.problems.empty() ? 0 : 1,
        merge.skipped + merge.todo, merge.sum_of_seconds);
    for (auto const* node : in_node_order(nodes)) {
        auto const& header = node->stream.header;
        auto const counts = tally(node->stream.points);
        auto const name = node_name(*node).value_or(node->source);
        out += fmt::format(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3f}\">\n",
            xml(name), counts.tests, counts.failed, counts.skipped + counts.todo,
            header.elapsed_seconds.value_or(0));
        out += "    <properties>\n";
        out += fmt::format("      <property name=\"stream\" value=\"{}\"/>\n", xml(node->source));
        if (!header.fingerprint.empty()) {
            out += fmt::format("      <property name=\"fingerprint\" value=\"{}\"/>\n", xml(header.fingerprint));
        }
        out += "    </properties>\n";
        for (auto const& point : node->stream.points) {
            out += fmt::format("    <testcase name=\"{}\" classname=\"{}\"", xml(point.description), xml(name));
            if (point.elapsed_ms) {
                out += fmt::format(" time=\"{:.3f}\"", *point.elapsed_ms / 1000.0);
            }
            if (point.failed()) {
                auto const text = failure_text(point);
                out += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                                   xml(first_line(text)), xml(text));
            } else if (point.directive != TapDirective::none) {
                auto const kind = point.directive == TapDirective::skip ? "SKIP" : "TODO";
                out += fmt::format(">\n      <skipped message=\"{}{}{}\"/>\n    </testcase>\n", kind,
                                   point.reason.empty() ? "" : ": ", xml(point.reason));
            } else {
                out += "/>\n";
            }
        }
        out += "  </testsuite>\n";
    }
    if (!merge.problems.empty()) {
        std::string text;
        for (auto const& problem : merge.problems) text += problem.message + "\n";
        out += "  <testsuite name=\"shardtap merge\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n";
        out += fmt::format(
            "    <testcase name=\"the nodes make one whole run\" classname=\"shardtap merge\">\n"
            "      <error message=\"{}\">{}</error>\n    </testcase>\n",
            xml(first_line(text)), xml(text));
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}  // namespace shardtap::tools
