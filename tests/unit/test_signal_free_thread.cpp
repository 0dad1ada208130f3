#include "posix/signal_free_thread.hpp"

#include <catch2/catch_test_macros.hpp>

#include <signal.h>

using namespace shardtap;

namespace {

bool blocked(int signal_number) {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, signal_number) == 1;
}

}  // namespace

TEST_CASE("a signal-free thread blocks every signal; its starter's mask stays as it was") {
    REQUIRE_FALSE(blocked(SIGTERM));
    bool term = false, segv = false;
    start_signal_free_thread([&] {
        term = blocked(SIGTERM);
        segv = blocked(SIGSEGV);
    }).join();
    CHECK(term);
    CHECK(segv);
    CHECK_FALSE(blocked(SIGTERM));
    CHECK_FALSE(blocked(SIGSEGV));
}
