// 24 test cases; in canonical (name) order every third one sleeps 0.4 s, the others 0.02 s, so
// round-robin over three nodes gives node 0 all eight slow ones.
#include <shardtap/parametrize.hpp>

#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

namespace {
std::vector<int> positions() {
    std::vector<int> all(24);
    std::iota(all.begin(), all.end(), 10);  // two digits each: name order is number order
    return all;
}
}  // namespace

SHARDTAP_PARAMETRIZE("skewed", "", int position, positions()) {
    double const seconds = position % 3 == 1 ? 0.4 : 0.02;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    CHECK(position > 0);
}
