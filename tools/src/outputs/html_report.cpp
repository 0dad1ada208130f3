#include "outputs/html_report.hpp"

#include "outputs/html_page.hpp"
#include "outputs/report_text.hpp"
#include "verify/node_stream.hpp"
#include "verify/summary.hpp"
#include "verify/tally.hpp"

#include "core/text/counted.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace shardtap::tools {
namespace {

char const* css_class(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass: return "pass";
        case Outcome::fail: return "fail";
        case Outcome::skip: return "skip";
        case Outcome::todo: return "todo";
    }
    return "";
}

char const* outcome_word(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass: return "passed";
        case Outcome::fail: return "failed";
        case Outcome::skip: return "skipped";
        case Outcome::todo: return "todo";
    }
    return "";
}

// How long the point's test case took, when its stream says.
std::optional<double> point_seconds(TapPoint const& point) {
    if (point.elapsed_ms) return *point.elapsed_ms / 1000;
    return std::nullopt;
}

// The test case's name, and its class when it has one (names alone may be shared).
std::string test_name(TapPoint const& point) {
    if (point.class_name.empty()) return point.description;
    return fmt::format("{} ({})", point.description, point.class_name);
}

struct Segment {
    TapPoint const* point = nullptr;
    Outcome outcome = Outcome::pass;
    double start = 0;    // seconds after the node's first test case started
    double seconds = 0;
    bool timed = false;  // false: the stream does not say; `seconds` is a share of the rest
};

// One node's row of the timeline.
struct Lane {
    std::string source;  // the stream's file
    std::string node;    // "3", or "?" for a stream without a node header
    std::string label;  // "node 3"
    std::vector<Segment> segments;
    double seconds = 0;  // the node's elapsed time, or its segments' sum when that is longer
    std::optional<double> predicted;
    std::string trouble;  // why its stream is not a whole run; empty: it is
};

struct Timeline {
    std::vector<Lane> lanes;  // in node order
    std::size_t slowest = 0;
    double max_seconds = 1;
    std::optional<double> heaviest_predicted;
    bool predicted = false;  // some node has a predicted load
    bool estimated = false;  // some segment is not timed by its stream
};

// The points as segments one after another. Untimed points share equally what the node's
// elapsed time leaves, or get the timed ones' mean; with no time at all, equal widths.
std::vector<Segment> lay_out(std::vector<TapPoint> const& points, std::optional<double> elapsed) {
    double known = 0;
    std::size_t timed = 0;
    for (auto const& point : points) {
        if (auto seconds = point_seconds(point)) known += *seconds, ++timed;
    }
    std::size_t const untimed = points.size() - timed;
    double share = 1;
    if (untimed > 0 && elapsed && *elapsed > known) {
        share = (*elapsed - known) / static_cast<double>(untimed);
    } else if (timed > 0 && known > 0) {
        share = known / static_cast<double>(timed);
    }
    std::vector<Segment> segments;
    double start = 0;
    for (auto const& point : points) {
        auto const seconds = point_seconds(point);
        segments.push_back({&point, outcome_of(point), start, seconds.value_or(share), seconds.has_value()});
        start += segments.back().seconds;
    }
    return segments;
}

std::string trouble_of(NodeStream const& node) {
    if (node.state == StreamState::malformed) return "not TAP";
    if (node.exit && node.exit->signal != 0) return fmt::format("killed by signal {}", node.exit->signal);
    if (node.stream.bail_out) return "bailed out";
    if (node.state == StreamState::cut_short) return "cut short";
    return "";
}

Lane lane_of(NodeStream const& node, std::size_t position) {
    Lane lane;
    auto const& header = node.stream.header;
    lane.source = node.source;
    lane.node = header.node_index ? fmt::format("{}", *header.node_index) : "?";
    lane.label = node_name(node).value_or(fmt::format("stream {}", position + 1));
    lane.segments = lay_out(node.stream.points, header.elapsed_seconds);
    double const laid = lane.segments.empty() ? 0 : lane.segments.back().start + lane.segments.back().seconds;
    lane.seconds = std::max(laid, header.elapsed_seconds.value_or(0));
    lane.predicted = header.predicted_seconds;
    lane.trouble = trouble_of(node);
    return lane;
}

