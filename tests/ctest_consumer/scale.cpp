// 5,000 test cases, and a main that counts the processes started: one line a process in
// $CTEST_CONSUMER_STARTS, written before Catch2 reads its command line.
#include <catch2/catch_session.hpp>
#include <shardtap/parametrize.hpp>

#include <cstdlib>
#include <fstream>
#include <numeric>
#include <vector>

namespace {
std::vector<int> numbers(int count) {
    std::vector<int> all(static_cast<std::size_t>(count));
    std::iota(all.begin(), all.end(), 0);
    return all;
}
}  // namespace

SHARDTAP_PARAMETRIZE("case", "", int value, numbers(5000)) { CHECK(value >= 0); }

int main(int argc, char** argv) {
    if (char const* starts = std::getenv("CTEST_CONSUMER_STARTS")) {
        std::ofstream(starts, std::ios::app) << "started\n";
    }
    return Catch::Session().run(argc, argv);
}
