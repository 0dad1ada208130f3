// libFuzzer target: arbitrary bytes as test names, reasons, messages, expressions and captured
// output go through TapEncoder, and read_tap must give back exactly what was encoded: the same
// number of test points, the same descriptions, directives, classes, times, diagnostics and
// header.
//
// With SHARDTAP_FUZZ_STREAMS=DIR set, every stream is also written to DIR as
// <run>-<points>.tap, for check_fuzz_tap_stream.py to hand to tap-parser --strict.
#include "core/tap/tap_encoder.hpp"
#include "core/tap/tap_reader.hpp"
#include "fuzz_require.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

using namespace shardtap;

namespace {

std::string text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(64); }

TapFailure failure(FuzzedDataProvider& in) {
    TapFailure f;
    f.kind = text(in);
    f.file = text(in);
    f.line = in.ConsumeIntegral<std::uint32_t>();
    f.macro = text(in);
    f.expression = text(in);
    f.expansion = text(in);
    f.message = text(in);
    for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) f.messages.push_back(text(in));
    for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) f.sections.push_back(text(in));
    return f;
}

// What the encoder writes for f, read back: an empty kind is written as "failure".
TapFailure as_written(TapFailure f) {
    if (f.kind.empty()) f.kind = "failure";
    return f;
}

struct Point {
    bool ok;
    std::string description;
    TapDirective directive;
    std::string reason;
    TapDiagnostics diagnostics;
    std::string class_name;
    std::string tags;
    std::optional<double> elapsed_ms;
};

// What the reader gives back as p's diagnostics: behind a directive, the point's time is the
// block's duration_ms.
TapDiagnostics diagnostics_as_written(Point const& p) {
    TapDiagnostics d = p.diagnostics;
    for (auto& f : d.failures) f = as_written(f);
    if (p.directive != TapDirective::none && p.elapsed_ms) d.duration_ms = p.elapsed_ms;
    return d;
}

void dump(std::string const& stream, std::size_t points) {
    static char const* directory = std::getenv("SHARDTAP_FUZZ_STREAMS");
    static unsigned run = 0;
    if (!directory) return;
    std::string const path = std::string(directory) + "/" + std::to_string(::getpid()) + "-" +
                             std::to_string(run++) + "-" + std::to_string(points) + ".tap";
    std::ofstream(path, std::ios::binary) << stream;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    auto const style = in.ConsumeBool() ? DiagnosticsStyle::comments : DiagnosticsStyle::yaml;
    bool const plan_first = in.ConsumeBool();
    auto const count = in.ConsumeIntegralInRange<std::size_t>(0, 12);

    TapHeader header;
    if (in.ConsumeBool()) header.node_index = in.ConsumeIntegral<std::uint16_t>();
    if (in.ConsumeBool()) header.node_total = in.ConsumeIntegral<std::uint16_t>();
    header.provider = text(in);
    header.strategy = text(in);
    header.fingerprint = text(in);
    if (in.ConsumeBool()) header.other.emplace_back("extra_field", text(in));

    std::vector<Point> points(count);
    for (auto& p : points) {
        p.ok = in.ConsumeBool();
        p.description = text(in);
        p.directive = static_cast<TapDirective>(in.ConsumeIntegralInRange(0, 2));
        if (p.directive != TapDirective::none) p.reason = text(in);
        if (in.ConsumeBool()) {
            p.diagnostics.duration_ms = in.ConsumeIntegral<std::uint32_t>() / 1000.0;
            p.diagnostics.message = text(in);
            for (int n = in.ConsumeIntegralInRange(0, 2); n > 0; --n) {
                p.diagnostics.failures.push_back(failure(in));
            }
            p.diagnostics.stdout_text = text(in);
            p.diagnostics.stderr_text = text(in);
        }
        if (in.ConsumeBool()) p.class_name = text(in);
        if (in.ConsumeBool()) p.tags = text(in);
        if (in.ConsumeBool()) p.elapsed_ms = in.ConsumeIntegral<std::uint32_t>() / 1000.0;
    }
    std::string const skip_reason = text(in);

    TapEncoder tap(style);
    std::string stream(tap.version());
    if (plan_first) stream += count == 0 ? tap.skip_all(skip_reason) : tap.plan(count);
    stream += tap.header(header);
    for (auto const& p : points) {
        stream += tap.point({p.ok, p.description, p.directive, p.reason, &p.diagnostics,
                             p.class_name, p.tags, p.elapsed_ms});
    }
    if (!plan_first) stream += tap.final_plan();
    dump(stream, count);

    TapStream const read = read_tap(stream);  // an exception here is a finding too
    require(read.version == 14, "version");
    require(read.header == header, "header differs");
    require(read.plan && read.plan->count == count, "plan differs");
    require(count == 0 || read.plan->before_points == plan_first, "plan position differs");
    require(read.points.size() == count, "number of test points differs");
    require(!read.bail_out, "a Bail out! appeared");
    for (std::size_t i = 0; i < count; ++i) {
        auto const& want = points[i];
        auto const& got = read.points[i];
        require(got.number == i + 1, "numbering");
        require(got.ok == want.ok, "ok differs");
        require(got.description == want.description, "description differs");
        require(got.directive == want.directive, "directive differs");
        require(got.reason == want.reason, "reason differs");
        require(got.class_name == want.class_name, "class differs");
        require(got.tags == want.tags, "tags differ");
        auto const expected = diagnostics_as_written(want);
        require(got.elapsed_ms == (want.elapsed_ms ? want.elapsed_ms : expected.duration_ms),
                "time differs");
        if (expected.empty()) {
            require(got.diagnostic_lines.empty(), "diagnostics appeared");
            continue;
        }
        require(got.diagnostics.has_value(), "diagnostics not understood");
        require(*got.diagnostics == expected, "diagnostics differ");
    }
    for (std::size_t at = 0; (at = stream.find('\n', at)) != std::string::npos; ++at) {
        if (style == DiagnosticsStyle::comments && at + 1 < stream.size()) {
            require(stream[at + 1] != ' ' && stream[at + 1] != '\t', "comments style: indented line");
        }
    }
    return 0;
}
