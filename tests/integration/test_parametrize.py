"""SHARDTAP_PARAMETRIZE: one Catch2 test case per value, named after pytest's ids, each one
selectable alone and free to go to its own node."""
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import fixture, run  # noqa: E402

PARAMETRIZED = fixture("fixture_parametrized")

EXPECTED = (
    [f"square[{i * i}-{i:02}]" for i in range(12)]
    + [f"repeated[0.5-{i}]" for i in range(3)]
    + ["word[alpha-0]", "word[two words-1]", "word[line\\nbreak-2]", "word[back\\\\slash-3]",
       "word[4]"]
    + ["flag[true-0]", "flag[false-1]"]
    + ["point[(1 2)-0]", "point[(3 4)-1]"]
    + ["opaque[0]", "opaque[1]"]
    + ["labelled[n=10-0]", "labelled[n=20-1]"]
    + ["changes its copy[{  }-0]"]
)


def catch2_spec(name):
    """A test spec that matches exactly `name`: Catch2 reads a backslash as an escape."""
    return re.sub(r'([\\\[\],*"~])', r"\\\1", name)


def listed(*args, env=None):
    # In declaration order: the names are checked by position.
    result = run(PARAMETRIZED, "--list-tests", "-r", "xml", "--order", "decl", *args, env=env)
    if result.returncode != 0:
        raise AssertionError(f"--list-tests {args} exited {result.returncode}: {result.stderr!r}")
    root = ElementTree.fromstring(result.stdout)
    return [case.findtext("Name") for case in root.iter("TestCase")]


class ParametrizeTest(unittest.TestCase):
    def test_one_test_case_per_value_named_by_value_and_position(self):
        self.assertEqual(listed(), EXPECTED)

    def test_tags_apply_to_every_value(self):
        self.assertEqual(listed("[numbers]"), EXPECTED[:15])

    def test_each_test_case_receives_the_value_at_its_position(self):
        result = run(PARAMETRIZED, "-r", "xml", "-s", "square*")
        self.assertEqual(result.returncode, 0, result.stderr)
        root = ElementTree.fromstring(result.stdout)
        cases = list(root.iter("TestCase"))
        self.assertEqual(len(cases), 12)
        for case in cases:
            value, position = re.fullmatch(r"square\[(\d+)-(\d+)\]", case.get("name")).groups()
            self.assertEqual(int(value), int(position) ** 2)
            expanded = case.find("Expression/Expanded").text.strip()
            self.assertEqual(expanded, f"{value} == {value}")

    def test_every_test_case_is_selectable_alone(self):
        for name in EXPECTED:
            with self.subTest(name=name):
                self.assertEqual(listed(catch2_spec(name)), [name])
                result = run(PARAMETRIZED, catch2_spec(name))
                self.assertEqual(result.returncode, 0, result.stdout)

    def test_the_values_of_one_definition_spread_over_nodes(self):
        nodes = {}
        for index in range(12):
            for name in listed(env={"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": index}):
                self.assertNotIn(name, nodes, "ran on two nodes")
                nodes[name] = index
        self.assertEqual(sorted(nodes), sorted(EXPECTED))
        squares = {nodes[name] for name in EXPECTED[:12]}
        self.assertEqual(len(squares), 12, "the 12 squares should land on 12 different nodes")

    def test_a_test_that_changes_its_parameter_gets_a_fresh_copy_on_every_run(self):
        result = run(PARAMETRIZED, "-r", "compact", "changes its copy*")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn(b"All tests passed (4 assertions in 1 test case)", result.stdout)

    def test_every_value_passes(self):
        result = run(PARAMETRIZED, "-r", "compact")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn(b"in 29 test cases", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