Timeline timeline_of(std::vector<NodeStream> const& nodes) {
    Timeline timeline;
    auto const ordered = in_node_order(nodes);
    double max_seconds = 0;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        auto lane = lane_of(*ordered[i], i);
        max_seconds = std::max({max_seconds, lane.seconds, lane.predicted.value_or(0)});
        timeline.predicted |= lane.predicted.has_value();
        for (auto const& segment : lane.segments) timeline.estimated |= !segment.timed;
        if (auto heaviest = ordered[i]->stream.header.heaviest_node_seconds) {
            timeline.heaviest_predicted = std::max(*heaviest, timeline.heaviest_predicted.value_or(0));
        }
        timeline.lanes.push_back(std::move(lane));
        if (timeline.lanes[i].seconds > timeline.lanes[timeline.slowest].seconds) timeline.slowest = i;
    }
    max_seconds = std::max(max_seconds, timeline.heaviest_predicted.value_or(0));
    timeline.max_seconds = max_seconds > 0 ? max_seconds : 1;
    return timeline;
}

// The timeline's drawing, in SVG units.
struct Frame {
    static constexpr double width = 960;
    static constexpr double bar_left = 92;
    static constexpr double time_column = 150;  // right of the bars: the node's time
    static constexpr double top = 30;           // tick labels above the rows
    static constexpr double row = 30;

    Scale axis() const { return {bar_left, width - bar_left - time_column, max_seconds}; }
    double row_y(std::size_t lane) const { return top + row * static_cast<double>(lane); }
    double height(std::size_t lanes) const { return row_y(lanes) + 6; }

    double max_seconds = 1;
    bool predicted = false;  // room under each bar for its predicted load
};

struct Bar {
    double y = 0;
    double height = 0;
};

Bar actual_bar(Frame const& frame, double row_y) {
    return frame.predicted ? Bar{row_y + 5, 16} : Bar{row_y + 6, 18};
}

Bar predicted_bar(double row_y) { return {row_y + 23.5, 4}; }

std::string svg_segment(Segment const& segment, bool alternate, Scale const& axis, Bar bar) {
    auto const span = segment_span(axis.at(segment.start), axis.at(segment.start + segment.seconds));
    auto const time = segment.timed ? seconds_text(segment.seconds) : std::string("time not recorded");
    return fmt::format(
        "<rect class=\"seg {}{}\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\">"
        "<title>{} · {} · {}</title></rect>",
        css_class(segment.outcome), alternate ? " alt" : "", span.x, bar.y, span.width, bar.height,
        markup_text(test_name(*segment.point)), time, outcome_word(segment.outcome));
}

std::string svg_lane(Lane const& lane, bool slowest, Frame const& frame, double y) {
    auto const axis = frame.axis();
    auto const bar = actual_bar(frame, y);
    double const text_y = y + frame.row / 2 + 4.5;
    char const* emphasis = slowest ? " slowest" : "";
    std::string out = fmt::format("<g class=\"node{}\" data-node=\"{}\">", emphasis, markup_text(lane.node));
    if (slowest) {
        out += fmt::format("<rect class=\"slowest-band\" x=\"0\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
                           y, Frame::width, frame.row);
    }
    out += fmt::format("<text class=\"node-label{}\" x=\"10\" y=\"{:.1f}\">{}</text>", emphasis, text_y,
                       markup_text(lane.label));
    out += fmt::format("<rect class=\"track\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\"/>",
                       axis.start, bar.y, axis.at(lane.seconds) - axis.start, bar.height);
    for (std::size_t i = 0; i < lane.segments.size(); ++i) {
        out += svg_segment(lane.segments[i], i % 2 == 1, axis, bar);
    }
    if (lane.predicted) {
        auto const predicted = predicted_bar(y);
        out += fmt::format(
            "<rect class=\"predicted\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\">"
            "<title>predicted load {}</title></rect>",
            axis.start, predicted.y, axis.at(*lane.predicted) - axis.start, predicted.height,
            seconds_text(*lane.predicted));
    }
    double const time_x = axis.start + axis.length + 10;
    out += fmt::format("<text class=\"node-time{}\" x=\"{:.1f}\" y=\"{:.1f}\">{}{}", emphasis, time_x, text_y,
                       seconds_text(lane.seconds), slowest ? " · slowest" : "");
    if (!lane.trouble.empty()) out += fmt::format(" <tspan class=\"trouble\">{}</tspan>", lane.trouble);
    return out + "</text></g>\n";
}

