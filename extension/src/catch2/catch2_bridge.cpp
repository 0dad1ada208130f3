#include "catch2_bridge.hpp"

#include "core/split/named_run.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_test_spec.hpp>
#include <catch2/catch_version.hpp>
#include <catch2/interfaces/catch_interfaces_registry_hub.hpp>
#include <catch2/interfaces/catch_interfaces_tag_alias_registry.hpp>
#include <catch2/interfaces/catch_interfaces_testcase.hpp>
#include <catch2/internal/catch_test_case_registry_impl.hpp>
#include <catch2/internal/catch_test_spec_parser.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace shardtap::catch2_bridge {
namespace {

// Config::m_data, private (4): an explicit instantiation may name it ([temp.spec.general]), and
// the friend it defines hands the member pointer out.
Catch::ConfigData Catch::Config::*config_data_member();
template <Catch::ConfigData Catch::Config::*member>
struct ConfigDataMember {
    friend Catch::ConfigData Catch::Config::*config_data_member() { return member; }
};
template struct ConfigDataMember<&Catch::Config::m_data>;

void set_hidden(Catch::TestCaseInfo& info, bool hidden) {
    auto bits = static_cast<std::uint8_t>(info.properties);
    auto const flag = static_cast<std::uint8_t>(Catch::TestCaseProperties::IsHidden);
    bits = hidden ? (bits | flag) : (bits & ~flag);
    info.properties = static_cast<Catch::TestCaseProperties>(bits);
}

std::vector<Catch::TestCaseInfo*> const& all_infos() {
    return Catch::getRegistryHub().getTestCaseRegistry().getAllInfos();
}

// Tags match without regard to case.
bool has_tag(Catch::TestCaseInfo const& info, std::string const& lower_cased) {
    return std::any_of(info.tags.begin(), info.tags.end(), [&](Catch::Tag const& tag) {
        auto const& text = tag.original;
        return text.size() == lower_cased.size() &&
               std::equal(text.begin(), text.end(), lower_cased.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
               });
    });
}

// A tag that no unhidden test case has: excluding it matches exactly the unhidden test cases.
std::string absent_tag() {
    for (int n = 0;; ++n) {
        std::string tag = "shardtap-share" + (n ? std::to_string(n) : std::string());
        bool const used = std::any_of(all_infos().begin(), all_infos().end(), [&](auto const* info) {
            return !info->isHidden() && has_tag(*info, tag);
        });
        if (!used) return tag;
    }
}

// The user's filters as Catch2's parser reads them (3): every spec argument is parsed on, a
// filter ends at each comma that is not escaped (commas inside quotes or tags make the spec
// invalid, and Catch2 stopped before any listener ran). Each filter is the list of the
// argument fragments it was parsed from.
std::vector<std::vector<std::string>> filter_texts(std::vector<std::string> const& arguments) {
    std::vector<std::vector<std::string>> filters(1);
    for (auto const& argument : arguments) {
        std::string fragment;
        for (std::size_t i = 0; i < argument.size(); ++i) {
            if (argument[i] == ',') {
                filters.back().push_back(std::move(fragment));
                fragment.clear();
                filters.emplace_back();
                continue;
            }
            fragment += argument[i];
            if (argument[i] == '\\' && i + 1 < argument.size()) fragment += argument[++i];
        }
        filters.back().push_back(std::move(fragment));
    }
    return filters;
}

// The name Catch2 gives the filter parsed from `fragments`, empty when they make no filter.
std::string filter_name(std::vector<std::string> const& fragments, Catch::IConfig const& config) {
    Catch::TestSpecParser parser(Catch::ITagAliasRegistry::get());
    for (auto const& fragment : fragments) parser.parse(fragment);
    auto const matches = parser.testSpec().matchesByFilter({}, config);
    return matches.empty() ? std::string() : matches.front().name;
}

}  // namespace

std::string catch2_version() {
    std::ostringstream text;
    text << Catch::libraryVersion();
    return text.str();
}

std::vector<Catch::TestCaseInfo const*> unhidden_test_cases() {
    std::vector<Catch::TestCaseInfo const*> result;
    for (auto const& test : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
        if (!test.getTestCaseInfo().isHidden()) result.push_back(&test.getTestCaseInfo());
    }
    return result;
}

std::optional<std::string> named_test_cases(Catch::IConfig const& config,
                                            std::vector<Catch::TestCaseInfo const*> const& matched) {
    auto const& arguments = config.getTestsOrTags();
    if (arguments.size() != 1 || matched.empty()) return std::nullopt;
    bool const named = std::all_of(matched.begin(), matched.end(), [&](auto const* info) {
        return !info->isHidden() && names_test_case(arguments[0], info->name);
    });
    if (!named) return std::nullopt;
    return unescaped_test_spec(arguments[0]);
}

