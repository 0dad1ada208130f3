#pragma once
// The one place where shardtap relies on Catch2 beyond its documented extension API (listeners,
// reporters, Session and ConfigData, TestCaseInfo, the registry and config interfaces). Each
// assumption, checked by reading the sources of Catch2 3.4.0, 3.7.1 and 3.15.3 (and by the test
// suite, which runs against all three):
//
// 1. Selection in a listener. Session::runInternal applies -# (filenames as tags), reports
//    invalid specs and runs --list-* before it builds TestGroup; TestGroup's member initialiser
//    constructs the RunContext, whose constructor calls testRunStarting on every listener, and
//    only then does its constructor body pick the test cases (unhidden ones without filters,
//    TestSpec::matchesByFilter with them) and apply createShard(shardCount, shardIndex).
//    So listeners run before the pick, after -# and Bazel's variables were read. Listeners are
//    constructed (prepareReporters) before the invalid-spec check and before --list-tests lists
//    what the spec matches, so a listener that hides test cases in its constructor changes what
//    is listed.                                                              [3.4.0, 3.7.1, 3.15.3]
// 2. Hiding. ITestCaseRegistry::getAllInfos() hands out mutable TestCaseInfo*; the IsHidden bit
//    of TestCaseInfo::properties is what both the no-filter pick and Filter::matches read.
//                                                                            [3.4.0, 3.7.1, 3.15.3]
// 3. The spec. The Session creates its Config non-const and TestGroup reads the spec through
//    Config::testSpec() after the listeners ran, so assigning through const_cast of
//    IConfig::testSpec() is defined and seen. A filter with only exclusions matches exactly the
//    unhidden test cases (Filter::matches starts from !isHidden()). matchesByFilter names each
//    filter by a serialisation that TestSpecParser parses back into an equivalent filter.
//                                                                            [3.4.0, 3.7.1, 3.15.3]
// 4. Shard values. ConfigData::shardCount/shardIndex are applied by TestGroup (createShard) and by
//    filterTests; resetting them to 1/0 in the Session's ConfigData before run() disables them.
//    A Config already made keeps its ConfigData in the private member m_data, which TestGroup
//    reads after the listeners ran: the listener resets them there. That member is reached the
//    one way the language allows without friendship, by naming it in an explicit instantiation.
//    Catch2's split must not run behind a listener's: since 3.9 the default order is random with
//    a seed per process, and contiguous blocks of differently shuffled lists overlap.
//                                                                            [3.4.0, 3.7.1, 3.15.3]
// 5. Bazel. With BAZEL_TEST set (or CATCH_CONFIG_BAZEL_SUPPORT), every Catch::Config constructor
//    reads TEST_TOTAL_SHARDS, TEST_SHARD_INDEX, TEST_SHARD_STATUS_FILE (all three needed) into
//    the shard values and TESTBRIDGE_TEST_ONLY over the spec.                [3.4.0, 3.7.1, 3.15.3]
// 6. The plan. filterTests (internal/catch_test_case_registry_impl.hpp) picks what TestGroup
//    picks, --shard-* included, so the reporter can count the test cases in testRunStarting.
//    With no filter and no shard, that is every test case not hidden (filterTests' first
//    branch), counted by the caller (the reporter, in its one pass over the registry) without
//    filterTests' two copies of the registry.
//                                      [3.4.0, 3.15.3; 3.7.1 through the tests of the plan]
// 7. Signal wording. posix/crash_guard.cpp copies Catch2's descriptions of fatal signals
//    ("SIGSEGV - Segmentation violation signal", ...) from catch_fatal_condition_handler.cpp so
//    that a crash outside a test case reads as Catch2's do. It stays in the POSIX layer, which
//    may not include Catch2; this is where it is recorded.                   [3.4.0, 3.7.1, 3.15.3]
// 8. A reporter's file. The IConfig a reporter is given is the Session's Catch::Config, whose
//    getProcessedReporterSpecs() names each reporter's output file (`-r name::out=FILE`), so
//    tap-stream can open that file again as a descriptor that a signal handler may write.
//                                                                            [3.4.0, 3.7.1, 3.15.3]
//
// A future Catch2 that breaks 1-3 would run test cases outside a node's share: the selection
// listener then stops the node (see selection_listener.hpp) instead of running them twice.

#include "core/split/node.hpp"

#include <catch2/catch_config.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/interfaces/catch_interfaces_config.hpp>

#include <cstddef>
#include <map>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

namespace shardtap::catch2_bridge {

// "3.7.1": the Catch2 this binary runs on.
std::string catch2_version();

// The test cases a run without filters executes, in registry order.
std::vector<Catch::TestCaseInfo const*> unhidden_test_cases();

// The name the run's test spec gives its test cases, when the run names them (the rule of
// core/split/named_run.hpp, applied to the unhidden test cases the spec `matched`); none when
// the spec is a filter.
std::optional<std::string> named_test_cases(Catch::IConfig const& config,
                                            std::vector<Catch::TestCaseInfo const*> const& matched);

// Whether the run lists its test cases (--list-tests) instead of running them.
bool lists_tests(Catch::IConfig const& config);

// The test cases the run would execute on one node, as TestGroup picks them (1), in registry
// order; `unmatched` gets the name of every filter that matched nothing.
std::vector<Catch::TestCaseInfo const*> candidates(Catch::IConfig const& config,
                                                   std::vector<std::string>& unmatched);

// Hides every registered test case but those in `share` (2).
void hide_all_but(std::vector<Catch::TestCaseInfo const*> const& share);

// Replaces the run's spec (3) by one that selects exactly the unhidden test cases, plus the
// filters named in `unmatched`, so that Catch2 still reports those (and exits 3 with
// -w UnmatchedTestSpec). Without unmatched filters the spec is simply emptied.
void respec(Catch::IConfig const& config, std::vector<std::string> const& unmatched, bool share_empty);

// Applies -# to the registry now (for apply_selection, which picks before Session::run does).
void add_filename_tags(Catch::ConfigData& data);

// Disables Catch2's own --shard-* split (4), before the Session made its Config or after.
void reset_shard_values(Catch::ConfigData& data);
void reset_shard_values(Catch::IConfig const& config);

// The --shard-count/--shard-index the command line gave. A Config that read Bazel's variables
// (5) holds Bazel's values instead, and those are the environment's to give.
ShardArguments shard_arguments(Catch::IConfig const& config);

// After shardtap chose the node from Bazel's variables: touches the status file and removes the
// sharding variables, so that no later Config splits again (5).
void consume_bazel_variables();

// After the spec was replaced: a later Config would put `bazel test --test_filter` back (5).
void forget_bazel_filter();

// The number of test cases Catch2 will run, as TestGroup will pick them (6); empty when Catch2
// cannot tell (it would throw). `unhidden`: how many of the registry's test cases are not
// hidden, the answer without filters and --shard-*.
std::optional<std::size_t> planned_by_catch2(Catch::IConfig const& config, std::size_t unhidden);

// The file `-r NAME::out=FILE` names for the reporter NAME with these custom options (8); none
// when it writes to stdout or stderr, or when the config cannot tell (several such reporters
// with different files, a config that is not Catch2's own).
std::optional<std::string> reporter_output_file(Catch::IConfig const* config, std::string_view name,
                                                std::map<std::string, std::string> const& options);

}  // namespace shardtap::catch2_bridge
