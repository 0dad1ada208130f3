#pragma once
// What identifies a test case, everywhere shardtap names one: the split and its fingerprint,
// the TAP stream, `shardtap merge` and durations files. Pure: no Catch2.
//
// Catch2 identifies a test case by its name, class name and tags (TestCaseInfo's operator<,
// which rejects two test cases equal in all three), so two TEST_CASE("same name", "[a]") and
// TEST_CASE("same name", "[b]"), or two TEST_CASE_METHODs of one name on different classes,
// are different test cases. The tags are as Catch2 prints them (TestCaseInfo::tagsAsString:
// "[a][b]", sorted, hidden tests with "[.]").

#include <string>
#include <string_view>
#include <utility>

namespace shardtap {

// A view, like Catch2's own StringRef: the strings must outlive it (Catch2's registry keeps
// its test cases' names for the whole run). Views keep a split of 100,000 test cases from
// copying 100,000 names.
struct TestIdentityView {
    std::string_view name;
    std::string_view class_name;  // TEST_CASE_METHOD's class; empty for a TEST_CASE
    std::string_view tags;
};

// The same, owning its strings: for what outlives the registry (merged streams, durations).
struct TestIdentity {
    std::string name;
    std::string class_name;
    std::string tags;

    TestIdentity() = default;
    TestIdentity(char const* name_) : name(name_) {}  // a TEST_CASE without tags
    TestIdentity(std::string name_, std::string class_name_ = {}, std::string tags_ = {})
        : name(std::move(name_)), class_name(std::move(class_name_)), tags(std::move(tags_)) {}
    explicit TestIdentity(TestIdentityView view)
        : name(view.name), class_name(view.class_name), tags(view.tags) {}
    operator TestIdentityView() const { return {name, class_name, tags}; }
};

// The one ordering of test cases, Catch2's order of fields: by name, then class name, then
// tags, each compared byte by byte (std::string's compare). Both kinds compare through it, and
// with each other (a map of TestIdentity with std::less<> finds a TestIdentityView).
int compare(TestIdentityView a, TestIdentityView b);
inline bool operator<(TestIdentityView a, TestIdentityView b) { return compare(a, b) < 0; }
inline bool operator==(TestIdentityView a, TestIdentityView b) { return compare(a, b) == 0; }
inline bool operator!=(TestIdentityView a, TestIdentityView b) { return compare(a, b) != 0; }

// The test case for a message, on one line whatever its strings hold: its name as a JSON
// string, then what else is known of it, `"same name" (class "Fixture", tags "[a]")`; an empty
// class or tags is left out.
std::string describe(TestIdentityView test);

}  // namespace shardtap
