#include "wait_time_scale.hpp"

#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sample {

double parse_wait_time_scale(std::optional<std::string> const& value) {
    if (!value) return 1.0;
    auto const bad = [&](char const* why) {
        return BadScale("slow_tests: WAIT_TIME_SCALE=\"" + *value + "\" " + why +
                        "; expected a factor on the 5 s wait such as 0.1 (default 1)");
    };
    char const* text = value->c_str();
    if (text[0] == '-') throw bad("is negative");
    // strtod would skip leading spaces and accept "inf", "nan" and hex; none is a scale.
    if (value->empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.')) {
        throw bad("is not a number");
    }
    char* end = nullptr;
    errno = 0;
    double const scale = std::strtod(text, &end);
    if (end != text + value->size() || value->find_first_of("xXpP") != std::string::npos) {
        throw bad("is not a number");
    }
    if (errno == ERANGE || !std::isfinite(scale)) throw bad("is out of range");
    return scale;
}

double wait_time_scale() {
    char const* value = std::getenv("WAIT_TIME_SCALE");
    return parse_wait_time_scale(value ? std::optional<std::string>(value) : std::nullopt);
}

namespace {

// Checks WAIT_TIME_SCALE before the first test, so a typo stops the run (exit 1, one line on
// stderr) instead of failing 20 tests one by one.
class WaitTimeScaleCheck : public Catch::EventListenerBase {
public:
    using EventListenerBase::EventListenerBase;
    void testRunStarting(Catch::TestRunInfo const&) override {
        try {
            wait_time_scale();
        } catch (BadScale const& error) {
            std::fprintf(stderr, "%s\n", error.what());
            std::fflush(stderr);
            std::exit(1);
        }
    }
};

}  // namespace
}  // namespace sample

CATCH_REGISTER_LISTENER(sample::WaitTimeScaleCheck)
