#include "core/identity/test_identity.hpp"

#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>

#include <map>
#include <random>
#include <vector>

using namespace shardtap;

TEST_CASE("identities order by name, then class, then tags, byte by byte") {
    std::vector<TestIdentityView> const sorted = {
        {"a", "", ""},      {"a", "", "[b]"},      {"a", "Fixture", ""}, {"a", "Fixture", "[a]"},
        {"a b", "", ""},    {"ab", "", ""},        {"b", "", "[a]"},     {"\xc3\xa9", "", ""}};
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        for (std::size_t j = 0; j < sorted.size(); ++j) {
            CAPTURE(i, j);
            CHECK((sorted[i] < sorted[j]) == (i < j));
            CHECK((sorted[i] == sorted[j]) == (i == j));
            CHECK((sorted[i] != sorted[j]) == (i != j));
        }
    }
}

TEST_CASE("an owning identity compares with views as the view of it does") {
    TestIdentity const owned{"same name", "Fixture", "[a]"};
    CHECK(owned == TestIdentityView{"same name", "Fixture", "[a]"});
    CHECK(owned < TestIdentityView{"same name", "Fixture", "[b]"});
    CHECK(TestIdentityView{"same name", "", "[a]"} < owned);
    CHECK(TestIdentity(TestIdentityView(owned)) == owned);
    std::map<TestIdentity, int, std::less<>> seconds = {{owned, 1}, {"same name", 2}};
    CHECK(seconds.find(TestIdentityView{"same name", "Fixture", "[a]"})->second == 1);
    CHECK(seconds.find(TestIdentityView{"same name", "", ""})->second == 2);
    CHECK(seconds.find(TestIdentityView{"same name", "", "[a]"}) == seconds.end());
}

TEST_CASE("two identities are equal exactly when Catch2 holds the test cases equal") {
    // Catch2 rejects two registered test cases that neither of its operator< orders: the
    // identity must tell apart every pair Catch2 does, and no more. The order agrees with
    // Catch2's wherever names or classes differ.
    auto const seed = GENERATE(range(1u, 11u));
    std::mt19937 rng(seed);
    std::vector<std::string> const names = {"a", "a b", "same name", "b"};
    std::vector<std::string> const classes = {"", "First", "Second"};
    std::vector<std::string> const tags = {"", "[a]", "[b]", "[a][b]", "[b][a]", "[.][x]", "[.x]", "[A]"};
    // TestCaseInfo keeps a view of its class name: pick from the vectors, which outlive it.
    auto pick = [&](std::vector<std::string> const& from) -> std::string const& {
        return from[rng() % from.size()];
    };
    std::vector<Catch::Detail::unique_ptr<Catch::TestCaseInfo>> infos;
    for (int i = 0; i < 40; ++i) {
        infos.push_back(Catch::makeTestCaseInfo(pick(classes), {pick(names), pick(tags)},
                                                CATCH_INTERNAL_LINEINFO));
    }
    auto identity = [](Catch::TestCaseInfo const& info) {
        return TestIdentity(info.name, std::string(info.className), info.tagsAsString());
    };
    for (auto const& a : infos) {
        for (auto const& b : infos) {
            bool const catch2_equal = !(*a < *b) && !(*b < *a);
            CAPTURE(seed, a->name, a->className, a->tagsAsString(), b->name, b->className,
                    b->tagsAsString());
            // Tags that differ only in case are equal to Catch2 and cannot both be registered.
            bool const case_only = catch2_equal && a->tagsAsString() != b->tagsAsString();
            if (!case_only) CHECK((identity(*a) == identity(*b)) == catch2_equal);
            if (a->name != b->name || a->className != b->className) {
                CHECK((identity(*a) < identity(*b)) == (*a < *b));
            }
        }
    }
}

TEST_CASE("a message names a test case by its name, and its class and tags where it has them") {
    CHECK(describe({"plain", "", ""}) == "\"plain\"");
    CHECK(describe({"same name", "Fixture", ""}) == "\"same name\" (class \"Fixture\")");
    CHECK(describe({"same name", "", "[a]"}) == "\"same name\" (tags \"[a]\")");
    CHECK(describe({"same name", "Fixture", "[a][b]"}) ==
          "\"same name\" (class \"Fixture\", tags \"[a][b]\")");
    CHECK(describe({"two\nlines", "", ""}) == "\"two\\nlines\"");
}
