"""The sample's slow_tests: the article's 20 parametrized tests, WAIT_TIME_SCALE, and a split."""
import collections
import os
import sys
import time
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import ran, run  # noqa: E402

SLOW_TESTS = os.environ["SHARDTAP_SLOW_TESTS"]
NAMES = [f"test_slow[5-{i:02}]" for i in range(20)]


def names(cases):
    return [case.rsplit(" @", 1)[0] for case in cases]


class SampleTest(unittest.TestCase):
    def test_twenty_separate_test_cases_from_one_definition(self):
        listed = run(SLOW_TESTS, "--list-tests", "-r", "xml", "--order", "decl")
        self.assertEqual(listed.returncode, 0)
        root = ElementTree.fromstring(listed.stdout)
        self.assertEqual([case.findtext("Name") for case in root.iter("TestCase")], NAMES)
        self.assertEqual({case.findtext("Tags") for case in root.iter("TestCase")}, {"[slow]"})

    def test_every_test_sleeps_its_scaled_wait_and_passes(self):
        start = time.monotonic()
        self.assertEqual(sorted(names(ran(SLOW_TESTS, env={"WAIT_TIME_SCALE": "0.002"}))), NAMES)
        self.assertGreaterEqual(time.monotonic() - start, 20 * 5 * 0.002)

    def test_one_test_alone_sleeps_five_seconds_times_the_scale(self):
        start = time.monotonic()
        result = run(SLOW_TESTS, r"test_slow\[5-07\]", env={"WAIT_TIME_SCALE": "0.04"})
        elapsed = time.monotonic() - start
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn(b"1 assertion in 1 test case", result.stdout)
        self.assertGreaterEqual(elapsed, 0.2)

    def test_twelve_nodes_run_the_twenty_tests_once(self):
        seen = collections.Counter()
        for index in range(12):
            share = names(ran(SLOW_TESTS, env={"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": index,
                                               "WAIT_TIME_SCALE": 0}))
            self.assertIn(len(share), (1, 2))
            seen.update(share)
        self.assertEqual(sorted(seen), NAMES)
        self.assertEqual(set(seen.values()), {1})

    def test_a_bad_scale_stops_before_any_test(self):
        for value, problem in [("abc", "is not a number"), ("", "is not a number"),
                               ("-1", "is negative"), ("nan", "is not a number"),
                               ("1e999", "is out of range"), ("2 ", "is not a number")]:
            with self.subTest(value=value):
                result = run(SLOW_TESTS, env={"WAIT_TIME_SCALE": value})
                self.assertEqual(result.returncode, 1)
                self.assertEqual(result.stdout, b"")
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertIn(f'WAIT_TIME_SCALE="{value}" {problem}', lines[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
