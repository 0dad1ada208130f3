#include "core/split/settings.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace shardtap;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("without settings the split is round-robin, by no file") {
    auto const settings = resolve_split_settings({});
    CHECK(settings.strategy == Strategy::round_robin);
    CHECK_FALSE(settings.durations_file);
    CHECK_FALSE(resolve_durations_out({}));
}

TEST_CASE("a durations file alone chooses the duration strategy") {
    auto const settings = resolve_split_settings({{"SHARDTAP_DURATIONS", "d.json"}});
    CHECK(settings.strategy == Strategy::duration);
    CHECK(settings.durations_file == "d.json");
}

TEST_CASE("round-robin may be asked for with a durations file, which then only predicts") {
    auto const settings = resolve_split_settings(
        {{"SHARDTAP_STRATEGY", "round-robin"}, {"SHARDTAP_DURATIONS", "d.json"}});
    CHECK(settings.strategy == Strategy::round_robin);
    CHECK(settings.durations_file == "d.json");
}

TEST_CASE("the command line wins over the environment") {
    Environment const environment = {{"SHARDTAP_STRATEGY", "round-robin"},
                                     {"SHARDTAP_DURATIONS", "env.json"},
                                     {"SHARDTAP_DURATIONS_OUT", "env-out.json"}};
    SettingArguments arguments;
    arguments.strategy = "duration";
    arguments.durations = "arg.json";
    arguments.durations_out = "arg-out.json";
    auto const settings = resolve_split_settings(environment, arguments);
    CHECK(settings.strategy == Strategy::duration);
    CHECK(settings.durations_file == "arg.json");
    CHECK(resolve_durations_out(environment, arguments) == "arg-out.json");
    CHECK(resolve_durations_out(environment) == "env-out.json");
}

TEST_CASE("bad settings are one-line errors naming the setting and its value") {
    CHECK_THROWS_WITH(resolve_split_settings({{"SHARDTAP_STRATEGY", "fastest"}}),
                      "shardtap: unknown strategy SHARDTAP_STRATEGY=\"fastest\"; expected "
                      "round-robin or duration");
    SettingArguments arguments;
    arguments.strategy = "Duration";
    CHECK_THROWS_WITH(resolve_split_settings({}, arguments),
                      ContainsSubstring("--shardtap-strategy=\"Duration\""));
    CHECK_THROWS_WITH(resolve_split_settings({{"SHARDTAP_STRATEGY", "duration"}}),
                      ContainsSubstring("SHARDTAP_STRATEGY=duration needs a durations file") &&
                          ContainsSubstring("SHARDTAP_DURATIONS=FILE"));
    CHECK_THROWS_WITH(resolve_split_settings({{"SHARDTAP_STRATEGY", ""}}),
                      "shardtap: SHARDTAP_STRATEGY is empty");
    CHECK_THROWS_WITH(resolve_split_settings({{"SHARDTAP_DURATIONS", ""}}),
                      "shardtap: SHARDTAP_DURATIONS is empty");
    CHECK_THROWS_WITH(resolve_durations_out({{"SHARDTAP_DURATIONS_OUT", ""}}),
                      "shardtap: SHARDTAP_DURATIONS_OUT is empty");
    CHECK_THROWS_WITH(resolve_split_settings({{"SHARDTAP_STRATEGY", "a\nb"}}),
                      ContainsSubstring("\"a\\nb\""));
}

TEST_CASE("the test case timeout: positive seconds, the command line first, bad values named") {
    CHECK_FALSE(resolve_test_timeout({}));
    CHECK(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", "1"}}) == 1.0);
    CHECK(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", "0.25"}}) == 0.25);
    SettingArguments arguments;
    arguments.test_timeout = "30";
    CHECK(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", "1"}}, arguments) == 30.0);
    // The values `shardtap run --timeout` rejects (test_arguments.cpp): one reader for both.
    for (std::string bad : {"0", "0.0", "-1", "abc", "1s", "nan", "inf", " 1", "0x10", "1e1", "5.",
                            ".5", "1000001"}) {
        CAPTURE(bad);
        CHECK_FALSE(read_test_timeout(bad));
        CHECK_THROWS_WITH(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", bad}}),
                          "shardtap: SHARDTAP_TEST_TIMEOUT=\"" + bad + "\" is not a number of seconds "
                          "above 0 and up to 1000000, such as 90 or 2.5");
    }
    CHECK(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", "1000000"}}) == 1e6);
    CHECK_THROWS_WITH(resolve_test_timeout({{"SHARDTAP_TEST_TIMEOUT", ""}}), "shardtap: SHARDTAP_TEST_TIMEOUT is empty");
    arguments.test_timeout = "x";
    CHECK_THROWS_WITH(resolve_test_timeout({}, arguments),
                      "shardtap: --shardtap-test-timeout=\"x\" is not a number of seconds above 0 and "
                      "up to 1000000, such as 90 or 2.5");
}