bool lists_tests(Catch::IConfig const& config) {
    auto const* full = dynamic_cast<Catch::Config const*>(&config);
    return full && full->listTests();
}

std::vector<Catch::TestCaseInfo const*> candidates(Catch::IConfig const& config,
                                                   std::vector<std::string>& unmatched) {
    auto const& all = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
    auto const& spec = config.testSpec();
    if (!spec.hasFilters()) return unhidden_test_cases();
    std::vector<Catch::TestCaseInfo const*> result;
    std::unordered_set<Catch::TestCaseInfo const*> seen;
    for (auto const& match : spec.matchesByFilter(all, config)) {
        if (match.tests.empty()) unmatched.push_back(match.name);
        for (auto const* test : match.tests) {
            if (seen.insert(&test->getTestCaseInfo()).second) result.push_back(&test->getTestCaseInfo());
        }
    }
    return result;
}

void hide_all_but(std::vector<Catch::TestCaseInfo const*> const& share) {
    for (auto* info : all_infos()) set_hidden(*info, true);
    // `share` came from the registry's handles, a const view of these same mutable infos.
    for (auto const* info : share) set_hidden(const_cast<Catch::TestCaseInfo&>(*info), false);
}

void respec(Catch::IConfig const& config, std::vector<std::string> const& unmatched, bool share_empty) {
    auto& spec = const_cast<Catch::TestSpec&>(config.testSpec());
    if (unmatched.empty()) {
        spec = Catch::TestSpec{};
        return;
    }
    // A filter is rebuilt from the user's own text, not from its name: Catch2 names a filter by
    // a serialisation that parses into an equivalent filter with another name.
    Catch::TestSpecParser parser(Catch::ITagAliasRegistry::get());
    if (!share_empty) parser.parse("~[" + absent_tag() + "]").parse(",");
    for (auto const& fragments : filter_texts(config.getTestsOrTags())) {
        if (std::find(unmatched.begin(), unmatched.end(), filter_name(fragments, config)) == unmatched.end()) continue;
        for (auto const& fragment : fragments) parser.parse(fragment);
        parser.parse(",");
    }
    spec = parser.testSpec();
}

void add_filename_tags(Catch::ConfigData& data) {
    if (!data.filenamesAsTags) return;
    for (auto* info : all_infos()) info->addFilenameTag();
    data.filenamesAsTags = false;
}

void reset_shard_values(Catch::ConfigData& data) {
    data.shardCount = 1;
    data.shardIndex = 0;
}

void reset_shard_values(Catch::IConfig const& config) {
    // The Session's Config is not a const object (3).
    if (auto const* full = dynamic_cast<Catch::Config const*>(&config)) {
        reset_shard_values(const_cast<Catch::Config&>(*full).*config_data_member());
    }
}

ShardArguments shard_arguments(Catch::IConfig const& config) {
    auto const equals = [](char const* name, std::size_t value) {
        char const* text = std::getenv(name);
        return text && std::to_string(value) == text;
    };
    if (equals("TEST_TOTAL_SHARDS", config.shardCount()) && equals("TEST_SHARD_INDEX", config.shardIndex())) {
        return {};
    }
    return {config.shardCount(), config.shardIndex()};
}

void consume_bazel_variables() {
    if (char const* status_file = std::getenv("TEST_SHARD_STATUS_FILE"); status_file && *status_file) {
        std::ofstream touch(status_file, std::ios::app);
    }
    unsetenv("TEST_TOTAL_SHARDS");
    unsetenv("TEST_SHARD_INDEX");
}

void forget_bazel_filter() { unsetenv("TESTBRIDGE_TEST_ONLY"); }

std::optional<std::size_t> planned_by_catch2(Catch::IConfig const& config, std::size_t unhidden) {
    if (!config.testSpec().hasFilters() && config.shardCount() == 1) return unhidden;
    try {
        auto const& all = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
        return Catch::filterTests(all, config.testSpec(), config).size();
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<std::string> reporter_output_file(Catch::IConfig const* config, std::string_view name,
                                                std::map<std::string, std::string> const& options) {
    auto const* full = dynamic_cast<Catch::Config const*>(config);
    if (!full) return std::nullopt;
    std::string path;
    for (auto const& spec : full->getProcessedReporterSpecs()) {
        if (spec.name != name || spec.customOptions != options) continue;
        if (!path.empty() && path != spec.outputFilename) return std::nullopt;
        path = spec.outputFilename;
    }
    if (path.empty() || path == "-" || path[0] == '%') return std::nullopt;
    return path;
}

}  // namespace shardtap::catch2_bridge
