#include "core/identity/test_identity.hpp"

#include "core/text/quoted.hpp"

namespace shardtap {

int compare(TestIdentityView a, TestIdentityView b) {
    if (int c = a.name.compare(b.name)) return c;
    if (int c = a.class_name.compare(b.class_name)) return c;
    return a.tags.compare(b.tags);
}

std::string describe(TestIdentityView test) {
    auto text = in_quotes(test.name);
    if (test.class_name.empty() && test.tags.empty()) return text;
    text += " (";
    if (!test.class_name.empty()) text += "class " + in_quotes(test.class_name);
    if (!test.class_name.empty() && !test.tags.empty()) text += ", ";
    if (!test.tags.empty()) text += "tags " + in_quotes(test.tags);
    return text + ")";
}

}  // namespace shardtap
