// The article's slow-tests.py in C++:
//
//     @pytest.mark.parametrize("wait_time", [5] * 20)
//     def test_slow(wait_time):
//         time.sleep(wait_time)
//
// 20 test cases, test_slow[5-00] ... test_slow[5-19], each sleeping 5 s (times
// WAIT_TIME_SCALE). One node runs them in 100 s; 12 nodes, two tests at most each, in 10 s.
#include "wait_time_scale.hpp"

#include <shardtap/parametrize.hpp>

#include <catch2/catch_test_macros.hpp>

#include <chrono>
#include <thread>
#include <vector>

SHARDTAP_PARAMETRIZE("test_slow", "[slow]", double wait_time, std::vector<double>(20, 5.0)) {
    using Seconds = std::chrono::duration<double>;
    auto const wait = Seconds(wait_time * sample::wait_time_scale());
    auto const start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(wait);
    auto const slept = std::chrono::steady_clock::now() - start;
    REQUIRE(Seconds(slept).count() >= wait.count());
}
