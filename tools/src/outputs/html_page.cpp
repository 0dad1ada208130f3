#include "outputs/html_page.hpp"

#include "outputs/report_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace shardtap::tools {
namespace {

// System fonts only: the page must not fetch anything.
constexpr char const* style = R"(
:root { --pass: #2e9e5b; --pass-alt: #5cbf82; --fail: #d93a3a; --skip: #e5a823; --todo: #8d6cc9;
        --track: #e3e6ea; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --slowest: #fff1c2;
        --plan: #2463b5; --plan-light: #a9c4e8; --rr: #e07b1a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 40px; color: var(--ink);
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 0 0 4px; overflow-wrap: anywhere; }
.verdict { border-radius: 8px; padding: 12px 16px; border: 1px solid; }
.verdict p { margin: 2px 0; }
.verdict .headline { font-size: 18px; font-weight: 650; }
.verdict.passed { background: #e8f6ed; border-color: #9fd8b3; }
.verdict.failed { background: #fdecec; border-color: #f0a9a9; }
.verdict.unverified { background: #fff4e0; border-color: #f0c36d; }
.verdict ul { margin: 6px 0 2px; padding-left: 22px; }
.muted { color: var(--muted); }
svg { display: block; width: 100%; height: auto; font-size: 12.5px; }
svg text { fill: var(--ink); }
svg .tick text { fill: var(--muted); }
svg .tick line { stroke: var(--line); stroke-width: 1; }
.track { fill: var(--track); }
.slowest-band { fill: var(--slowest); }
.seg.pass { fill: var(--pass); } .seg.pass.alt { fill: var(--pass-alt); }
.seg.fail { fill: var(--fail); } .seg.skip { fill: var(--skip); } .seg.todo { fill: var(--todo); }
.predicted { fill: none; stroke: #3b4350; stroke-width: 1.2; }
.heaviest { stroke: #3b4350; stroke-width: 1.2; stroke-dasharray: 5 4; }
.node-label.slowest, .node-time.slowest { font-weight: 700; }
.trouble { fill: var(--fail); font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; padding: 0;
          list-style: none; color: var(--muted); font-size: 13.5px; }
.legend li::before { content: ""; display: inline-block; width: 14px; height: 11px;
                     margin-right: 6px; vertical-align: -1px; border-radius: 2px;
                     background: var(--swatch); }
.legend .pass { --swatch: var(--pass); } .legend .fail { --swatch: var(--fail); }
.legend .skip { --swatch: var(--skip); } .legend .todo { --swatch: var(--todo); }
.legend .slowest { --swatch: var(--slowest); } .legend .track { --swatch: var(--track); }
.legend .predicted::before { background: none; border: 1.5px solid #3b4350; height: 6px; }
.legend .heaviest::before { background: none; border-top: 2px dashed #3b4350; height: 0;
                            vertical-align: 3px; border-radius: 0; }
table { border-collapse: collapse; font-size: 14px; margin-top: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { color: var(--muted); font-weight: 600; }
td.name, th.name { text-align: left; overflow-wrap: anywhere; }
tr.slowest td, tr.chosen td { background: var(--slowest); }
td.bad { color: var(--fail); font-weight: 700; }
.failure { border-left: 4px solid var(--fail); padding: 6px 0 6px 12px; margin: 12px 0; }
.failure p { margin: 0 0 6px; }
.line { fill: none; stroke-width: 2.2; stroke-linejoin: round; }
.line.duration { stroke: var(--plan); stroke-width: 4; } .line.round-robin { stroke: var(--rr); stroke-width: 1.6; }
.line.lower-bound { stroke: var(--muted); stroke-dasharray: 5 4; stroke-width: 1.6; }
.point { fill: var(--plan); } .point.chosen { fill: #fff; stroke: var(--plan); stroke-width: 3; }
.chosen-line { stroke: var(--ink); stroke-dasharray: 2 3; }
.chosen-text { font-weight: 700; }
.bar { fill: var(--plan-light); } .bar.chosen { fill: var(--plan); }
.legend .duration, .legend .chosen { --swatch: var(--plan); } .legend .round-robin { --swatch: var(--rr); }
.legend .lower-bound { --swatch: var(--muted); } .legend .bar { --swatch: var(--plan-light); }
pre { margin: 0; padding: 10px 12px; background: #f6f8fa; border-radius: 6px; overflow-x: auto;
      font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
)";

}  // namespace

std::string html_document(std::string_view title, std::string_view body) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"shardtap\">\n<title>{}</title>\n<style>{}</style>\n"
        "</head>\n<body>\n{}</body>\n</html>\n",
        markup_text(title), style, body);
}

std::string seconds_text(double seconds) {
    if (seconds >= 100) return fmt::format("{:.0f} s", seconds);
    if (seconds >= 10) return fmt::format("{:.1f} s", seconds);
    if (seconds >= 1) return fmt::format("{:.2f} s", seconds);
    double const ms = seconds * 1000;
    if (ms >= 100) return fmt::format("{:.0f} ms", ms);
    if (ms >= 10) return fmt::format("{:.1f} ms", ms);
    if (ms >= 0.01) return fmt::format("{:.2f} ms", ms);
    return seconds > 0 ? "< 0.01 ms" : "0 s";
}

double Scale::at(double value) const {
    return start + length * (max > min ? std::clamp((value - min) / (max - min), 0.0, 1.0) : 0.5);
}

double tick_step(double max, std::size_t at_most) {
    double const raw = max / static_cast<double>(std::max<std::size_t>(at_most, 1));
    if (!(raw > 0)) return 1;
    double const magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0}) {
        if (factor * magnitude >= raw * (1 - 1e-9)) return factor * magnitude;
    }
    return 10 * magnitude;
}

std::vector<double> ticks(double max, std::size_t at_most) {
    double const step = tick_step(max, at_most);
    std::vector<double> out;
    for (std::size_t i = 0; static_cast<double>(i) * step <= max * (1 + 1e-9); ++i) {
        out.push_back(static_cast<double>(i) * step);
    }
    return out;
}

double rounded_up(double max, std::size_t at_most) {
    double const step = tick_step(max, at_most);
    return std::ceil(max / step * (1 - 1e-9)) * step;
}

std::string tick_text(double seconds, double step) {
    if (seconds == 0) return "0";
    if (step >= 1) return fmt::format("{:g} s", seconds);
    return fmt::format("{:g} ms", seconds * 1000);
}

std::string svg_time_grid(Scale const& x, double label_y, double top, double bottom) {
    constexpr std::size_t at_most = 8;
    double const step = tick_step(x.max, at_most);
    std::string out = "<g class=\"tick\">";
    for (double tick : ticks(x.max, at_most)) {
        out += fmt::format(
            "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
            "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
            x.at(tick), top, bottom, label_y, tick_text(tick, step));
    }
    return out + "</g>\n";
}

std::string svg_value_grid(Scale const& y, double left, double right, double label_x) {
    double const step = tick_step(y.max, value_axis_ticks);
    std::string out = "<g class=\"tick\">";
    for (double tick : ticks(y.max, value_axis_ticks)) {
        out += fmt::format(
            "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\"/>"
            "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
            left, y.at(tick), right, label_x, y.at(tick) + 4, tick_text(tick, step));
    }
    return out + "</g>\n";
}

Span segment_span(double from, double to) {
    double const width = std::max(to - from, 0.0);
    constexpr double gap = 1;
    return {from, width > 3 * gap ? width - gap : width};
}

}  // namespace shardtap::tools
