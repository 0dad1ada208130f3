#include "posix/tap_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <exception>

#include <unistd.h>

namespace shardtap {
namespace {

// Marks the writer busy for one call of the test thread; the call does nothing when the stream
// has ended, which it checks after marking (a timeout takes the ending, then waits for busy).
// Marking must be seen before that check (sequentially consistent: a fence), and only where a
// timeout can come (a watchdog thread runs); unmarking only after the call's writes (release),
// which costs no fence.
class Busy {
public:
    explicit Busy(std::atomic<bool>& busy) : m_busy(busy) {
        if (timeouts_expected()) m_busy.store(true);
    }
    ~Busy() { m_busy.store(false, std::memory_order_release); }

private:
    std::atomic<bool>& m_busy;
};

// "first (second)" in `into`, cut to its size; no allocation.
std::string_view joined(char* into, std::size_t size, std::string_view first, std::string_view second) {
    std::size_t length = 0;
    for (std::string_view piece : {first, std::string_view(" ("), second, std::string_view(")")}) {
        std::size_t const n = std::min(piece.size(), size - length);
        std::memcpy(into + length, piece.data(), n);
        length += n;
    }
    return {into, length};
}

}  // namespace

TapWriter::TapWriter(std::ostream& fallback, Options options)
    : m_options(options), m_tap(options.style), m_sink(fallback) {}

TapWriter::~TapWriter() {
    if (in_forked_child()) {  // a child that returned from its test case into the test runner
        forget_parent();
        return;
    }
    end(Ending::completed);
    release();  // also after a crash or a timeout that the process survived (in the tests)
}

void TapWriter::start(TapOutput output, std::optional<std::size_t> plan, std::string_view skip_reason,
                      TapHeader const& header) {
    m_output = output;
    m_run_start = std::chrono::steady_clock::now();
    m_pid = ::getpid();
    m_crash.reserve(output_limit);
    m_crash_output.reset(new char[2 * (output_limit + left_out_note_size)]);
    int fd = output.fd;
    if (output.capture && m_capture.start()) fd = m_capture.original_stdout();
    m_sink.use_descriptor(fd);
    m_planned = plan;
    m_state = State::running;
    watch_crashes(*this);
    try {
        // The plan right after the version line, the header after it: tappy accepts a plan
        // only there or on the very last line. One write: the first is never held back.
        std::string lines(m_tap.version());
        if (plan && *plan > 0) {
            lines += m_tap.plan(*plan);
        } else if (plan) {
            lines += m_tap.skip_all(skip_reason);
        }
        lines += m_tap.header(header);
        write(lines);
    } catch (std::exception const& error) {
        bail_out(error.what());
    }
}

void TapWriter::comment(std::string_view text) {
    Busy busy(m_busy);
    write(m_tap.comment(text));
}

void TapWriter::test_starting(std::string_view description, std::string_view class_name,
                              std::string_view tags) {
    Busy busy(m_busy);
    if (m_state.load() != State::running) return;
    m_test_start = std::chrono::steady_clock::now();
    m_test_description = description;
    // Each reused: no allocation per test case. Empty for almost every test case
    // (tap_identity_lines): then there is nothing to change.
    if (!class_name.empty() || !m_test_class.empty()) m_test_class.assign(class_name);
    if (!tags.empty() || !m_test_tags.empty()) m_test_tags.assign(tags);
    m_failures.clear();
    // Views of the copies above, which last until the next test case.
    m_crash.prepare(m_options.style, m_tap.points_written() + 1, m_test_description, m_test_class,
                    m_test_tags);
    m_in_test = true;
}

void TapWriter::failure(TapFailure failure) {
    Busy busy(m_busy);
    if (m_state.load() != State::running || !m_in_test) return;
    m_crash.add_failure(failure);
    m_failures.push_back(std::move(failure));
}

void TapWriter::test_ended(TapOutcome const& outcome, std::string_view captured_out,
                           std::string_view captured_err) {
    Busy busy(m_busy);
    if (in_forked_child() || m_state.load() != State::running || !m_in_test) return;
    m_in_test = false;
    m_crash.clear();
    // The caller's time, when it gave one, saves a reading of the clock: then its end is
    // reckoned from the start, which is all the sink needs of it.
    auto const now = outcome.elapsed_ms
        ? m_test_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double, std::milli>(*outcome.elapsed_ms))
        : std::chrono::steady_clock::now();
    double const milliseconds = outcome.elapsed_ms ? *outcome.elapsed_ms : test_milliseconds(now);
    // Built whole, every field given: nothing to clear first (a 100-byte memset per test case).
    TapPointView point{outcome.ok, m_test_description, outcome.directive, outcome.reason,
                       nullptr,    m_test_class,       m_test_tags,       milliseconds};
    if (point.ok && !m_options.passing_output) {
        m_capture.drop();  // the next test starts clean
        return write_point(point, now);
    }
    auto output = m_capture.take(output_limit);
    TapDiagnostics diagnostics;
    if (m_failures.empty()) diagnostics.message = outcome.message;
    if (!point.ok) diagnostics.duration_ms = milliseconds;
    diagnostics.failures = std::move(m_failures);
    // Catch2's capture (stream in a file) or ours (on stdout): only one of each is set.
    diagnostics.stdout_text = output_tail(captured_out, output_limit) + output.out;
    diagnostics.stderr_text = output_tail(captured_err, output_limit) + output.err;
    point.diagnostics = &diagnostics;
    write_point(point, now);
}