std::string svg_timeline(Timeline const& timeline) {
    Frame frame;
    frame.max_seconds = timeline.max_seconds;
    frame.predicted = timeline.predicted;
    double const height = frame.height(timeline.lanes.size());
    auto const axis = frame.axis();
    std::string out = fmt::format(
        "<svg viewBox=\"0 0 {} {:.0f}\" width=\"{}\" height=\"{:.0f}\" "
        "aria-label=\"test cases per node over time\">\n",
        Frame::width, height, Frame::width, height);
    out += svg_time_grid(axis, Frame::top - 12, Frame::top - 6, height - 4);
    bool const highlight = timeline.lanes.size() > 1;
    for (std::size_t i = 0; i < timeline.lanes.size(); ++i) {
        out += svg_lane(timeline.lanes[i], highlight && i == timeline.slowest, frame, frame.row_y(i));
    }
    if (timeline.heaviest_predicted) {
        double const x = axis.at(*timeline.heaviest_predicted);
        out += fmt::format(
            "<line class=\"heaviest\" x1=\"{0:.2f}\" y1=\"{1:.1f}\" x2=\"{0:.2f}\" y2=\"{2:.1f}\">"
            "<title>predicted heaviest node {3}</title></line>\n",
            x, Frame::top - 4, height - 2, seconds_text(*timeline.heaviest_predicted));
    }
    return out + "</svg>\n";
}

std::string legend(Timeline const& timeline) {
    std::string out = "<ul class=\"legend\"><li class=\"pass\">passed</li><li class=\"fail\">failed</li>"
                      "<li class=\"skip\">skipped</li><li class=\"todo\">todo</li>"
                      "<li class=\"track\">node time outside test cases</li>";
    if (timeline.lanes.size() > 1) out += "<li class=\"slowest\">slowest node</li>";
    if (timeline.predicted) out += "<li class=\"predicted\">predicted load</li>";
    if (timeline.heaviest_predicted) {
        out += fmt::format("<li class=\"heaviest\">predicted heaviest node, {}</li>",
                           seconds_text(*timeline.heaviest_predicted));
    }
    out += "</ul>\n";
    if (timeline.estimated) {
        out += "<p class=\"muted\">Some test cases' times are not in the streams: those share "
               "equally what their node's time leaves.</p>\n";
    }
    return out;
}

std::string verdict(MergeResult const& merge, std::optional<double> wall_seconds) {
    char const* kind = !merge.problems.empty() ? "unverified" : merge.failed > 0 ? "failed" : "passed";
    std::string headline;
    if (!merge.problems.empty()) {
        headline = fmt::format("Not verified: {} with the nodes' results", counted(merge.problems.size(), "problem"));
    } else if (merge.failed > 0) {
        headline = fmt::format("Verified, and {} failed", counted(merge.failed, "test case"));
    } else {
        headline = merge.skipped + merge.todo > 0 ? "Verified: no test case failed" : "Verified: every test case passed";
    }
    std::string out = fmt::format("<section id=\"verdict\" class=\"verdict {}\">\n<p class=\"headline\">{}</p>\n",
                                  kind, headline);
    if (merge.problems.empty()) {
        out += "<p>Each test case of the split ran exactly once, on nodes that agree on the split.</p>\n";
    } else {
        out += "<ul class=\"problems\">";
        for (auto const& problem : merge.problems) out += fmt::format("<li>{}</li>", markup_text(problem.message));
        out += "</ul>\n";
    }
    out += fmt::format("<p>{} on {}: {} passed, {} failed, {} skipped, {} todo.</p>\n",
                       counted(merge.tests, "test case"), counted(merge.nodes.size(), "node"), merge.passed,
                       merge.failed, merge.skipped, merge.todo);
    return out + fmt::format("<p class=\"muted\">{}</p>\n</section>\n",
                             markup_text(format_time_line(merge, wall_seconds)));
}

std::string node_row(NodeSummary const& node, Lane const* lane, bool slowest, bool predicted) {
    auto const index = node.index ? fmt::format("{}", *node.index) : std::string("?");
    std::string out = fmt::format("<tr{} data-node=\"{}\"><td>{}</td><td>{}</td><td>{}</td>",
                                  slowest ? " class=\"slowest\"" : "", index, index, node.tests, node.passed);
    out += fmt::format("<td{}>{}</td>", node.failed > 0 ? " class=\"bad\"" : "", node.failed);
    out += fmt::format("<td>{}</td><td>{}</td><td>{}</td>", node.skipped, node.todo,
                       node.seconds ? seconds_text(*node.seconds) : "–");
    if (predicted) {
        auto const guess = lane ? lane->predicted : std::nullopt;
        out += fmt::format("<td>{}</td>", guess ? seconds_text(*guess) : "–");
    }
    return out + fmt::format("<td class=\"name\">{}</td></tr>\n", markup_text(node.source));
}

