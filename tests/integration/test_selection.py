"""Each node runs its share; together the nodes run the suite exactly once: through
shardtap::main, a custom main with one call, and the drop-in way (shardtap linked beside
Catch2::Catch2WithMain or a main that knows nothing of shardtap)."""
import collections
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import catch2_version, fixture, ran, run, tap_header, xml_test_cases  # noqa: E402

SUITE = fixture("fixture_suite")
PLAIN = fixture("fixture_plain")
CUSTOM_MAIN = fixture("fixture_custom_main")
DROPIN = fixture("fixture_dropin")
DROPIN_OWN_MAIN = fixture("fixture_dropin_own_main")
PICKS_FIRST = fixture("fixture_picks_first")
NODE_COUNTS = (1, 2, 3, 7, 12, 32)


class SplitMatrix:
    """The whole matrix, on BINARY. A mixin: each way in is a TestCase of its own below."""
    BINARY = None
    # Catch2 exits 2 (no tests ran) for a node whose share is empty unless allowZeroTests is
    # set, which shardtap::main does and a listener cannot.
    EMPTY_NODE_STATUS = 0

    def assert_split_exactly_once(self, args=(), node_args=None, node_env=None, binary=None,
                                  empty_node_status=None):
        """Runs every node of every count in NODE_COUNTS; compares with the plain binary."""
        binary = binary or self.BINARY
        empty_status = self.EMPTY_NODE_STATUS if empty_node_status is None else empty_node_status
        expected = ran(PLAIN, *args)
        self.assertGreater(len(expected), 0)
        for total in NODE_COUNTS:
            seen = collections.Counter()
            for index in range(total):
                extra = node_args(index, total) if node_args else ()
                env = node_env(index, total) if node_env else {
                    "CI_NODE_TOTAL": total, "CI_NODE_INDEX": index}
                result = run(binary, "-r", "xml", *args, *extra, env=env)
                share = xml_test_cases(result.stdout)
                self.assertEqual(result.returncode, 0 if share else empty_status,
                                 f"node {index} of {total}: {result.stderr.decode(errors='replace')}")
                n = len(expected)
                self.assertIn(len(share), (n // total, -(-n // total)),
                              f"node {index} of {total}: unbalanced share {share}")
                seen.update(share)
            with self.subTest(total=total):
                duplicates = [name for name, count in seen.items() if count > 1]
                self.assertEqual(duplicates, [], "test cases ran on more than one node")
                self.assertEqual(sorted(seen), sorted(expected), "union differs from plain run")

    def test_heroku_variables(self):
        self.assert_split_exactly_once()

    def test_shardtap_variables(self):
        self.assert_split_exactly_once(node_env=lambda i, n: {
            "SHARDTAP_NODE_TOTAL": n, "SHARDTAP_NODE_INDEX": i})

    def test_tag_filter_including_hidden_tests(self):
        self.assert_split_exactly_once(args=("[fast],[integration],[generated]",))

    def test_exclusion(self):
        self.assert_split_exactly_once(args=("~[slow]",))

    def test_random_order_with_a_different_seed_on_every_node(self):
        self.assert_split_exactly_once(
            args=("--order", "rand"),
            node_args=lambda i, n: ("--rng-seed", str(1000 + 7 * i + n)))

    def test_catch2_shard_arguments_instead_of_variables(self):
        self.assert_split_exactly_once(
            node_args=lambda i, n: ("--shard-count", str(n), "--shard-index", str(i)),
            node_env=lambda i, n: {})

    def test_shard_arguments_win_over_variables(self):
        # --shard-count 1 --shard-index 0 are Catch2's defaults, indistinguishable from absent:
        # on one node the variables would decide, so only set them where the arguments split.
        self.assert_split_exactly_once(
            node_args=lambda i, n: ("--shard-count", str(n), "--shard-index", str(i)),
            node_env=lambda i, n: {"CI_NODE_TOTAL": 5, "CI_NODE_INDEX": 4} if n > 1 else {})

    def test_catch2_shard_arguments_in_random_order_without_a_seed(self):
        # Each node draws its own seed: Catch2's own contiguous blocks would overlap.
        self.assert_split_exactly_once(
            args=("--order", "rand"),
            node_args=lambda i, n: ("--shard-count", str(n), "--shard-index", str(i)),
            node_env=lambda i, n: {})

    def test_bazel_with_catch2s_bazel_support_in_random_order_without_a_seed(self):
        with tempfile.TemporaryDirectory() as directory:
            self.assert_split_exactly_once(args=("--order", "rand"), node_env=lambda i, n: {
                "BAZEL_TEST": "1", "TEST_TOTAL_SHARDS": n, "TEST_SHARD_INDEX": i,
                "TEST_SHARD_STATUS_FILE": os.path.join(directory, "status")})

    def test_filenames_as_tags(self):
        self.assert_split_exactly_once(args=("-#", "[#suite]"))

    def test_bazel_variables(self):
        self.assert_split_exactly_once(node_env=lambda i, n: {
            "TEST_TOTAL_SHARDS": n, "TEST_SHARD_INDEX": i})


class SplitTest(SplitMatrix, unittest.TestCase):
    BINARY = SUITE

    def test_custom_main_with_one_call(self):
        self.assert_split_exactly_once(binary=CUSTOM_MAIN)


class DropInSplitTest(SplitMatrix, unittest.TestCase):
    BINARY = DROPIN
    EMPTY_NODE_STATUS = 2

    def test_own_main_without_a_shardtap_call(self):
        self.assert_split_exactly_once(binary=DROPIN_OWN_MAIN)

    def test_an_empty_node_passes_with_allow_running_no_tests(self):
        self.assert_split_exactly_once(args=("--allow-running-no-tests",), empty_node_status=0)


class NodeBehaviourTest(unittest.TestCase):
    def test_no_variables_runs_everything_like_plain_catch2(self):
        self.assertEqual(sorted(ran(SUITE)), sorted(ran(PLAIN)))
        result = run(SUITE)
        self.assertEqual(result.returncode, 0)
        self.assertNotIn(b"shardtap", result.stderr)

    def test_run_order_follows_the_users_order(self):
        env = {"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 1}
        declared = ran(SUITE, "--order", "decl", env=env)
        lexical = ran(SUITE, "--order", "lex", env=env)
        self.assertEqual(sorted(declared), lexical)
        self.assertNotEqual(declared, lexical)

    def test_list_tests_lists_the_nodes_share(self):
        env = {"CI_NODE_TOTAL": 7, "CI_NODE_INDEX": 4}
        listed = run(SUITE, "--list-tests", "-r", "xml", env=env)
        self.assertEqual(listed.returncode, 0)
        import xml.etree.ElementTree as ElementTree
        root = ElementTree.fromstring(listed.stdout)
        names = [f'{e.findtext("Name")} @{e.findtext("SourceInfo/Line")}' for e in root.iter("TestCase")]
        self.assertEqual(sorted(names), sorted(ran(SUITE, env=env)))

    def test_every_node_prints_the_same_fingerprint(self):
        fingerprints = set()
        for index in range(4):
            result = run(SUITE, "-r", "tap-stream", env={"CI_NODE_TOTAL": 4, "CI_NODE_INDEX": index})
            self.assertEqual(result.returncode, 0)
            header = tap_header(result.stdout)
            self.assertRegex(header.get("fingerprint", ""), r"^[0-9a-f]{16}$")
            self.assertIn(f"split {header['fingerprint']}", result.stderr.decode())
            fingerprints.add(header["fingerprint"])
        self.assertEqual(len(fingerprints), 1)
        other = run(SUITE, "-r", "tap-stream", "~[slow]", env={"CI_NODE_TOTAL": 4, "CI_NODE_INDEX": 0})
        other_fingerprint = tap_header(other.stdout).get("fingerprint", "")
        self.assertRegex(other_fingerprint, r"^[0-9a-f]{16}$", "the other suite printed no fingerprint")
        self.assertNotEqual(other_fingerprint, fingerprints.pop())

    def test_an_empty_share_passes(self):
        # [fast] matches two visible test cases and one hidden one selected by the tag.
        result = run(SUITE, "[fast]", env={"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": 11})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"0 of 3 test cases", result.stderr)

    def test_filter_matching_nothing_keeps_catch2_status(self):
        plain = run(PLAIN, "no such test")
        node = run(SUITE, "no such test", env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 0})
        self.assertEqual(plain.returncode, 2)
        self.assertEqual(node.returncode, plain.returncode)
        self.assertIn(b"No test cases matched", node.stdout)

    def test_unmatched_filter_with_warning_stops_before_any_test(self):
        plain = run(PLAIN, "-w", "UnmatchedTestSpec", "alpha,no such test")
        self.assertEqual(plain.returncode, 3)
        node = run(SUITE, "-r", "xml", "-w", "UnmatchedTestSpec", "alpha,no such test",
                   env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 0})
        self.assertEqual(node.returncode, 3)
        self.assertIn(b"no test cases matched", node.stderr)
        self.assertIn(b"no such test", node.stderr)
        self.assertEqual(node.stdout, b"")

    def test_bad_variables_stop_before_any_test(self):
        cases = [
            ({"CI_NODE_TOTAL": "3", "CI_NODE_INDEX": "3"}, "CI_NODE_INDEX must be from 0 to 2"),
            ({"CI_NODE_TOTAL": "three", "CI_NODE_INDEX": "0"}, "CI_NODE_TOTAL is not a whole number"),
            ({"CI_NODE_TOTAL": "3"}, "CI_NODE_TOTAL is set but CI_NODE_INDEX is not"),
            ({"SHARDTAP_NODE_TOTAL": "0", "SHARDTAP_NODE_INDEX": "0"}, "must be at least 1"),
            ({"CI_NODE_TOTAL": "2", "CI_NODE_INDEX": " 1"}, "CI_NODE_INDEX is not a whole number"),
        ]
        for env, problem in cases:
            with self.subTest(env=env):
                result = run(SUITE, "-r", "xml", env=env)
                self.assertEqual(result.returncode, 1)
                self.assertEqual(result.stdout, b"", "a test ran or a report began")
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertIn(problem, lines[0])
                for name, value in env.items():
                    self.assertIn(f'{name}="{value}"', lines[0])

    def test_bad_shard_arguments_stop_before_any_test(self):
        result = run(SUITE, "-r", "xml", "--shard-count", "3", "--shard-index", "3")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, b"")
        self.assertIn(b"--shard-count 3 --shard-index 3", result.stderr)

    def test_bad_variables_stop_a_drop_in_binary_before_any_test(self):
        for binary in (DROPIN, DROPIN_OWN_MAIN):
            with self.subTest(binary=binary):
                result = run(binary, "-r", "tap-stream", env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 9})
                self.assertEqual(result.returncode, 1)
                self.assertEqual(result.stdout, b"", "a report began")
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertIn("CI_NODE_INDEX must be from 0 to 2", lines[0])


