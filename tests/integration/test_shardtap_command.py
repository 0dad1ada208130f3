"""`shardtap run` and `shardtap merge` with real processes: node environments, node files,
progress, the summary, merged outputs, every verification problem and every bad input."""
import json
import os
import pty
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import WorkDirectory, clean_environment, durations_by_name, durations_entries, fixture  # noqa: E402
from tap_consumers import tap_parser  # noqa: E402

SHARDTAP = os.environ["SHARDTAP_COMMAND"]
SLOW_TESTS = os.environ["SHARDTAP_SLOW_TESTS"]
OUTCOMES = fixture("fixture_outcomes")
SUITE = fixture("fixture_suite")
NAMES = [f"test_slow[5-{i:02}]" for i in range(20)]
# Where the command's synopses and exit statuses are written for users.
COMMAND_PAGE = os.path.join(os.environ["SHARDTAP_SOURCE_DIR"], "docs", "command.md")


def shardtap(*args, env=None, timeout=300, **kwargs):
    return subprocess.run([SHARDTAP, *args], env=clean_environment(**(env or {})),
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def tap_points(path):
    """The test point descriptions of a TAP file, read by tap-parser (strict), and its exit
    status."""
    with open(path, "rb") as file:
        summary = tap_parser(file.read())
    return summary.names, summary.exit_status


class Work(WorkDirectory):
    prefix = "shardtap-command-"

    def run_sample(self, nodes, out, *sample_args, **extra):
        return shardtap("run", "-n", str(nodes), "--out", self.path(out), *extra.pop("options", ()),
                        "--", SLOW_TESTS, "-r", "tap-stream", *sample_args,
                        env={"WAIT_TIME_SCALE": "0.002"})


class RunTest(Work):
    def test_twelve_nodes_run_the_sample_once_and_merge(self):
        result = self.run_sample(12, "out", options=("--junit", self.path("junit.xml"),
                                                     "--tap", self.path("merged.tap")))
        self.assertEqual(result.returncode, 0, result.stderr)
        files = sorted(os.listdir(self.path("out")))
        self.assertEqual(files, [f"node-{i:02}.{ext}" for i in range(12) for ext in ("log", "tap", "tmp")])
        self.assertIn("shardtap: 12 nodes, 20 test cases: 20 passed, 0 failed, 0 skipped", result.stdout)
        self.assertRegex(result.stdout, r"wall time [\d.]+ s for [\d.]+ s of node time")
        rows = [line.split() for line in result.stdout.splitlines() if re.match(r"^\s+\d+\s+\d", line)]
        self.assertEqual([row[0] for row in rows], [str(i) for i in range(12)])
        self.assertEqual([int(row[1]) for row in rows], [2] * 8 + [1] * 4)

        seen = []
        for i in range(12):
            points, status = tap_points(self.path("out", f"node-{i:02}.tap"))
            self.assertEqual(status, 0)
            seen += points
        self.assertEqual(sorted(seen), NAMES)
        merged, status = tap_points(self.path("merged.tap"))
        self.assertEqual(status, 0)
        self.assertEqual(sorted(merged), NAMES)
        junit = ElementTree.parse(self.path("junit.xml")).getroot()
        self.assertEqual(junit.get("tests"), "20")
        self.assertEqual(junit.get("failures"), "0")
        self.assertEqual(len(junit.findall("testsuite")), 12)
        self.assertEqual(sorted(case.get("name") for case in junit.iter("testcase")), NAMES)

    def test_one_name_on_two_fixture_classes_is_two_test_cases(self):
        # fixture_suite: TEST_CASE_METHOD "same name, two fixtures" on two classes, which the
        # split may put on two nodes; the class line after each point tells them apart.
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--tap", self.path("merged.tap"),
                          "--", SUITE, "-r", "tap-stream")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("3 nodes, 59 test cases: 59 passed, 0 failed", result.stdout)
        classes = []
        for i in range(3):
            points, status = tap_points(self.path("out", f"node-{i}.tap"))
            self.assertEqual(status, 0)
            with open(self.path("out", f"node-{i}.tap")) as file:
                classes += re.findall(r"^ok \d+ - same name, two fixtures(?: # time=\d+\.\d{3}ms)?\n"
                                      r"# shardtap class: (.*)$",
                                      file.read(), re.M)
        self.assertEqual(sorted(classes), ["FirstFixture", "SecondFixture"])
        merged, status = tap_points(self.path("merged.tap"))
        self.assertEqual(status, 0)
        self.assertEqual(len(merged), 59)
        # The same class on two nodes is still one test case run twice.
        copy = self.path("node-0-again.tap")
        shutil.copy(self.path("out", "node-0.tap"), copy)
        again = shardtap("merge", *[self.path("out", f"node-{i}.tap") for i in range(3)], copy)
        self.assertEqual(again.returncode, 2)
        self.assertIn("ran on more than one node", again.stderr)

    def test_each_node_gets_its_own_node_variables(self):
        script = self.path("env.sh")
        with open(script, "w") as file:
            file.write("#!/bin/sh\necho \"$SHARDTAP_NODE_INDEX $SHARDTAP_NODE_TOTAL "
                       "$CI_NODE_INDEX $CI_NODE_TOTAL\" >&2\necho 'All tests passed'\n")
        os.chmod(script, 0o755)
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--", script,
                          env={"CI_NODE_TOTAL": 99, "CI_NODE_INDEX": 98})
        for i in range(3):
            with open(self.path("out", f"node-{i}.log")) as log:
                self.assertEqual(log.read(), f"{i} 3 {i} 3\n")
        # The script writes no TAP: merge says so, with a hint, as bad input.
        self.assertEqual(result.returncode, 65, result.stderr)
        self.assertIn("-r tap-stream", result.stderr)

    def test_a_failing_test_fails_the_run(self):
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--", OUTCOMES, "-r", "tap-stream",
                          env={"FIXTURE_FAIL": "3,6"})
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("8 test cases: 6 passed, 2 failed", result.stdout)

    def test_a_crashing_node_is_a_verification_problem(self):
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--", OUTCOMES, "-r", "tap-stream",
                          env={"FIXTURE_CRASH": "4"})
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertRegex(result.stderr, r"node \d \(.*node-\d\.tap\) bailed out after")
        self.assertIn("node-*.log", result.stderr)

    def test_progress_is_plain_lines_off_a_terminal(self):
        result = shardtap("run", "-n", "2", "--out", self.path("out"), "--", OUTCOMES, "-r", "tap-stream",
                          env={"FIXTURE_SLEEP": "0.3"})
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [l for l in result.stderr.splitlines() if "tests finished" in l]
        self.assertGreaterEqual(len(lines), 2)
        self.assertNotIn("\r", result.stderr)
        self.assertRegex(lines[-1], r"^shardtap: 8/8 tests finished, 0 failed, 0 of 2 nodes running, [\d.]+ s$")

    def test_progress_is_one_redrawn_line_on_a_terminal(self):
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [SHARDTAP, "run", "-n", "2", "--out", self.path("out"), "--", OUTCOMES, "-r", "tap-stream"],
            env=clean_environment(FIXTURE_SLEEP="0.3"), stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        screen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        process.wait(timeout=60)
        os.close(leader)
        self.assertEqual(process.returncode, 0)
        text = screen.decode().replace("\r\n", "\n")  # the terminal's own line ends
        redraws = text.count("\r")
        self.assertGreaterEqual(redraws, 3)
        self.assertEqual(text.count("\x1b[K"), redraws)
        self.assertEqual(text.count("tests finished"), redraws)
        self.assertIn("8/8 tests finished", text)


