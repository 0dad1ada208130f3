// Benchmark fixture: 100,000 trivial test cases, registered at run time in a loop the way
// generated suites are (100,000 TEST_CASE macros would only slow the compiler down).
#include <catch2/catch_test_macros.hpp>

#include <string>

namespace {
constexpr int test_case_count = 100000;

void trivial() { CHECK(true); }

bool const registered = [] {
    for (int i = 0; i < test_case_count; ++i) {  // Catch2 copies the name and tags
        auto const name = "trivial test case " + std::to_string(i);
        Catch::AutoReg(Catch::makeTestInvoker(&trivial), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                       Catch::NameAndTags{name, "[generated]"});
    }
    return true;
}();
}  // namespace
