#include "posix/crash_guard.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <typeinfo>

namespace shardtap {
namespace {

struct Signal {
    int number;
    char const* description;
};

// Catch2's own wording, so a crash reads the same whoever catches it.
Signal const signals[] = {
    {SIGINT, "SIGINT - Terminal interrupt signal"},
    {SIGILL, "SIGILL - Illegal instruction signal"},
    {SIGFPE, "SIGFPE - Floating point error signal"},
    {SIGSEGV, "SIGSEGV - Segmentation violation signal"},
    {SIGBUS, "SIGBUS - Bus error signal"},
    {SIGTERM, "SIGTERM - Termination request signal"},
    {SIGABRT, "SIGABRT - Abort (abnormal termination) signal"},
};
constexpr int signal_count = sizeof(signals) / sizeof(signals[0]);

constexpr int max_watchers = 8;
CrashWatcher* watchers[max_watchers] = {};
int watcher_count = 0;
struct sigaction previous_actions[signal_count];
stack_t previous_stack;
alignas(16) char alternate_stack[64 * 1024];
std::terminate_handler previous_terminate = nullptr;

char reason_raw[1024];
volatile std::sig_atomic_t have_terminate_reason = 0;

void copy_truncated(char* to, std::size_t size, std::string const& from) {
    std::size_t const n = from.size() < size - 1 ? from.size() : size - 1;
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

void restore_handlers() noexcept {
    for (int i = 0; i < signal_count; ++i) sigaction(signals[i].number, &previous_actions[i], nullptr);
    sigaltstack(&previous_stack, nullptr);
}

void handle_signal(int number) {
    char const* description = "fatal signal";
    for (auto const& s : signals) {
        if (s.number == number) description = s.description;
    }
    if (number == SIGABRT && have_terminate_reason) description = reason_raw;
    for (int i = 0; i < watcher_count; ++i) watchers[i]->on_crash(description);
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(number, &fallback, nullptr);
    raise(number);  // delivered when this handler returns, with the default action
}

[[noreturn]] void handle_terminate() {
    std::string what = "std::terminate was called";
    if (auto const current = std::current_exception()) {
        try {
            std::rethrow_exception(current);
        } catch (std::exception const& e) {
            what = std::string("uncaught exception: ") + e.what();
        } catch (...) {
            what = "uncaught exception of a type not derived from std::exception";
        }
    }
    copy_truncated(reason_raw, sizeof reason_raw, what);
    have_terminate_reason = 1;
    std::abort();  // Catch2 reports SIGABRT inside a test body, handle_signal outside
}

void handle_exit() {
    CrashWatcher* watching[max_watchers];  // a copy: a watcher may stop watching
    int const count = watcher_count;
    for (int i = 0; i < count; ++i) watching[i] = watchers[i];
    for (int i = 0; i < count; ++i) watching[i]->on_exit();
}

void install() {
    static bool const exit_hook = std::atexit(handle_exit) == 0;  // once per process
    (void)exit_hook;
    stack_t stack{};
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    sigaltstack(&stack, &previous_stack);
    struct sigaction action {};
    action.sa_handler = handle_signal;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < signal_count; ++i) sigaction(signals[i].number, &action, &previous_actions[i]);
    previous_terminate = std::set_terminate(handle_terminate);
}

}  // namespace

void watch_crashes(CrashWatcher& watcher) {
    if (watcher_count == max_watchers) return;
    if (watcher_count == 0) install();
    watchers[watcher_count++] = &watcher;
}

void unwatch_crashes(CrashWatcher& watcher) {
    for (int i = 0; i < watcher_count; ++i) {
        if (watchers[i] != &watcher) continue;
        watchers[i] = watchers[--watcher_count];
        if (watcher_count == 0) {
            restore_handlers();
            std::set_terminate(previous_terminate);
        }
        return;
    }
}

void announce_timeout(char const* reason) noexcept {
    for (int i = 0; i < watcher_count; ++i) watchers[i]->on_timeout(reason);
}

std::atomic<bool> detail::timeouts_expected{false};

void expect_timeouts() noexcept { detail::timeouts_expected.store(true); }

void announce_bail_out(char const* reason) noexcept {
    for (int i = 0; i < watcher_count; ++i) watchers[i]->on_bail_out(reason);
}

char const* terminate_reason() { return have_terminate_reason ? reason_raw : nullptr; }

}  // namespace shardtap
