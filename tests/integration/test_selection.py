"""Each node runs its share; together the nodes run the suite exactly once."""
import collections
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import fixture, ran, run, xml_test_cases  # noqa: E402

SUITE = fixture("fixture_suite")
PLAIN = fixture("fixture_plain")
CUSTOM_MAIN = fixture("fixture_custom_main")
UNGUARDED = fixture("fixture_unguarded")
NODE_COUNTS = (1, 2, 3, 7, 12, 32)


class SplitTest(unittest.TestCase):
    def assert_split_exactly_once(self, args=(), node_args=None, node_env=None, binary=SUITE):
        """Runs every node of every count in NODE_COUNTS; compares with the plain binary."""
        expected = ran(PLAIN, *args)
        self.assertGreater(len(expected), 0)
        for total in NODE_COUNTS:
            seen = collections.Counter()
            for index in range(total):
                extra = node_args(index, total) if node_args else ()
                env = node_env(index, total) if node_env else {
                    "CI_NODE_TOTAL": total, "CI_NODE_INDEX": index}
                share = ran(binary, *args, *extra, env=env)
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

    def test_custom_main_with_one_call(self):
        self.assert_split_exactly_once(binary=CUSTOM_MAIN)

    def test_filenames_as_tags(self):
        self.assert_split_exactly_once(args=("-#", "[#suite]"))


class NodeBehaviourTest(unittest.TestCase):
    def test_no_variables_runs_everything_like_plain_catch2(self):
        self.assertEqual(ran(SUITE), ran(PLAIN))
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
        lines = set()
        for index in range(4):
            result = run(SUITE, env={"CI_NODE_TOTAL": 4, "CI_NODE_INDEX": index})
            self.assertEqual(result.returncode, 0)
            line = [l for l in result.stderr.decode().splitlines() if "split " in l]
            self.assertEqual(len(line), 1, result.stderr)
            lines.add(line[0].rsplit("split ", 1)[1])
        self.assertEqual(len(lines), 1)
        other = run(SUITE, "~[slow]", env={"CI_NODE_TOTAL": 4, "CI_NODE_INDEX": 0})
        self.assertNotIn(lines.pop(), other.stderr.decode())

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

    def test_guard_stops_a_binary_without_selection(self):
        result = run(UNGUARDED, "-r", "xml", env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 1})
        self.assertEqual(result.returncode, 1)
        self.assertNotIn(b"<TestCase", result.stdout)
        self.assertIn(b"shardtap::main", result.stderr)
        self.assertIn(b"Heroku CI asks for node 1 of 3", result.stderr)

    def test_guard_stops_a_binary_without_selection_on_bad_variables(self):
        result = run(UNGUARDED, env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 9})
        self.assertEqual(result.returncode, 1)
        self.assertIn(b"CI_NODE_INDEX must be from 0 to 2", result.stderr)

    def test_guard_lets_a_single_node_run_everything(self):
        self.assertEqual(ran(UNGUARDED), ran(PLAIN))
        self.assertEqual(ran(UNGUARDED, env={"CI_NODE_TOTAL": 1, "CI_NODE_INDEX": 0}), ran(PLAIN))


if __name__ == "__main__":
    unittest.main(verbosity=2)
