// 100,000 trivial test cases, registered at start-up the way generated suites register them.
#include <catch2/catch_test_macros.hpp>

#include <string>
#include <vector>

namespace {
void trivial() { CHECK(true); }

const bool registered = [] {
    static std::vector<std::string> names;
    names.reserve(100000);
    for (int i = 0; i < 100000; ++i) names.push_back("trivial test " + std::to_string(i));
    for (auto const& name : names) {
        Catch::AutoReg(Catch::makeTestInvoker(&trivial), CATCH_INTERNAL_LINEINFO,
                       Catch::StringRef(), Catch::NameAndTags{name, "[bench]"});
    }
    return true;
}();
}  // namespace