def session_processes(session):
    """The pids of the processes still alive in `session` (a process started with
    start_new_session=True: its pid), read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        # After the name: state, ppid, pgrp, session. A zombie has ended: one left by a node's
        # child that was killed waits for whatever reaps orphans here (pid 1 may be slow to).
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry))
    return found


def no_process_left(session):
    """Every process of `session` has ended, allowing the kernel a moment to finish one that a
    SIGKILL to the node's group reached just before shardtap exited (a wrapper's child, such as
    `sleep 60` under sh). One still alive after 5 s was left running."""
    wait_until(lambda: session_processes(session) == [], 5, "every process of the run ended")


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds} s still not: {what}")
        time.sleep(0.05)


class StopTest(Work):
    """A `shardtap run` told to stop: its nodes get the signal, what they wrote is merged, it
    exits 128 + the signal number, and no process of it is left."""

    def start(self, command, nodes=3, env=None):
        process = subprocess.Popen(
            [SHARDTAP, "run", "-n", str(nodes), "--out", self.path("out"), "--", *command],
            env=clean_environment(**(env or {})), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        return process

    def start_slow_run(self):
        """Three nodes of eight test cases that take 5 s each; returns once every node runs a
        test case (its plan is out) and every node is a process of the run."""
        process = self.start([OUTCOMES, "-r", "tap-stream"], env={"FIXTURE_SLEEP": "5"})

        def planned(i):
            try:
                with open(self.path("out", f"node-{i}.tap"), "rb") as file:
                    return b"\n1.." in file.read()
            except FileNotFoundError:
                return False
        wait_until(lambda: all(planned(i) for i in range(3)), 60, "every node wrote its plan")
        time.sleep(0.2)  # the plan is written as the run starts: let the first test case begin
        self.assertGreaterEqual(len(session_processes(process.pid)), 4, "shardtap and its 3 nodes")
        return process

    def check_stopped(self, signal_number, name):
        process = self.start_slow_run()
        os.kill(process.pid, signal_number)
        stdout, stderr = process.communicate(timeout=60)
        self.assertEqual(process.returncode, 128 + signal_number, stderr)
        no_process_left(process.pid)
        self.assertIn(f"shardtap: {name}: passed on to 3 nodes still running", stderr)
        self.assertIn("shardtap: 3 nodes, ", stdout)  # the merge's summary
        for i in range(3):
            self.assertRegex(stderr, rf"node {i} \(.*node-{i}\.tap\) was cut short after \d+ test points?: "
                                     rf"shardtap run stopped it with signal {signal_number}")
        # What each node wrote before it stopped is intact TAP (a bail-out, not a pass).
        for i in range(3):
            names, status = tap_points(self.path("out", f"node-{i}.tap"))
            self.assertNotEqual(status, 0)

    def test_sigterm_stops_the_nodes_and_merges_them_as_cut_short(self):
        self.check_stopped(signal.SIGTERM, "SIGTERM")

    def test_sigint_stops_the_nodes_and_merges_them_as_cut_short(self):
        self.check_stopped(signal.SIGINT, "SIGINT")

    def test_a_second_signal_kills_nodes_that_ignore_the_first(self):
        script = self.path("stubborn.sh")
        with open(script, "w") as file:
            file.write("#!/bin/sh\ntrap '' TERM\necho started >&2\nsleep 60\n")
        os.chmod(script, 0o755)
        process = self.start([script])
        logs = [self.path("out", f"node-{i}.log") for i in range(3)]
        wait_until(lambda: all(os.path.exists(l) and os.path.getsize(l) > 0 for l in logs), 30, "nodes started")
        os.kill(process.pid, signal.SIGTERM)
        time.sleep(1)
        self.assertIsNone(process.poll(), "shardtap ended while its nodes ignored SIGTERM")
        self.assertGreaterEqual(len(session_processes(process.pid)), 4)
        os.kill(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
        self.assertEqual(process.returncode, 143, stderr)
        no_process_left(process.pid)
        self.assertIn("shardtap: SIGTERM again: killed 3 nodes", stderr)

    def test_a_failed_write_stops_every_node(self):
        # shardtap's stderr is a pipe nobody reads: its first line fails (EPIPE, not a SIGPIPE
        # that would end it on the spot) and the nodes must not outlive it.
        reader, writer = os.pipe()
        os.close(reader)
        process = subprocess.Popen(
            [SHARDTAP, "run", "-n", "3", "--out", self.path("out"), "--", OUTCOMES, "-r", "tap-stream"],
            env=clean_environment(FIXTURE_SLEEP="5"), stdout=subprocess.DEVNULL, stderr=writer,
            start_new_session=True)
        os.close(writer)
        self.assertEqual(process.wait(timeout=30), 70)
        no_process_left(process.pid)
        self.assertTrue(os.path.exists(self.path("out", "node-0.tap")), "the nodes had started")


class TmpdirTest(Work):
    """Each local node gets a TMPDIR of its own, DIR/node-i.tmp."""

    def run_logging(self, *options):
        log = self.path("tmpdirs.log")
        result = shardtap("run", "-n", "3", *options, "--", OUTCOMES, "-r", "tap-stream",
                          env={"FIXTURE_TMPDIR_LOG": log, "TMPDIR": self.work})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)  # each existed
        with open(log) as file:
            seen = {tuple(line.split(" ", 1)) for line in file.read().splitlines()}
        directory = re.search(r"streams in (.*)$", result.stderr, re.M).group(1)
        return seen, directory

    def test_distinct_and_kept_with_out(self):
        seen, directory = self.run_logging("--out", self.path("out"))
        self.assertEqual(directory, self.path("out"))
        self.assertEqual(seen, {(str(i), self.path("out", f"node-{i}.tmp")) for i in range(3)})
        for i in range(3):
            self.assertTrue(os.path.isdir(self.path("out", f"node-{i}.tmp")))

    def test_removed_afterwards_without_out(self):
        seen, directory = self.run_logging()
        self.assertEqual(os.path.dirname(directory), self.work)  # a new directory under $TMPDIR
        self.assertEqual(seen, {(str(i), os.path.join(directory, f"node-{i}.tmp")) for i in range(3)})
        self.assertEqual(sorted(os.listdir(directory)),
                         sorted(f"node-{i}.{ext}" for i in range(3) for ext in ("log", "tap")))

    def test_a_stale_tmpdir_in_out_is_emptied(self):
        os.makedirs(self.path("out", "node-1.tmp"))
        open(self.path("out", "node-1.tmp", "left-over"), "w").close()
        self.run_logging("--out", self.path("out"))
        self.assertEqual(os.listdir(self.path("out", "node-1.tmp")), [])


class TimeoutOptionTest(Work):
    def test_every_node_gets_the_timeout(self):
        script = self.path("env.sh")
        with open(script, "w") as file:
            file.write("#!/bin/sh\necho \"timeout=$SHARDTAP_TEST_TIMEOUT\" >&2\n")
        os.chmod(script, 0o755)
        shardtap("run", "-n", "2", "--timeout", "2.5", "--out", self.path("out"), "--", script,
                 env={"SHARDTAP_TEST_TIMEOUT": "99"})
        for i in range(2):
            with open(self.path("out", f"node-{i}.log")) as log:
                self.assertEqual(log.read(), "timeout=2.5\n")

    def test_a_bad_timeout_is_a_usage_error(self):
        for value in ("0", "-1", "soon", "", "1e3", "1000001"):
            with self.subTest(value=value):
                result = shardtap("run", "-n", "2", "--timeout", value, "--out", self.path("out"), "--", SUITE)
                self.assertEqual(result.returncode, 64)
                self.assertEqual(result.stderr.splitlines()[0],
                                 "shardtap: run: --timeout must be a number of seconds above 0 and up to "
                                 f"1000000, such as 90 or 2.5, not \"{value}\"")
                self.assertFalse(os.path.exists(self.path("out")))


class BadInputTest(Work):
    def test_node_count_outside_1_to_1024(self):
        for value in ("0", "1025", "-3", "twelve", ""):
            with self.subTest(value=value):
                result = shardtap("run", "-n", value, "--", SLOW_TESTS)
                self.assertEqual(result.returncode, 64)
                self.assertIn(f"-n must be a whole number from 1 to 1024, not \"{value}\"", result.stderr)

    def test_missing_or_non_executable_command(self):
        text_file = self.path("not-executable")
        open(text_file, "w").close()
        cases = [(self.path("no-such-binary"), 127, "no such command"),
                 ("no-such-command-anywhere", 127, "command not found on PATH"),
                 (text_file, 126, "is not executable"),
                 (self.work, 126, "is a directory")]
        for command, status, message in cases:
            with self.subTest(command=command):
                result = shardtap("run", "-n", "2", "--out", self.path("out"), "--", command)
                self.assertEqual(result.returncode, status, result.stderr)
                self.assertIn(message, result.stderr)
                self.assertFalse(os.path.exists(self.path("out")), "nothing may start")

    def test_usage_errors(self):
        for args, message in [((), "shardtap run, merge or plan"),
                              (("run", "-n", "2"), "no command after --"),
                              (("run", "-n", "2", SLOW_TESTS), "give the command after --"),
                              (("merge",), "give the nodes' TAP files"),
                              (("frobnicate",), "unknown command")]:
            with self.subTest(args=args):
                result = shardtap(*args)
                self.assertEqual(result.returncode, 64)
                self.assertIn(message, result.stderr)
                self.assertIn("shardtap --help", result.stderr)


class ExitStatusListsTest(unittest.TestCase):
    """The statuses are said three times: ExitStatus in the code, the help, docs/command.md. One
    list: the code's."""

    @staticmethod
    def code_statuses():
        path = os.path.join(os.environ["SHARDTAP_SOURCE_DIR"], "tools", "src", "cli", "exit_status.hpp")
        with open(path) as file:
            return sorted(int(value) for value in re.findall(r"= (\d+),", file.read()))

    def test_the_help_and_the_command_page_list_the_codes_statuses(self):
        code = self.code_statuses()
        self.assertIn(64, code)
        help_text = shardtap("--help").stdout
        paragraph = help_text[help_text.index("Exit status:"):]
        helped = sorted(int(n) for n in re.findall(r"(?:Exit status: |;\s+)(\d+) (?!\+)", paragraph))
        self.assertEqual(helped, code)
        self.assertIn("128 + N", paragraph)
        with open(COMMAND_PAGE) as file:
            page = file.read()
        table = page[page.index("| status | meaning |"):].split("\n\n")[0]
        rows = re.findall(r"^\| (\d+) \|", table, re.M)
        self.assertEqual(sorted(int(row) for row in rows), code)
        self.assertIn("| 128 + N |", table)