std::string node_table(MergeResult const& merge, Timeline const& timeline) {
    std::map<std::string, Lane const*> lanes;  // by stream file
    for (auto const& lane : timeline.lanes) lanes.emplace(lane.source, &lane);
    std::string out = fmt::format(
        "<table id=\"node-counts\"><thead><tr><th>node</th><th>tests</th><th>passed</th><th>failed</th>"
        "<th>skipped</th><th>todo</th><th>time</th>{}<th class=\"name\">stream</th></tr></thead><tbody>\n",
        timeline.predicted ? "<th>predicted</th>" : "");
    for (auto const& node : merge.nodes) {
        auto const found = lanes.find(node.source);
        Lane const* lane = found == lanes.end() ? nullptr : found->second;
        bool const slowest = timeline.lanes.size() > 1 && lane == &timeline.lanes[timeline.slowest];
        out += node_row(node, lane, slowest, timeline.predicted);
    }
    return out + "</tbody></table>\n";
}

std::string failures(Timeline const& timeline) {
    std::string out;
    std::size_t count = 0;
    for (auto const& lane : timeline.lanes) {
        for (auto const& segment : lane.segments) {
            if (segment.outcome != Outcome::fail) continue;
            ++count;
            auto const text = failure_text(*segment.point);
            out += fmt::format("<article class=\"failure\">\n<h3>{}</h3>\n<p class=\"muted\">{}, test point {}{}</p>\n"
                               "<pre>{}</pre>\n</article>\n",
                               markup_text(test_name(*segment.point)), markup_text(lane.label),
                               segment.point->number, segment.timed ? ", " + seconds_text(segment.seconds) : "",
                               text.empty() ? "(no diagnostics)" : markup_text(text));
        }
    }
    auto const heading = fmt::format("<section id=\"failures\">\n<h2>Failures ({})</h2>\n", count);
    if (count == 0) return heading + "<p>No test case failed.</p>\n</section>\n";
    return heading + out + "</section>\n";
}

std::string slowest_tests(Timeline const& timeline) {
    constexpr std::size_t shown = 10;
    std::vector<std::pair<Segment const*, Lane const*>> timed;
    for (auto const& lane : timeline.lanes) {
        for (auto const& segment : lane.segments) {
            if (segment.timed) timed.emplace_back(&segment, &lane);
        }
    }
    auto const end = timed.begin() + static_cast<std::ptrdiff_t>(std::min(shown, timed.size()));
    std::partial_sort(timed.begin(), end, timed.end(), [](auto const& a, auto const& b) {
        return a.first->seconds > b.first->seconds;
    });
    std::string out = "<section id=\"slowest\">\n<h2>Slowest test cases</h2>\n";
    if (timed.empty()) return out + "<p class=\"muted\">The streams do not say how long each test case took.</p>\n</section>\n";
    out += "<table><thead><tr><th>time</th><th class=\"name\">test case</th><th>node</th><th>outcome</th></tr></thead><tbody>\n";
    for (auto it = timed.begin(); it != end; ++it) {
        out += fmt::format("<tr><td>{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td></tr>\n",
                           seconds_text(it->first->seconds), markup_text(test_name(*it->first->point)),
                           markup_text(it->second->node), outcome_word(it->first->outcome));
    }
    return out + "</tbody></table>\n</section>\n";
}

}  // namespace

std::string html_report(std::vector<NodeStream> const& nodes, MergeResult const& merge,
                        std::optional<double> wall_seconds) {
    auto const timeline = timeline_of(nodes);
    auto const title = fmt::format("shardtap: {} on {}", counted(merge.tests, "test case"),
                                   counted(merge.nodes.size(), "node"));
    std::string body = fmt::format("<h1>{}</h1>\n", markup_text(title));
    body += verdict(merge, wall_seconds);
    body += "<section id=\"timeline\">\n<h2>Nodes</h2>\n" + svg_timeline(timeline) + legend(timeline);
    body += node_table(merge, timeline) + "</section>\n";
    body += failures(timeline);
    body += slowest_tests(timeline);
    return html_document(title, body);
}

}  // namespace shardtap::tools
