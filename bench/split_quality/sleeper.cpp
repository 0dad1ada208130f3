// Test cases that sleep known times: one per entry of the durations file named by
// SPLIT_QUALITY_SLEEPS, each sleeping its seconds. Registered in name order, which is then
// Catch2's declaration order.
#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/interfaces/catch_interfaces_capture.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

shardtap::Durations const& sleeps() {
    static shardtap::Durations const loaded = [] {
        char const* path = std::getenv("SPLIT_QUALITY_SLEEPS");
        if (!path) return shardtap::Durations{};
        try {
            return shardtap::read_durations(path);
        } catch (shardtap::DurationsError const& error) {
            std::fprintf(stderr, "%s\n", error.what());
            std::exit(1);
        }
    }();
    return loaded;
}

void sleep_as_recorded() {
    auto const seconds = sleeps().tests.at(Catch::getResultCapture().getCurrentTestName());
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    SUCCEED();
}

bool const registered = [] {
    for (auto const& entry : sleeps().tests) {
        Catch::AutoReg(Catch::makeTestInvoker(&sleep_as_recorded), CATCH_INTERNAL_LINEINFO,
                       Catch::StringRef(), Catch::NameAndTags{entry.first.name, ""});
    }
    return true;
}();

}  // namespace