void TapWriter::write_point(TapPointView const& point, std::chrono::steady_clock::time_point now) {
    try {
        write(m_tap.point(point), now);
    } catch (std::exception const& error) {  // e.g. a point beyond the plan
        bail_out(error.what());
    }
}

void TapWriter::not_started(TapPointView point) {
    Busy busy(m_busy);
    if (in_forked_child()) return;
    write_point(point);
}

void TapWriter::bail_out(std::string_view reason) noexcept {
    State running = State::running;
    if (!m_state.compare_exchange_strong(running, State::text_ended)) return;
    try {
        m_sink.write(m_tap.bail_out(reason));
    } catch (...) {  // no memory even for that: the short plan still tells a consumer
    }
}

void TapWriter::end(Ending ending, std::string_view reason) noexcept {
    switch (ending) {
        case Ending::completed: return end_completed();
        case Ending::bailed_out: return bail_out(reason);
        case Ending::exited:
        case Ending::crashed:
        case Ending::crashed_in_test_body:
        case Ending::timed_out: return end_abruptly(ending, reason);
    }
}

void TapWriter::end_completed() noexcept {
    if (in_forked_child()) {  // a child that returned from its test case into the test runner
        m_capture.forget_parent();
        return;
    }
    State state = State::running;
    if (m_state.compare_exchange_strong(state, State::text_ended)) write_last_lines();
    state = State::text_ended;
    if (m_state.compare_exchange_strong(state, State::finished)) release();
}

// The process ends right after: nothing is released, the file descriptors are put back.
void TapWriter::end_abruptly(Ending ending, std::string_view reason) noexcept {
    if (crashing_in_forked_child()) return;
    State state = m_state.load();
    if (state == State::finished || state == State::before_start ||
        !m_state.compare_exchange_strong(state, State::finished)) {
        return;
    }
    if (ending == Ending::exited) {  // ordinary context: the encoder may allocate
        m_sink.flush_after_crash();  // what waits; the flusher writes no more
        if (state == State::running) write_exit_point();
        m_capture.stop();  // what is written after this reaches the real stdout and stderr
        return;
    }
    if (state == State::running) write_crash(ending, reason);
    m_capture.stop(false);  // what the tests wrote goes to the real stderr
}

