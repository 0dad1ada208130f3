#pragma once
// What shardtap's HTML pages share: one self-contained document (inline style and SVG, no
// script, nothing fetched from anywhere), times as people read them, and the geometry of a
// time axis. Pure. Text from the streams goes into markup only through markup_text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardtap::tools {

// The whole document: `title` is text (escaped here), `body` is markup.
std::string html_document(std::string_view title, std::string_view body);

// "12.3 ms", "5.02 s", "125 s".
std::string seconds_text(double seconds);

// Where a value lands along one direction of a drawing: `min` at `start`, `max` at
// `start + length` (SVG units; a negative length runs upwards, as a vertical axis does).
// Values beyond are held at the ends.
struct Scale {
    double start = 0;
    double length = 0;
    double max = 1;
    double min = 0;

    double at(double value) const;
};

// A round step (1, 2 or 5 times a power of ten) that divides 0..max into at most `at_most`
// parts, and the ticks 0, step, 2 step, ... up to max.
double tick_step(double max, std::size_t at_most);
std::vector<double> ticks(double max, std::size_t at_most);
// `max` rounded up to a whole number of such steps: the top of a value axis.
double rounded_up(double max, std::size_t at_most);
// A tick's label: "0", "250 ms", "1.5 s"; in ms when the step is below a second.
std::string tick_text(double seconds, double step);

// A grid of seconds for a horizontal scale: each tick's label at `label_y`, its line from
// `top` to `bottom`.
std::string svg_time_grid(Scale const& x, double label_y, double top, double bottom);
// The same for a vertical scale, with at most value_axis_ticks ticks: each tick's line from
// `left` to `right`, its label ending at `label_x`.
inline constexpr std::size_t value_axis_ticks = 6;
std::string svg_value_grid(Scale const& y, double left, double right, double label_x);

// [x, x + width) of a drawn segment from `from` to `to`, with a one-unit gap at its end when it
// is wide enough to spare one, so that neighbours stay apart.
struct Span {
    double x = 0;
    double width = 0;
};
Span segment_span(double from, double to);

}  // namespace shardtap::tools
