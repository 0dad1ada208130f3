// Six test cases that record each execution of theirs as a file in $CTEST_CONSUMER_RECORD,
// named "<target>.<test case>.<pid>.<n>": what ran is read from there, never from ctest's
// summary. The test case named in $CTEST_CONSUMER_SLOW sleeps 5 s first (ctest's timeout).
#include <catch2/catch_test_macros.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace {
void record(std::string const& name) {
    static int executions = 0;
    char const* slow = std::getenv("CTEST_CONSUMER_SLOW");
    if (slow != nullptr && name == slow) std::this_thread::sleep_for(std::chrono::seconds(5));
    char const* directory = std::getenv("CTEST_CONSUMER_RECORD");
    if (directory == nullptr) return;
    std::ofstream(std::string(directory) + "/" + RECORD_AS + "." + name + "." +
                  std::to_string(getpid()) + "." + std::to_string(executions++));
}
}  // namespace

TEST_CASE("a") { record("a"); CHECK(true); }
TEST_CASE("b") { record("b"); CHECK(true); }
TEST_CASE("c") { record("c"); CHECK(true); }
TEST_CASE("d") { record("d"); CHECK(true); }
TEST_CASE("e") { record("e"); CHECK(true); }
TEST_CASE("f") { record("f"); CHECK(true); }
