#include "plan/plan_report.hpp"

#include "outputs/html_page.hpp"

#include "core/text/counted.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace shardtap::tools {
namespace {

// One chart, in SVG units: node counts along x, a value up y.
struct Chart {
    static constexpr double width = 960;
    static constexpr double height = 290;
    static constexpr double left = 72;
    static constexpr double right = 16;
    static constexpr double top = 14;
    static constexpr double bottom = 46;

    std::size_t nodes = 1;  // the most nodes planned
    double max_value = 1;  // the top of the value axis

    double step() const { return (width - left - right) / static_cast<double>(nodes); }
    // Node counts at the middle of their slots, so that bars fit on either side.
    Scale x() const {
        return {left + step() / 2, width - left - right - step(), static_cast<double>(nodes), 1};
    }
    Scale y() const { return {height - bottom, -(height - top - bottom), max_value}; }
};

using RowValue = std::function<double(PlanRow const&)>;

std::string svg_open(char const* label) {
    return fmt::format("<svg viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" aria-label=\"{2}\">\n",
                       Chart::width, Chart::height, label);
}

// The node counts along the bottom: 1 and every round step, and the axis' title.
std::string node_axis(Chart const& chart) {
    auto const x = chart.x();
    auto const step = static_cast<std::size_t>(std::max(1.0, tick_step(static_cast<double>(chart.nodes), 10)));
    double const y = Chart::height - Chart::bottom + 16;
    std::string out = "<g class=\"tick\">";
    for (std::size_t n = 1; n <= chart.nodes; n = (n == 1 && step > 1) ? step : n + step) {
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                           x.at(static_cast<double>(n)), y, n);
    }
    return out + fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">nodes</text></g>\n",
                             Chart::width / 2, Chart::height - 6);
}

std::string polyline(PlanTable const& table, Chart const& chart, RowValue const& value, char const* css) {
    std::string points;
    for (auto const& row : table.rows) {
        points += fmt::format("{:.1f},{:.1f} ", chart.x().at(static_cast<double>(row.nodes)), chart.y().at(value(row)));
    }
    return fmt::format("<polyline class=\"line {}\" points=\"{}\"/>\n", css, points);
}

std::string chosen_marker(PlanTable const& table, Chart const& chart, char const* text) {
    double const x = chart.x().at(static_cast<double>(table.chosen_nodes));
    return fmt::format(
        "<line class=\"chosen-line\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
        "<text class=\"chosen-text\" x=\"{3:.1f}\" y=\"{4:.1f}\">{5}</text>\n",
        x, Chart::top, Chart::height - Chart::bottom, x + 6, Chart::top + 12, text);
}

double largest(PlanTable const& table, RowValue const& value) {
    double most = 0;
    for (auto const& row : table.rows) most = std::max(most, value(row));
    return most > 0 ? rounded_up(most, value_axis_ticks) : 1;
}

std::string wall_time_chart(PlanTable const& table) {
    Chart chart{table.rows.size(), largest(table, [](PlanRow const& r) { return r.round_robin_seconds; })};
    std::string out = svg_open("predicted wall time by node count");
    out += svg_value_grid(chart.y(), Chart::left, Chart::width - Chart::right, Chart::left - 8) + node_axis(chart);
    out += polyline(table, chart, [](PlanRow const& r) { return r.lower_bound_seconds; }, "lower-bound");
    // Round-robin over the duration strategy: where they are equal, both stay visible.
    out += polyline(table, chart, [](PlanRow const& r) { return r.duration_seconds; }, "duration");
    out += polyline(table, chart, [](PlanRow const& r) { return r.round_robin_seconds; }, "round-robin");
    out += chosen_marker(table, chart, fmt::format("{} nodes", table.chosen_nodes).c_str());
    for (auto const& row : table.rows) {
        out += fmt::format(
            "<circle class=\"point{}\" data-nodes=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\">"
            "<title>{} nodes: {} (round-robin {}), {:.2f}x</title></circle>",
            row.nodes == table.chosen_nodes ? " chosen" : "", row.nodes,
            chart.x().at(static_cast<double>(row.nodes)), chart.y().at(row.duration_seconds),
            row.nodes == table.chosen_nodes ? 5.5 : 3.2, row.nodes, seconds_text(row.duration_seconds),
            seconds_text(row.round_robin_seconds), row.speedup);
    }
    return out + "\n</svg>\n<ul class=\"legend\"><li class=\"duration\">duration strategy</li>"
                 "<li class=\"round-robin\">round-robin</li><li class=\"lower-bound\">lower bound</li></ul>\n";
}

