// Benchmark fixture: 100,000 trivial test cases, registered at run time in a loop the way
// generated suites are (100,000 TEST_CASE macros would only slow the compiler down).
#include <catch2/catch_test_macros.hpp>

#include <string>
#include <vector>

namespace {
constexpr int test_case_count = 100000;

void trivial() { CHECK(true); }

bool const registered = [] {
    static std::vector<std::string> names;  // Catch2 keeps references to the names
    names.reserve(test_case_count);
    for (int i = 0; i < test_case_count; ++i) names.push_back("trivial test case " + std::to_string(i));
    for (auto const& name : names) {
        Catch::AutoReg(Catch::makeTestInvoker(&trivial), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                       Catch::NameAndTags{name, "[generated]"});
    }
    return true;
}();
}  // namespace
