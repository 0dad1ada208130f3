"""After the run, as real processes: each test point's time (read back by tap-parser and by
`merge --durations`), `--failed FILE` rerunning exactly what failed whatever its name, and
`shardtap plan`."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import WorkDirectory, clean_environment, durations_by_name, fixture, run  # noqa: E402
from tap_consumers import tap_parser  # noqa: E402

SHARDTAP = os.environ["SHARDTAP_COMMAND"]
SLOW_TESTS = os.environ["SHARDTAP_SLOW_TESTS"]
CASES = fixture("fixture_tap_cases")
SLEEPY = fixture("fixture_sleepy")
NAMES = fixture("fixture_rerun_names")
SAMPLE_NAMES = [f"test_slow[5-{i:02}]" for i in range(20)]


def shardtap(*args, env=None, timeout=300):
    return subprocess.run([SHARDTAP, *args], env=clean_environment(**(env or {})),
                          capture_output=True, text=True, timeout=timeout)


def listed(binary, *args):
    """The test cases Catch2 itself selects for args: its --list-tests in XML."""
    result = run(binary, "--list-tests", "-r", "xml", *args)
    root = ElementTree.fromstring(result.stdout)
    return sorted(case.findtext("Name") for case in root.iter("TestCase"))


class Work(WorkDirectory):
    prefix = "shardtap-after-run-"

    def read(self, name, mode="r"):
        with open(self.path(name), mode) as file:
            return file.read()

    def node_streams(self, out):
        return sorted(self.path(out, name) for name in os.listdir(self.path(out)) if name.endswith(".tap"))


class TimesTest(Work):
    def test_tap_parser_reads_every_points_time(self):
        stream = run(CASES, "-r", "tap-stream").stdout
        summary = tap_parser(stream)
        self.assertEqual(summary.problems, [])
        self.assertGreater(len(summary.times), 40)
        for name, time in zip(summary.names, summary.times):
            self.assertIsInstance(time, (int, float), name)
        self.assertRegex(stream.decode(), r"\nok \d+ - passes # time=\d+\.\d{3}ms\n")
        # SKIP and TODO take the place after the description: the time is the block's duration_ms.
        self.assertRegex(stream.decode(), r"\nok \d+ - skips # SKIP [^\n]*\n  ---\n  duration_ms: \d+\.\d{3}\n  \.\.\.\n")

    def test_merge_takes_the_durations_from_the_streams(self):
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                out = f"out{len(option)}"
                shardtap("run", "-n", "3", "--out", self.path(out), "--", SLEEPY, "-r", f"tap-stream{option}")
                merged = shardtap("merge", "--durations", self.path(f"{out}.json"), *self.node_streams(out))
                self.assertEqual(merged.returncode, 0, merged.stderr)
                recorded = durations_by_name(self.path(f"{out}.json"))
                self.assertEqual(sorted(recorded), [f"sleep {i:02}" for i in range(1, 13)])
                for i in range(1, 13):
                    slow = i % 3 == 1
                    self.assertEqual(recorded[f"sleep {i:02}"] >= 0.3, slow, recorded)
                    self.assertLess(recorded[f"sleep {i:02}"], 1.0 if slow else 0.3, recorded)
        # The next run balances by it: the three slow test cases on three nodes.
        balanced = shardtap("run", "-n", "3", "--out", self.path("next"), "--", SLEEPY, "-r", "tap-stream",
                            env={"SHARDTAP_DURATIONS": self.path("out0.json")})
        self.assertEqual(balanced.returncode, 0, balanced.stderr)
        slow = [len(re.findall(r"- sleep (01|04|07|10)", self.read(stream))) for stream in self.node_streams("next")]
        self.assertEqual(sorted(slow), [1, 1, 2])


class FailedTest(Work):
    def test_the_file_reruns_exactly_the_failed_test_cases_whatever_their_names(self):
        expected = listed(NAMES, "[fails]")
        self.assertEqual(len(expected), 13)
        first = shardtap("run", "-n", "3", "--out", self.path("first"), "--failed", self.path("failed.txt"),
                         "--", NAMES, "-r", "tap-stream")
        self.assertEqual(first.returncode, 1, first.stderr)
        self.assertNotIn("warning", first.stderr)
        lines = self.read("failed.txt").splitlines()
        self.assertEqual(len(lines), len(expected))
        # Catch2 reads the file as exactly those test cases...
        self.assertEqual(listed(NAMES, "-f", self.path("failed.txt")), expected)
        self.assertEqual(listed(NAMES, "--input-file", self.path("failed.txt")), expected)
        # ... so a rerun split again runs exactly them, and they fail again.
        again = shardtap("run", "-n", "2", "--out", self.path("again"), "--failed", self.path("again.txt"),
                         "--", NAMES, "-r", "tap-stream", "-f", self.path("failed.txt"))
        self.assertEqual(again.returncode, 1, again.stderr)
        names = []
        for stream in self.node_streams("again"):
            summary = tap_parser(self.read(stream, "rb"))
            self.assertEqual((summary.passed, summary.todo), (0, 0))
            names += summary.names
        self.assertEqual(sorted(name.strip() for name in names), sorted(name.strip() for name in expected))
        # Its own file names the same test cases; but the rerun's streams know nothing of the
        # passing test cases the star patterns also select, so it cannot exclude them (docs/command.md).
        self.assertEqual(listed(NAMES, "-f", self.path("again.txt")),
                         sorted(expected + ["trailing star* and more", "x*leading star"]))
        # merge writes the same file from the node streams alone.
        merged = shardtap("merge", "--failed", self.path("merged.txt"), *self.node_streams("first"))
        self.assertEqual(merged.returncode, 1, merged.stderr)
        self.assertEqual(self.read("merged.txt"), self.read("failed.txt"))

    def test_nothing_failed_writes_an_empty_file(self):
        result = shardtap("run", "-n", "4", "--failed", self.path("failed.txt"), "--", SLOW_TESTS,
                          "-r", "tap-stream", env={"WAIT_TIME_SCALE": "0.01"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read("failed.txt"), "")

    def test_a_crashed_test_case_is_listed_and_what_its_node_never_ran_is_named(self):
        # "*" selects the hidden test case that crashes too; it is declared first, so its node
        # stops before the rest of its share.
        result = shardtap("run", "-n", "2", "--out", self.path("out"), "--failed", self.path("failed.txt"),
                          "--", NAMES, "-r", "tap-stream", "--order", "decl", "*")
        self.assertEqual(result.returncode, 2, result.stderr)  # a node bailed out
        lines = self.read("failed.txt").splitlines()
        self.assertIn('"crashes first"', lines)
        self.assertRegex(result.stderr, r"warning: --failed: node \d \([^)]*\) stopped after 1 of its \d+ "
                                        r"test cases; the \d+ it never ran are not in the file")

    def test_an_output_that_cannot_be_written(self):
        result = shardtap("run", "-n", "1", "--failed", self.path("no", "such", "dir.txt"), "--", SLOW_TESTS,
                          "-r", "tap-stream", env={"WAIT_TIME_SCALE": "0.01"})
        self.assertEqual(result.returncode, 73, result.stderr)
        self.assertIn("cannot write the failed test cases", result.stderr)


class PlanTest(Work):
    def write_sample_durations(self):
        with open(self.path("durations.json"), "w") as file:
            json.dump({"format": "shardtap-durations", "version": 1,
                       "durations": {name: 5.0 for name in SAMPLE_NAMES}}, file)

    def rows(self, stdout):
        rows = {}
        for line in stdout.splitlines():
            cells = re.match(r"^\s*(\d+)\s+([\d.]+) s\s+([\d.]+) s\s+([\d.]+) s\s+([\d.]+)x\s+([\d.]+)$", line)
            if cells:
                rows[int(cells[1])] = [float(cell) for cell in cells.groups()[1:]]
        return rows

    def test_the_sample_10_nodes_as_fast_as_12_and_20_twice_as_fast(self):
        self.write_sample_durations()
        result = shardtap("plan", "--durations", self.path("durations.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = self.rows(result.stdout)
        self.assertEqual(sorted(rows), list(range(1, 33)))
        self.assertEqual(rows[10][1], rows[12][1])       # duration strategy: 10 s on 10 and 12
        self.assertEqual(rows[12][1], 2 * rows[20][1])    # 20 nodes: 5 s
        self.assertEqual(rows[12][4], 1.2 * rows[10][4])  # 12 nodes bill a fifth more
        self.assertIn("choose 20 nodes", result.stdout)

    def test_node_overhead_is_in_every_row_and_the_choice(self):
        self.write_sample_durations()
        result = shardtap("plan", "--durations", self.path("durations.json"), "--node-overhead", "1000",
                          "--max-nodes", "24")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = self.rows(result.stdout)
        self.assertEqual(sorted(rows), list(range(1, 25)))
        self.assertEqual(rows[1][1], 1100.0)
        self.assertIn("choose 2 nodes", result.stdout)

    def test_from_the_node_streams_of_a_run(self):
        shardtap("run", "-n", "3", "--out", self.path("out"), "--", SLEEPY, "-r", "tap-stream")
        result = shardtap("plan", "--max-nodes", "4", *self.node_streams("out"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("12 test cases, "), result.stdout)
        rows = self.rows(result.stdout)
        # Round-robin on three nodes gives node 0 all four slow test cases of 0.3 s.
        self.assertGreaterEqual(rows[3][0], 1.2)
        self.assertLess(rows[3][1], 1.0)

    def test_from_a_merged_stream_as_from_its_node_streams(self):
        shardtap("run", "-n", "3", "--out", self.path("out"), "--", SLEEPY, "-r", "tap-stream")
        merged = self.path("merged.tap")
        self.assertEqual(shardtap("merge", "--tap", merged, *self.node_streams("out")).returncode, 0)
        from_nodes = shardtap("plan", "--max-nodes", "4", *self.node_streams("out"))
        from_merged = shardtap("plan", "--max-nodes", "4", merged)
        self.assertEqual(from_merged.returncode, 0, from_merged.stderr)
        self.assertEqual(self.rows(from_merged.stdout), self.rows(from_nodes.stdout))

    def test_bad_input_has_the_exit_statuses_of_merge(self):
        with open(self.path("not.tap"), "w") as file:
            file.write("this is not TAP\n")
        with open(self.path("bad.json"), "w") as file:
            file.write('{"format": "shardtap-durations", "version": 1, "durations": {"x": "slow"}}')
        cases = [(["--durations", self.path("missing.json")], 66),
                 ([self.path("missing.tap")], 66),
                 (["--durations", self.path("bad.json")], 65),
                 ([self.path("not.tap")], 65),
                 ([], 64),
                 (["--max-nodes", "0", self.path("not.tap")], 64)]
        for args, status in cases:
            with self.subTest(args=args):
                result = shardtap("plan", *args)
                self.assertEqual(result.returncode, status, result.stderr)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1 if status != 64 else 2, result.stderr)


if __name__ == "__main__":
    unittest.main()