std::string billed_chart(PlanTable const& table) {
    Chart chart{table.rows.size(), largest(table, [](PlanRow const& r) { return r.billed_node_seconds; })};
    std::string out = svg_open("billed node-seconds by node count");
    out += svg_value_grid(chart.y(), Chart::left, Chart::width - Chart::right, Chart::left - 8) + node_axis(chart);
    double const bar = std::max(chart.step() * 0.7, 1.0);
    for (auto const& row : table.rows) {
        double const top = chart.y().at(row.billed_node_seconds);
        out += fmt::format(
            "<rect class=\"bar{}\" data-nodes=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\">"
            "<title>{} nodes: {} node-seconds billed</title></rect>",
            row.nodes == table.chosen_nodes ? " chosen" : "", row.nodes,
            chart.x().at(static_cast<double>(row.nodes)) - bar / 2, top, bar, Chart::height - Chart::bottom - top,
            row.nodes, fmt::format("{:.1f}", row.billed_node_seconds));
    }
    return out + "\n</svg>\n<ul class=\"legend\"><li class=\"bar\">every node billed for the "
                 "heaviest node's time (duration strategy)</li><li class=\"chosen\">the choice</li></ul>\n";
}

std::string plan_table(PlanTable const& table) {
    std::string out =
        "<table id=\"plan-rows\"><thead><tr><th>nodes</th><th>round-robin</th><th>duration</th>"
        "<th>lower bound</th><th>speedup</th><th>billed node-s</th></tr></thead><tbody>\n";
    for (auto const& row : table.rows) {
        out += fmt::format("<tr{} data-nodes=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2f}x</td>"
                           "<td>{:.1f}</td></tr>\n",
                           row.nodes == table.chosen_nodes ? " class=\"chosen\"" : "", row.nodes, row.nodes,
                           seconds_text(row.round_robin_seconds), seconds_text(row.duration_seconds),
                           seconds_text(row.lower_bound_seconds), row.speedup, row.billed_node_seconds);
    }
    return out + "</tbody></table>\n";
}

PlanRow const& chosen_row(PlanTable const& table) {
    return *std::find_if(table.rows.begin(), table.rows.end(),
                         [&](PlanRow const& row) { return row.nodes == table.chosen_nodes; });
}

}  // namespace

std::string plan_html(PlanTable const& table) {
    auto const& chosen = chosen_row(table);
    auto const title = fmt::format("shardtap plan: {} test cases on 1 to {} nodes", table.test_cases, table.rows.size());
    std::string body = fmt::format("<h1>{}</h1>\n", title);
    body += fmt::format(
        "<section id=\"verdict\" class=\"verdict passed\">\n<p class=\"headline\">Choose {}: {} wall time, "
        "{:.1f} node-seconds billed</p>\n<p>The fewest nodes within {:.0f}% of the best wall time ({}, duration "
        "strategy); {:.2f}x one node's time.</p>\n<p class=\"muted\">{} test cases, {} in all, the longest {}; "
        "every node adds {}.</p>\n</section>\n",
        counted(table.chosen_nodes, "node"), seconds_text(chosen.duration_seconds),
        chosen.billed_node_seconds, best_margin * 100, seconds_text(table.best_seconds), chosen.speedup,
        table.test_cases, seconds_text(table.total_seconds), seconds_text(table.longest_seconds),
        seconds_text(table.node_overhead_seconds));
    body += "<section id=\"wall-time\">\n<h2>Wall time: the heaviest node</h2>\n" + wall_time_chart(table) + "</section>\n";
    body += "<section id=\"billed\">\n<h2>Billed node-seconds</h2>\n" + billed_chart(table) + "</section>\n";
    body += "<section id=\"table\">\n<h2>Every node count</h2>\n" + plan_table(table) + "</section>\n";
    return html_document(title, body);
}

}  // namespace shardtap::tools