void TapWriter::write_last_lines() noexcept {
    try {
        TapHeader end;
        end.elapsed_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_run_start).count();
        std::string lines(m_tap.header(end));
        if (!m_tap.has_plan()) {
            lines += m_tap.final_plan();  // the very last line
        } else if (m_planned && m_tap.points_written() < *m_planned) {
            lines += m_tap.bail_out(fmt::format("the run ended after {} of the {} planned test cases",
                                                m_tap.points_written(), *m_planned));
        }
        m_sink.write(lines);
    } catch (std::exception const& error) {
        m_sink.write(m_tap.bail_out(error.what()));
    }
}

void TapWriter::release() noexcept {
    unwatch_crashes(*this);
    m_sink.stop();
    m_capture.stop();
    m_sink.use_descriptor(-1);
    if (m_output.close && m_output.fd >= 0) ::close(m_output.fd);
    m_output.fd = -1;
}

void TapWriter::write_exit_point() {
    try {
        std::string lines;
        if (m_in_test) {
            TapDiagnostics diagnostics;
            diagnostics.duration_ms = test_milliseconds();
            diagnostics.message = "exit() was called during the test case; the process ends with "
                                  "the status given to exit()";
            diagnostics.failures = std::move(m_failures);
            auto output = m_capture.take(output_limit);
            diagnostics.stdout_text = std::move(output.out);
            diagnostics.stderr_text = std::move(output.err);
            TapPointView point;
            point.ok = false;
            point.description = m_test_description;
            point.class_name = m_test_class;
            point.tags = m_test_tags;
            point.elapsed_ms = test_milliseconds();
            point.diagnostics = &diagnostics;
            lines = m_tap.point(point);
            lines += m_tap.bail_out("exit() called during test case " + std::string(m_test_description));
        } else {
            lines = m_tap.bail_out("exit() called between test cases");
        }
        m_sink.write_after_crash(lines);
    } catch (std::exception const& error) {  // e.g. a test point beyond the plan
        m_sink.write_after_crash(m_tap.bail_out(error.what()));
    }
}

// From here to the write: no allocation, no lock held for long, no stdio.
void TapWriter::write_crash(Ending ending, std::string_view reason) noexcept {
    if (ending == Ending::timed_out) {
        // The test thread may be inside a call that changes what is read below: let it finish.
        timespec const millisecond{0, 1000000};
        for (int waited = 0; waited < 2000 && m_busy.load(); ++waited) nanosleep(&millisecond, nullptr);
    }
    m_sink.flush_after_crash();
    char joined_reason[TapCrashLines::reason_limit];
    char const* terminated = terminate_reason();
    if (ending == Ending::crashed_in_test_body && terminated) {
        reason = joined(joined_reason, sizeof joined_reason, terminated, reason);
    }
    TapCrash crash;
    crash.reason = reason;
    crash.fatal_failure = ending == Ending::crashed_in_test_body;
    crash.name_in_bail_out = ending != Ending::timed_out;
    if (m_in_test) {
        // Catch2's crashes had their time before the writer took them over; crash_guard's
        // reports keep their shape.
        if (ending != Ending::crashed) crash.duration_ms = test_milliseconds();
        char* const out = m_crash_output.get();
        char* const err = out + output_limit + left_out_note_size;
        crash.stdout_text = {out, m_capture.peek(1, output_limit, out)};
        crash.stderr_text = {err, m_capture.peek(2, output_limit, err)};
    }
    m_sink.write_after_crash(m_crash.lines(crash));
}

bool TapWriter::crashing_in_forked_child() noexcept {
    if (in_forked_child()) return true;
    if (::getpid() == m_pid) return false;
    forget_parent();  // a child made without the fork handlers (a raw clone)
    return true;
}

void TapWriter::forget_parent() noexcept {
    m_sink.forget_parent();
    m_capture.forget_parent();
}

void TapWriter::on_crash(char const* reason) noexcept { end(Ending::crashed, reason); }
void TapWriter::on_exit() noexcept { end(Ending::exited); }
void TapWriter::on_timeout(char const* reason) noexcept { end(Ending::timed_out, reason); }
void TapWriter::on_bail_out(char const* reason) noexcept { end(Ending::bailed_out, reason); }

}  // namespace shardtap