class ThreeWaysInTest(unittest.TestCase):
    """shardtap::main, a custom main and the drop-in way give each node the same result."""

    def stream_without_timing(self, binary, env, *args):
        # Compared byte for byte, so in one stated order (Catch2 3.9+ shuffles by default).
        result = run(binary, "-r", "tap-stream", "--allow-running-no-tests", "--order", "decl", *args, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        stream = re.sub(rb" # time=\d+\.\d{3}ms$", b"", result.stdout, flags=re.M)
        return re.sub(rb"\n# shardtap elapsed: [^\n]*", b"", stream)

    def assert_same_streams(self, env_of, *args):
        for index in range(5):
            env = env_of(index)
            expected = self.stream_without_timing(SUITE, env, *args)
            self.assertIn(b"# shardtap fingerprint: ", expected)
            for binary in (CUSTOM_MAIN, DROPIN, DROPIN_OWN_MAIN):
                with self.subTest(binary=os.path.basename(binary), index=index):
                    self.assertEqual(self.stream_without_timing(binary, env, *args), expected)

    def test_same_share_fingerprint_and_header(self):
        self.assert_same_streams(lambda i: {"CI_NODE_TOTAL": 5, "CI_NODE_INDEX": i})
        self.assert_same_streams(lambda i: {"SHARDTAP_NODE_TOTAL": 5, "SHARDTAP_NODE_INDEX": i},
                                 "[fast],[odd]")

    def test_same_split_by_durations(self):
        with tempfile.TemporaryDirectory() as directory:
            durations = os.path.join(directory, "durations.json")
            names = [case.rsplit(" @", 1)[0] for case in ran(PLAIN)]
            with open(durations, "w") as file:
                json.dump({"format": "shardtap-durations", "version": 1,
                           "durations": {name: 0.1 * (i % 7 + 1) for i, name in enumerate(names)}}, file)
            self.assert_same_streams(lambda i: {"CI_NODE_TOTAL": 5, "CI_NODE_INDEX": i,
                                                "SHARDTAP_DURATIONS": durations})
            self.assert_same_streams(lambda i: {"CI_NODE_TOTAL": 5, "CI_NODE_INDEX": i,
                                                "SHARDTAP_DURATIONS": durations,
                                                "SHARDTAP_STRATEGY": "round-robin"})


class NamedRunTest(unittest.TestCase):
    """A run given one test case by its exact name, as ctest starts each test that
    catch_discover_tests registered, takes it from the node's share of the whole suite."""

    @staticmethod
    def escaped(name):
        return re.sub(r"([\\,\[\]])", r"\\\1", name)  # as CatchAddTests.cmake escapes it

    def test_each_test_case_runs_on_its_own_node_and_fails_everywhere_else(self):
        nodes = 3
        for binary in (SUITE, DROPIN):
            shares = [ran(binary, env={"CI_NODE_TOTAL": nodes, "CI_NODE_INDEX": i}) for i in range(nodes)]
            for case in sorted(set().union(*shares)):
                name = case.rsplit(" @", 1)[0]
                # Catch2's own pick for the argument: more than one where names differ only in
                # ASCII case, or are shared across fixture classes.
                matched = ran(PLAIN, self.escaped(name))
                if not all(m.rsplit(" @", 1)[0].lower() == name.lower() for m in matched):
                    continue  # Catch2 reads this name as a filter ("exclude:..."): not a named run
                with self.subTest(binary=os.path.basename(binary), case=case):
                    self.assertIn(case, matched)
                    for index, share in enumerate(shares):
                        env = {"CI_NODE_TOTAL": nodes, "CI_NODE_INDEX": index}
                        result = run(binary, "-r", "xml", self.escaped(name), env=env)
                        own = [m for m in share if m in matched]
                        if own:
                            self.assertEqual(result.returncode, 0, result.stderr)
                            self.assertEqual(sorted(xml_test_cases(result.stdout)), sorted(own))
                        else:
                            self.assertEqual(result.returncode, 1, result.stderr)
                            self.assertRegex(result.stderr.decode(), rf"(?m)^shardtap: test case .* is not "
                                             rf"in node {index} of {nodes}'s share.*shardtap_discover_tests")
                            self.assertNotIn(b"<TestCase", result.stdout)

    def test_listing_a_foreign_test_case_by_name_lists_nothing(self):
        share = ran(SUITE, env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 0})
        # A name of node 0's share that names only that test case: a name shared across fixture
        # classes may have its other test case on node 1 (in random order, the default of newer
        # Catch2, any test case of the share may come first).
        name = next(name for name in (case.rsplit(" @", 1)[0] for case in share)
                    if len(ran(PLAIN, self.escaped(name))) == 1)
        for binary in (SUITE, DROPIN):
            listed = run(binary, "--list-tests", "--verbosity", "quiet", self.escaped(name),
                         env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 1})
            self.assertEqual((listed.returncode, listed.stdout), (0, b""), listed.stderr)
            self.assertNotIn(b"no test cases", listed.stderr)  # a list is not a run that exits 2

    def test_a_pattern_is_split_after_its_filter(self):
        # Not a name: a wildcard keeps "filters first, then split", as every run did before.
        for index in range(2):
            env = {"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": index}
            matched = ran(PLAIN, "--order", "decl", "generated*")
            self.assertGreater(len(matched), 1)
            self.assertEqual(sorted(ran(SUITE, "generated*", env=env)), sorted(matched[index::2]))


