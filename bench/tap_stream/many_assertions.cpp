// Benchmark fixture: 20 test cases of 100,000 passing assertions each. Costly for a reporter
// that asks for every passing assertion (Catch2's -r tap); free for one that does not.
#include <catch2/catch_test_macros.hpp>

namespace {
constexpr int assertions_per_test_case = 100000;

void many_checks() {
    for (int i = 0; i < assertions_per_test_case; ++i) CHECK(i >= 0);
}
}  // namespace

TEST_CASE("assertions 01") { many_checks(); }
TEST_CASE("assertions 02") { many_checks(); }
TEST_CASE("assertions 03") { many_checks(); }
TEST_CASE("assertions 04") { many_checks(); }
TEST_CASE("assertions 05") { many_checks(); }
TEST_CASE("assertions 06") { many_checks(); }
TEST_CASE("assertions 07") { many_checks(); }
TEST_CASE("assertions 08") { many_checks(); }
TEST_CASE("assertions 09") { many_checks(); }
TEST_CASE("assertions 10") { many_checks(); }
TEST_CASE("assertions 11") { many_checks(); }
TEST_CASE("assertions 12") { many_checks(); }
TEST_CASE("assertions 13") { many_checks(); }
TEST_CASE("assertions 14") { many_checks(); }
TEST_CASE("assertions 15") { many_checks(); }
TEST_CASE("assertions 16") { many_checks(); }
TEST_CASE("assertions 17") { many_checks(); }
TEST_CASE("assertions 18") { many_checks(); }
TEST_CASE("assertions 19") { many_checks(); }
TEST_CASE("assertions 20") { many_checks(); }