class SynopsisTest(unittest.TestCase):
    def test_the_command_pages_synopses_are_the_helps(self):
        def synopses(text):
            # "shardtap SUBCOMMAND ..." and its indented continuation lines, blanks collapsed.
            found = [" ".join(block.split()) for block in
                     re.findall(r"^(shardtap (?:run|merge|plan) .*(?:\n {10,}\S.*)*)", text, re.M)]
            self.assertEqual(len(found), 3, found)  # one each, nothing else that looks like one
            return {block.split()[1]: block for block in found}
        with open(COMMAND_PAGE) as file:
            page = synopses(file.read())
        helped = synopses(shardtap("--help").stdout)
        self.assertEqual(sorted(helped), ["merge", "plan", "run"])
        self.assertEqual(page, helped)


class MergeTest(Work):
    def setUp(self):
        super().setUp()
        result = self.run_sample(12, "twelve")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.nodes = [self.path("twelve", f"node-{i:02}.tap") for i in range(12)]

    def merge(self, *files, **kwargs):
        return shardtap("merge", *files, **kwargs)

    def test_merging_a_whole_run(self):
        result = self.merge(*reversed(self.nodes), "--junit", self.path("j.xml"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("12 nodes, 20 test cases: 20 passed", result.stdout)
        self.assertRegex(result.stdout, r"longest node [\d.]+ s, sum of the nodes' times [\d.]+ s")
        self.assertEqual(len(ElementTree.parse(self.path("j.xml")).getroot().findall("testsuite")), 12)

    def test_a_missing_node(self):
        result = self.merge(*self.nodes[:4], *self.nodes[5:])
        self.assertEqual(result.returncode, 2)
        self.assertIn("1 of the 12 nodes has no stream: node 4", result.stderr)

    def test_a_node_given_twice(self):
        result = self.merge(*self.nodes, self.nodes[3])
        self.assertEqual(result.returncode, 2)
        self.assertIn("node 3 appears 2 times", result.stderr)
        self.assertIn("ran on more than one node", result.stderr)

    def test_nodes_of_different_splits(self):
        other = self.run_sample(12, "filtered", r"test_slow\[5-0*")
        self.assertEqual(other.returncode, 0, other.stderr)
        result = self.merge(self.path("filtered", "node-00.tap"), *self.nodes[1:])
        self.assertEqual(result.returncode, 2)
        self.assertIn("the nodes computed different splits", result.stderr)

    def test_nodes_of_different_node_counts(self):
        other = self.run_sample(3, "three")
        self.assertEqual(other.returncode, 0, other.stderr)
        result = self.merge(self.path("three", "node-0.tap"), *self.nodes[1:])
        self.assertEqual(result.returncode, 2)
        self.assertIn("the streams disagree on the node count", result.stderr)

    def test_a_stream_cut_short(self):
        with open(self.nodes[0]) as file:
            text = file.read()
        cut = self.path("cut.tap")
        with open(cut, "w") as file:
            file.write(text[:text.index("ok 2 ")])
        result = self.merge(cut, *self.nodes[1:])
        self.assertEqual(result.returncode, 2)
        self.assertIn("cut.tap) ended before its plan, after 1 test point (the node died?)", result.stderr)

    def test_a_file_that_is_not_tap(self):
        junk = self.path("junk.tap")
        with open(junk, "w") as file:
            file.write("All tests passed (2 assertions in 2 test cases)\n")
        result = self.merge(junk, *self.nodes[1:])
        self.assertEqual(result.returncode, 65)
        self.assertIn("junk.tap is not a TAP stream: line 1", result.stderr)

    def test_a_file_that_cannot_be_read(self):
        result = self.merge(self.path("nowhere.tap"), *self.nodes)
        self.assertEqual(result.returncode, 66)
        self.assertIn("cannot read", result.stderr)
        self.assertIn("nowhere.tap", result.stderr)



def tap_escaped(raw):
    """Bytes as TAP text the way the reader unescapes them: everything but printable ASCII as
    \\xHH (spaces too, so that none is trimmed), backslash and hash escaped."""
    return "".join("\\\\" if b == 0x5C else "\\#" if b == 0x23 else chr(b) if 0x20 < b < 0x7F
                   else f"\\x{b:02x}" for b in raw)


def yaml_quoted(raw):
    return '"' + "".join('\\\\' if b == 0x5C else '\\"' if b == 0x22 else chr(b) if 0x20 <= b < 0x7F
                         else f"\\x{b:02x}" for b in raw) + '"'


def xml_read_back(raw):
    """What an XML parser reads from shardtap's JUnit XML for the bytes `raw`: each UTF-8
    character XML 1.0 allows as itself, every other byte as \\xHH."""
    out, i = [], 0
    while i < len(raw):
        char = None
        for n in (1, 2, 3, 4):
            try:
                char = raw[i:i + n].decode("utf-8")
                break
            except UnicodeDecodeError:
                continue
        if char is None:
            out.append(f"\\x{raw[i]:02x}")
            i += 1
            continue
        cp = ord(char)
        allowed = char in "\t\n\r" or (0x20 <= cp < 0xD800 and cp != 0x7F) or 0xE000 <= cp <= 0xFFFD or cp >= 0x10000
        out.append(char if allowed else "".join(f"\\x{b:02x}" for b in raw[i:i + n]))
        i += n
    return "".join(out)


class JunitTest(Work):
    def test_well_formed_xml_whatever_bytes_the_names_and_messages_hold(self):
        rng = random.Random(1)
        # Random bytes, and the byte sequences that are hardest on a UTF-8 decoder.
        pieces = [b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf5\x80\x80\x80", b"\xf4\x90\x80\x80",
                  b"\xef\xbf\xbf", b"\xc2\x85", b"\x00", b"\x1b", b"]]>", b"\xe2\x9c\x93", b"\xf0\x9f\x90\x9b"]

        def random_bytes():
            return b"".join(rng.choice(pieces) if rng.random() < 0.3 else bytes([rng.randrange(256)])
                            for _ in range(rng.randrange(1, 24)))

        names, reasons, files = [], [], []
        for index in range(2):
            lines = ["TAP version 14", "1..40", f"# shardtap node_index: {index}", "# shardtap node_total: 2",
                     f"# shardtap fingerprint: {tap_escaped(random_bytes())}"]  # they disagree: a problem
            for number in range(1, 41):
                name = random_bytes()
                names.append(name)
                if number % 3 == 0:
                    reason = random_bytes()
                    reasons.append(reason)
                    lines.append(f"ok {number} - {tap_escaped(name)} # SKIP {tap_escaped(reason)}")
                elif number % 3 == 1:
                    lines += [f"not ok {number} - {tap_escaped(name)}", "  ---",
                              f"  message: {yaml_quoted(random_bytes())}",
                              f"  stdout: {yaml_quoted(random_bytes())}", "  ..."]
                else:
                    lines.append(f"ok {number} - {tap_escaped(name)}")
            stem = random_bytes().replace(b"/", b"_").replace(b"\x00", b"_")  # any other byte
            path = os.path.join(os.fsencode(self.work), b"node-%d-%s.tap" % (index, stem))
            with open(path, "w", encoding="ascii") as file:
                file.write("\n".join(lines) + "\n")
            files.append(path)
        junit = self.path("junit.xml")
        result = subprocess.run([SHARDTAP, "merge", "--junit", junit, *files], capture_output=True,
                                env=clean_environment(), timeout=60)
        self.assertEqual(result.returncode, 2, result.stderr)  # the fingerprints differ
        root = ElementTree.parse(junit).getroot()  # raises on XML that is not well-formed
        cases = [case for case in root.iter("testcase") if case.get("classname") != "shardtap merge"]
        self.assertEqual([case.get("name") for case in cases], [xml_read_back(name) for name in names])
        skipped = [case.find("skipped").get("message") for case in cases if case.find("skipped") is not None]
        self.assertEqual(skipped, ["SKIP: " + xml_read_back(reason) for reason in reasons])
        self.assertEqual(len([case for case in cases if case.find("failure") is not None]), 28)
        streams = [prop.get("value") for prop in root.iter("property") if prop.get("name") == "stream"]
        self.assertEqual(streams, [xml_read_back(path) for path in files])
        (error,) = root.iter("error")
        self.assertIn("the nodes computed different splits", error.text)


SLEEPY = fixture("fixture_sleepy")


class DurationsTest(Work):
    """--durations: the nodes record, the merge updates one file, the next run balances by it."""

    def run_sleepy(self, out, *options, env=None):
        return shardtap("run", "-n", "3", "--out", self.path(out), *options,
                        "--", SLEEPY, "-r", "tap-stream", env=env)

    def read(self, name):
        with open(self.path(name)) as file:
            return json.load(file)

    def test_run_records_then_the_next_run_balances(self):
        first = self.run_sleepy("first", "--durations", self.path("durations.json"))
        self.assertEqual(first.returncode, 0, first.stderr)
        recorded = durations_by_name(self.path("durations.json"))
        self.assertEqual(sorted(recorded), [f"sleep {i:02}" for i in range(1, 13)])
        self.assertGreaterEqual(recorded["sleep 01"], 0.3)
        self.assertLess(recorded["sleep 02"], 0.3)

        second = self.run_sleepy("second", env={"SHARDTAP_DURATIONS": self.path("durations.json")})
        self.assertEqual(second.returncode, 0, second.stderr)
        lines = []
        for i in range(3):
            with open(self.path("second", f"node-{i}.log")) as log:
                lines += [line for line in log if ", duration: " in line]
        self.assertEqual(len(lines), 3, lines)
        self.assertEqual(len({line.rsplit("split ", 1)[1] for line in lines}), 1, lines)
        # The same file, split round-robin, would load its heaviest node more: all four 0.3 s
        # tests land on node 0. Both figures are predictions from one file, so no timing noise.
        heaviest = float(re.search(r"heaviest node ([0-9.]+) s", lines[0]).group(1))
        round_robin = subprocess.run(
            [SLEEPY, "--list-tests"], capture_output=True, text=True, env=clean_environment(
                SHARDTAP_NODE_TOTAL=3, SHARDTAP_NODE_INDEX=0, SHARDTAP_STRATEGY="round-robin",
                SHARDTAP_DURATIONS=self.path("durations.json")))
        round_robin_heaviest = float(
            re.search(r"heaviest node ([0-9.]+) s", round_robin.stderr).group(1))
        self.assertLess(heaviest, round_robin_heaviest, (lines, round_robin.stderr))

    def test_merge_keeps_old_entries_and_ignores_file_order(self):
        run = self.run_sleepy("run", "--durations", self.path("recorded.json"))
        self.assertEqual(run.returncode, 0, run.stderr)
        nodes = [self.path("run", f"node-{i}.durations.json") for i in range(3)]
        taps = [self.path("run", f"node-{i}.tap") for i in range(3)]
        earlier = {"format": "shardtap-durations", "version": 1,
                   "durations": {"a test that was removed": 7.5, "sleep 01": 99.0}}
        results = []
        for name, order in (("forward.json", nodes), ("backward.json", nodes[::-1])):
            with open(self.path(name), "w") as file:
                json.dump(earlier, file)
            options = [arg for node in order for arg in ("--node-durations", node)]
            merged = shardtap("merge", "--durations", self.path(name), *options, *taps)
            self.assertEqual(merged.returncode, 0, merged.stderr)
            results.append(self.read(name))
        self.assertEqual(results[0], results[1])
        # The version 1 entries were by name: the one for a test no longer run stays; the one
        # for a test recorded now gives way to its entry by name, class and tags.
        merged = durations_entries(self.path("forward.json"))
        self.assertEqual(merged[("a test that was removed", None, None)], 7.5)
        self.assertNotIn(("sleep 01", None, None), merged)
        self.assertLess(merged[("sleep 01", "", "[sleepy]")], 99.0, "this run's time replaces the old")
        self.assertEqual(len(merged), 13)

    def test_a_malformed_durations_file_is_bad_input(self):
        with open(self.path("bad.json"), "w") as file:
            file.write('{"format": "shardtap-durations", "version": 1, "durations": {"x": "slow"}}')
        run = self.run_sleepy("run", "--durations", self.path("bad.json"))
        self.assertEqual(run.returncode, 65, run.stderr)
        self.assertIn("bad.json", run.stderr)
        with open(self.path("bad.json")) as file:
            self.assertIn('"slow"', file.read(), "the bad file was overwritten")

    def test_an_inherited_durations_out_reaches_no_node(self):
        shared = self.path("shared.json")
        plain = self.run_sleepy("plain", env={"SHARDTAP_DURATIONS_OUT": shared})
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertFalse(os.path.exists(shared), "the nodes wrote the inherited file")
        recorded = self.run_sleepy("recorded", "--durations", self.path("durations.json"),
                                   env={"SHARDTAP_DURATIONS_OUT": shared})
        self.assertEqual(recorded.returncode, 0, recorded.stderr)
        self.assertFalse(os.path.exists(shared), "the nodes wrote the inherited file")
        for i in range(3):
            with open(self.path("recorded", f"node-{i}.durations.json")) as file:
                self.assertEqual(len(json.load(file)["durations"]), 4)  # 12 round-robin on 3
        self.assertEqual(len(self.read("durations.json")["durations"]), 12)

    def test_a_node_that_died_records_nothing_and_the_rest_is_merged(self):
        earlier = {"format": "shardtap-durations", "version": 1,
                   "durations": {f"sleep {i:02}": 50.0 for i in range(1, 13)}}
        with open(self.path("durations.json"), "w") as file:
            json.dump(earlier, file)
        # Node 1 is killed before it writes anything (SIGKILL: no last words, no durations).
        script = self.path("node.sh")
        with open(script, "w") as file:
            file.write(f'#!/bin/sh\n[ "$SHARDTAP_NODE_INDEX" = 1 ] && kill -KILL $$\nexec "{SLEEPY}" "$@"\n')
        os.chmod(script, 0o755)
        # An earlier run in the same directory left node-1.durations.json behind.
        self.assertEqual(self.run_sleepy("out", "--durations", self.path("other.json")).returncode, 0)
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--durations",
                          self.path("durations.json"), "--", script, "-r", "tap-stream")
        self.assertEqual(result.returncode, 2, result.stderr)  # the dead node: a verification problem
        self.assertIn("node-1.tap was killed by signal 9", result.stderr)
        warnings = [line for line in result.stderr.splitlines() if "no durations file" in line]
        self.assertEqual(len(warnings), 1, result.stderr)
        self.assertIn("node-1.durations.json", warnings[0])
        # The nodes that ran recorded their test cases by identity; the dead node's keep their
        # earlier (version 1, name-only) entries.
        merged = durations_entries(self.path("durations.json"))
        recorded = [key for i in (0, 2) for key in durations_entries(self.path(f"out/node-{i}.durations.json"))]
        self.assertEqual(len(recorded), 8)
        self.assertEqual(sorted(name for name, _, _ in merged), sorted(earlier["durations"]))
        for (name, class_name, tags), seconds in merged.items():
            recorded_now = (name, class_name, tags) in recorded
            self.assertEqual((class_name, tags), ("", "[sleepy]") if recorded_now else (None, None), name)
            self.assertEqual(seconds == 50.0, not recorded_now, name)

    def test_a_malformed_node_durations_file_leaves_the_durations_untouched(self):
        run = self.run_sleepy("run", "--durations", self.path("durations.json"))
        self.assertEqual(run.returncode, 0, run.stderr)
        with open(self.path("durations.json")) as file:
            before = file.read()
        nodes = [self.path("run", f"node-{i}.durations.json") for i in range(3)]
        with open(nodes[1], "w") as file:
            file.write("{")
        taps = [self.path("run", f"node-{i}.tap") for i in range(3)]
        merged = shardtap("merge", "--durations", self.path("durations.json"),
                          *[arg for node in nodes for arg in ("--node-durations", node)], *taps)
        self.assertEqual(merged.returncode, 65, merged.stderr)
        self.assertIn("node-1.durations.json", merged.stderr)
        with open(self.path("durations.json")) as file:
            self.assertEqual(file.read(), before)

    def test_node_durations_without_durations_is_a_usage_error(self):
        result = shardtap("merge", "--node-durations", "x.json", "node-0.tap")
        self.assertEqual(result.returncode, 64)
        self.assertIn("--node-durations needs --durations", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