class DropInBehaviourTest(unittest.TestCase):
    """What a listener cannot reach, and how the drop-in way behaves there."""

    def test_no_variables_runs_everything_like_plain_catch2(self):
        self.assertEqual(sorted(ran(DROPIN)), sorted(ran(PLAIN)))
        result = run(DROPIN)
        self.assertEqual(result.returncode, 0)
        self.assertNotIn(b"shardtap", result.stderr)
        self.assertEqual(sorted(ran(DROPIN, env={"CI_NODE_TOTAL": 1, "CI_NODE_INDEX": 0})), sorted(ran(PLAIN)))

    def test_an_empty_share_exits_2_and_says_how_to_pass(self):
        env = {"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": 11}
        result = run(DROPIN, "-r", "tap-stream", "[fast]", env=env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(b"0 of 3 test cases", result.stderr)
        self.assertIn(b"--allow-running-no-tests", result.stderr)
        self.assertIn(b"\n1..0 # SKIP node 11 of 12 has no test cases", result.stdout)
        allowed = run(DROPIN, "-r", "tap-stream", "--allow-running-no-tests", "[fast]", env=env)
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        self.assertNotIn(b"--allow-running-no-tests", allowed.stderr)
        self.assertEqual(allowed.stdout.split(b"\n")[1], b"1..0 # SKIP node 11 of 12 has no test cases (3 in the whole suite)")

    def test_filter_matching_nothing_keeps_catch2_status(self):
        node = run(DROPIN, "no such test", env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 0})
        self.assertEqual(node.returncode, 2)
        self.assertIn(b"No test cases matched", node.stdout)

    def test_unmatched_filter_keeps_catch2_message_and_status(self):
        plain = run(PLAIN, "-w", "UnmatchedTestSpec", "alpha,no such test")
        self.assertEqual(plain.returncode, 3)
        seen = []
        for index in range(2):
            env = {"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": index}
            node = run(DROPIN, "-w", "UnmatchedTestSpec", "alpha,no such test", env=env)
            self.assertEqual(node.returncode, 3, node.stderr)
            self.assertIn(b"No test cases matched '\"no such test\"'", node.stdout)
            # (The console's "Filters:" line shows the spec as the listener left it.)
            self.assertEqual(re.findall(rb"No test cases matched[^\n]*", node.stdout),
                             [b"No test cases matched '\"no such test\"'"])
            seen += ran(DROPIN, "alpha,no such test", env=env, statuses=(0, 2))
            without_warning = run(DROPIN, "alpha,no such test", env=env)
            self.assertIn(without_warning.returncode, (0, 2))
        self.assertEqual(seen, ran(PLAIN, "alpha"))

    def test_invalid_spec_keeps_catch2_status(self):
        plain = run(PLAIN, "[a,b]")  # a comma inside a tag
        node = run(DROPIN, "[a,b]", env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 0})
        self.assertIn(plain.returncode, (1, 5))  # 5 since Catch2 3.5
        self.assertIn(b"Invalid Filter: [a,b]", plain.stdout + plain.stderr)
        self.assertEqual(node.returncode, plain.returncode)
        self.assertEqual(node.stdout + node.stderr, plain.stdout + plain.stderr)

    def test_catch2_shard_arguments_are_shardtaps_to_split_by(self):
        # As with shardtap::main: the arguments win over the variables, and Catch2 does not
        # split again behind the listener.
        env = {"CI_NODE_TOTAL": 5, "CI_NODE_INDEX": 1}
        shard = ("--shard-count", "3", "--shard-index", "2")
        result = run(DROPIN, "-r", "tap-stream", *shard, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"shardtap: node 2 of 3 (0-based, from command line)",
                      result.stderr)
        self.assertEqual(tap_header(result.stdout)["provider"], "command line")
        self.assertEqual(ran(DROPIN, "--order", "decl", *shard, env=env),
                         ran(SUITE, "--order", "decl", *shard, env=env))

    def test_list_tests_lists_the_share_as_shardtap_main_does(self):
        # catch_discover_tests lists with --list-tests: the list must be the node's share.
        for index in range(7):
            env = {"CI_NODE_TOTAL": 7, "CI_NODE_INDEX": index}
            with self.subTest(index=index):
                listed = run(DROPIN, "--list-tests", "--verbosity", "quiet", env=env)
                self.assertEqual(listed.returncode, 0, listed.stderr)
                own = run(SUITE, "--list-tests", "--verbosity", "quiet", env=env)
                self.assertEqual(sorted(listed.stdout.splitlines()), sorted(own.stdout.splitlines()))
                self.assertEqual(sorted(name.strip() for name in listed.stdout.decode().splitlines()),
                                 sorted(case.rsplit(" @", 1)[0] for case in ran(DROPIN, env=env)))
        self.assertNotIn(b"shardtap", run(DROPIN, "--list-tests").stderr)

    def test_a_test_case_outside_the_share_stops_the_node(self):
        version = ".".join(map(str, catch2_version()))
        for index in range(3):
            env = {"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": index}
            with self.subTest(index=index):
                result = run(PICKS_FIRST, "-r", "tap-stream", "-r", "picks-first::out=/dev/null", env=env)
                self.assertEqual(result.returncode, 1, result.stderr)
                lines = result.stdout.decode().splitlines()
                self.assertRegex(lines[-1], rf"^Bail out! Catch2 {re.escape(version)} started test "
                                 rf"case \".*\", which is not in node {index} of 3's share")
                self.assertIn(f"shardtap: Catch2 {version} started test case".encode(), result.stderr)
                share = {case.rsplit(" @", 1)[0] for case in ran(DROPIN, env=env)}
                ran_here = [re.sub(r"\\(.)", r"\1", re.sub(r"^(not )?ok \d+ - |(?: # time=\d+\.\d{3}ms)$", "", line))
                            for line in lines if re.match(r"^(not )?ok ", line)]
                self.assertEqual([name for name in ran_here if name not in share], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
