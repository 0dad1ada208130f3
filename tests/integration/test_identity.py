"""Test cases that share a name, as Catch2 allows (told apart by tags, by class, or both):
through the split, the TAP stream, `shardtap run`/`merge` and durations files, on 1 to 7 nodes."""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import WorkDirectory, clean_environment, durations_entries, fixture, ran  # noqa: E402
from tap_consumers import CONSUMERS  # noqa: E402

SHARDTAP = os.environ["SHARDTAP_COMMAND"]
SAME_NAMES = fixture("fixture_same_names")

# Every test case of fixtures/same_names.cpp by name, class and tags, and what it sleeps.
SLEEPS = {
    ("same name", "", "[a]"): 0.01,
    ("same name", "", "[b]"): 0.06,
    ("same name", "First", "[a]"): 0.03,
    ("same method", "First", ""): 0.02,
    ("same method", "Second", ""): 0.08,
    ("unique 1", "", ""): 0.001,
    ("unique 2", "", "[x]"): 0.001,
    ("unique 3", "", ""): 0.001,
    ("unique 4", "", ""): 0.001,
    ("unique 5", "", ""): 0.001,
}
SHARED = {"same name", "same method"}


def in_stream(name, class_name, tags):
    """What the TAP stream says of a test case: class and tags only where its name is shared."""
    return (name, class_name, tags) if name in SHARED else (name, "", "")


POINT = re.compile(r"^(?:not )?ok \d+ - (.*?)(?: # time=\d+\.\d{3}ms)?\n"
                   r"(?:# shardtap class: (.*)\n)?(?:# shardtap tags: (.*)\n)?", re.M)


def identities(stream):
    """The test points of a stream, each as (name, class, tags) from its point and its lines."""
    return [(name, class_name or "", tags or "") for name, class_name, tags in POINT.findall(stream)]


def shardtap(*args, env=None):
    return subprocess.run([SHARDTAP, *args], env=clean_environment(**(env or {})),
                          capture_output=True, text=True, timeout=300)


class SameNamesTest(WorkDirectory):
    prefix = "shardtap-identity-"

    def test_every_test_case_runs_once_on_1_to_7_nodes_and_merges(self):
        everything = collections.Counter(in_stream(*key) for key in SLEEPS)
        for nodes in range(1, 8):
            with self.subTest(nodes=nodes):
                out = self.path(f"out-{nodes}")
                result = shardtap("run", "-n", str(nodes), "--out", out, "--tap", f"{out}.tap",
                                  "--durations", f"{out}.json", "--", SAME_NAMES, "-r", "tap-stream")
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("10 test cases: 10 passed, 0 failed", result.stdout)
                seen = collections.Counter()
                for i in range(nodes):
                    with open(os.path.join(out, f"node-{i}.tap")) as file:
                        seen.update(identities(file.read()))
                self.assertEqual(seen, everything)
                with open(f"{out}.tap") as file:
                    self.assertEqual(collections.Counter(identities(file.read())), everything)

                # Catch2's own account of the same split: each test case on exactly one node.
                by_catch2 = collections.Counter()
                for i in range(nodes):
                    by_catch2.update(ran(SAME_NAMES, env={"SHARDTAP_NODE_TOTAL": nodes,
                                                          "SHARDTAP_NODE_INDEX": i}))
                self.assertEqual(by_catch2, collections.Counter(ran(SAME_NAMES)))
                self.assertEqual(len(by_catch2), len(SLEEPS))

                # An entry per test case, each at least its own sleep (an upper bound would
                # fail on a loaded machine).
                recorded = durations_entries(f"{out}.json")
                self.assertEqual(sorted(recorded), sorted(SLEEPS))
                for key, seconds in SLEEPS.items():
                    self.assertGreaterEqual(recorded[key], seconds, key)

    def test_lines_only_where_a_name_is_shared_and_every_consumer_reads_them(self):
        result = subprocess.run([SAME_NAMES, "-r", "tap-stream", "--order", "decl"],
                                env=clean_environment(), capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = re.sub(r" # time=\d+\.\d{3}ms$", "", result.stdout.decode(), flags=re.M)
        self.assertIn("ok 1 - same name\n# shardtap tags: [a]\n"
                      "ok 2 - same name\n# shardtap tags: [b]\n"
                      "ok 3 - same name\n# shardtap class: First\n# shardtap tags: [a]\n"
                      "ok 4 - same method\n# shardtap class: First\n"
                      "ok 5 - same method\n# shardtap class: Second\n"
                      "ok 6 - unique 1\nok 7 - unique 2\n", text)
        self.assertEqual(text.count("# shardtap class:") + text.count("# shardtap tags:"), 6)
        for consume in CONSUMERS:
            summary = consume(result.stdout)
            with self.subTest(consumer=summary.consumer):
                self.assertEqual(summary.problems, [])
                self.assertEqual(summary.counts()["passed"], 10)

    def test_a_split_by_the_recorded_file_keeps_same_names_apart(self):
        recorded = self.path("durations.json")
        first = shardtap("run", "-n", "3", "--out", self.path("first"), "--durations", recorded,
                         "--", SAME_NAMES, "-r", "tap-stream")
        self.assertEqual(first.returncode, 0, first.stderr)
        second = shardtap("run", "-n", "3", "--out", self.path("second"), "--", SAME_NAMES,
                          "-r", "tap-stream", env={"SHARDTAP_DURATIONS": recorded})
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        predicted = []
        for i in range(3):
            with open(self.path("second", f"node-{i}.tap")) as file:
                predicted.append(float(re.search(r"^# shardtap predicted_seconds: (\S+)$",
                                                 file.read(), re.M).group(1)))
        # Each test case weighs its own time: the loads add up to the recorded total (the
        # header rounds each load to 4 digits); one time for a shared name would not.
        self.assertAlmostEqual(sum(predicted), sum(durations_entries(recorded).values()), delta=0.003)


if __name__ == "__main__":
    unittest.main()
