"""Durations: recorded by the listener, then balancing the split; bad files stop every node."""
import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import (clean_environment, durations_by_name, durations_entries,  # noqa: E402
                     fixture, is_failure_status, ran, run)

SUITE = fixture("fixture_suite")
SLEEPY = fixture("fixture_sleepy")
DROPIN = fixture("fixture_dropin")
CUSTOM_MAIN = fixture("fixture_custom_main")

# What each of SLEEPY's visible test cases sleeps.
SLEEPS = {f"sleep {i:02}": 0.3 if i % 3 == 1 else 0.05 for i in range(1, 13)}


def durations_file(entries, version=1, format_name="shardtap-durations"):
    return json.dumps({"format": format_name, "version": version, "durations": entries})


def start(binary, *args, env):
    return subprocess.Popen([binary, *args], env=clean_environment(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def split_line(stderr):
    """The node's one-line report on stderr, parsed."""
    lines = [line for line in stderr.decode().splitlines() if line.startswith("shardtap: node")]
    assert len(lines) == 1, stderr
    found = re.search(r", (\S+): (\d+) of (\d+) test cases"
                      r"(?:, predicted (\S+) s \(heaviest node (\S+) s\))?, split (\w+)$", lines[0])
    assert found, lines[0]
    strategy, selected, _, predicted, heaviest, fingerprint = found.groups()
    return {"strategy": strategy, "selected": int(selected), "fingerprint": fingerprint,
            "predicted": predicted and float(predicted), "heaviest": heaviest and float(heaviest)}


def listed(binary, env):
    """The test cases a node would run, from --list-tests: nothing sleeps."""
    result = run(binary, "--list-tests", "-r", "xml", env=env)
    assert result.returncode == 0, result.stderr
    return [e.findtext("Name") for e in ElementTree.fromstring(result.stdout).iter("TestCase")]


class RecordThenBalanceTest(unittest.TestCase):
    def test_recorded_durations_balance_the_next_split_below_round_robin(self):
        nodes = 3
        with tempfile.TemporaryDirectory() as directory:
            recorded_path = os.path.join(directory, "recorded.json")
            result = run(SLEEPY, env={"SHARDTAP_DURATIONS_OUT": recorded_path})
            self.assertEqual(result.returncode, 0, result.stderr)
            recorded = durations_by_name(recorded_path)
            self.assertEqual(sorted(recorded), sorted(SLEEPS))
            for name, seconds in SLEEPS.items():
                self.assertGreaterEqual(recorded[name], seconds, name)
                # Generous: a loaded 2-core machine oversleeps; a unit mix-up would be 1000x off.
                self.assertLess(recorded[name], seconds + 1.0, name)

            # Round-robin's shares, costed with the recorded durations.
            round_robin = [listed(SLEEPY, {"SHARDTAP_NODE_TOTAL": nodes, "SHARDTAP_NODE_INDEX": i})
                           for i in range(nodes)]
            round_robin_makespan = max(sum(recorded[name] for name in share)
                                       for share in round_robin)

            # The duration split, run for real: every node at once, each recording its share.
            processes = [start(SLEEPY, "-r", "xml", env={
                "SHARDTAP_NODE_TOTAL": nodes, "SHARDTAP_NODE_INDEX": i,
                "SHARDTAP_DURATIONS": recorded_path,
                "SHARDTAP_DURATIONS_OUT": os.path.join(directory, f"node{i}.json")})
                for i in range(nodes)]
            outputs = [process.communicate(timeout=60) for process in processes]
            reports = []
            seen = collections.Counter()
            for process, (stdout, stderr) in zip(processes, outputs):
                self.assertEqual(process.returncode, 0, stderr)
                reports.append(split_line(stderr))
                root = ElementTree.fromstring(stdout)
                seen.update(case.get("name") for case in root.iter("TestCase"))
            self.assertEqual(seen, collections.Counter(SLEEPS.keys()), "not every test exactly once")
            self.assertEqual({r["strategy"] for r in reports}, {"duration"})
            self.assertEqual(len({r["fingerprint"] for r in reports}), 1)
            self.assertEqual(len({r["heaviest"] for r in reports}), 1)
            self.assertAlmostEqual(reports[0]["heaviest"], max(r["predicted"] for r in reports),
                                   places=3)

            measured = [durations_by_name(os.path.join(directory, f"node{i}.json"))
                        for i in range(nodes)]
            self.assertEqual(sorted(n for node in measured for n in node), sorted(SLEEPS))
            makespan = max(sum(node.values()) for node in measured)
            # Round-robin puts the four slow tests on node 0 (1.2 s); balanced, no node needs
            # more than two of them (0.6 s plus the small ones).
            self.assertGreater(round_robin_makespan, 1.2)
            self.assertLess(makespan, round_robin_makespan,
                            f"duration {makespan:.3f} s, round-robin {round_robin_makespan:.3f} s")

    def test_a_test_ending_by_an_exception_is_timed_in_full(self):
        with tempfile.TemporaryDirectory() as directory:
            out = os.path.join(directory, "d.json")
            result = run(SLEEPY, "[.fails]", env={"SHARDTAP_DURATIONS_OUT": out})
            self.assertTrue(is_failure_status(result.returncode), result.returncode)
            self.assertGreaterEqual(durations_by_name(out)["sleeps, then fails a REQUIRE"], 0.2)

    def test_command_line_options_of_shardtap_main(self):
        with tempfile.TemporaryDirectory() as directory:
            out = os.path.join(directory, "d.json")
            result = run(SUITE, "--shardtap-durations-out", out,
                         env={"SHARDTAP_DURATIONS_OUT": os.path.join(directory, "env.json")})
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("alpha", [name for name, _, _ in durations_entries(out)])
            self.assertEqual(os.listdir(directory), ["d.json"], "the option wins over the variable")

            env = {"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 1}
            by_option = run(SUITE, "--shardtap-durations", out, env=env)
            by_variable = run(SUITE, env={**env, "SHARDTAP_DURATIONS": out})
            self.assertEqual(by_option.returncode, 0, by_option.stderr)
            self.assertEqual(split_line(by_option.stderr), split_line(by_variable.stderr))
            self.assertEqual(split_line(by_option.stderr)["strategy"], "duration")
            dealt = run(SUITE, "--shardtap-durations", out, "--shardtap-strategy", "round-robin",
                        env=env)
            self.assertEqual(split_line(dealt.stderr)["strategy"], "round-robin")
            self.assertIsNotNone(split_line(dealt.stderr)["predicted"])

    def test_binaries_without_shardtap_main_record_too(self):
        for binary in (DROPIN, CUSTOM_MAIN):
            with tempfile.TemporaryDirectory() as directory:
                out = os.path.join(directory, "d.json")
                result = run(binary, env={"SHARDTAP_DURATIONS_OUT": out})
                self.assertEqual(result.returncode, 0, result.stderr)
                # Two fixtures share a name: an entry each.
                self.assertEqual(len(durations_entries(out)), len(ran(binary)))
                self.assertIn(("same name, two fixtures", "FirstFixture", "[fixture]"),
                              durations_entries(out))
                self.assertIn(("same name, two fixtures", "SecondFixture", "[fixture]"),
                              durations_entries(out))

    def test_each_nodes_tap_header_carries_its_predicted_load_and_the_heaviest(self):
        nodes = 3
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "durations.json")
            with open(path, "w") as file:
                file.write(durations_file({"alpha": 0.6, "beta": 0.25, "gamma": 0.2, "delta": 0.05}))
            headers = []
            for index in range(nodes):
                result = run(SUITE, "-r", "tap-stream", env={
                    "SHARDTAP_NODE_TOTAL": nodes, "SHARDTAP_NODE_INDEX": index,
                    "SHARDTAP_DURATIONS": path})
                self.assertEqual(result.returncode, 0, result.stderr)
                header = dict(re.findall(r"^# shardtap (\w+): (.*)$", result.stdout.decode(), re.M))
                reported = split_line(result.stderr)  # 4 significant digits
                self.assertAlmostEqual(float(header["predicted_seconds"]), reported["predicted"], places=3)
                self.assertAlmostEqual(float(header["heaviest_node_seconds"]), reported["heaviest"],
                                       places=3)
                headers.append(header)
            self.assertEqual(len({h["heaviest_node_seconds"] for h in headers}), 1)
            self.assertEqual(max(float(h["predicted_seconds"]) for h in headers),
                             float(headers[0]["heaviest_node_seconds"]))
            self.assertGreaterEqual(float(headers[0]["heaviest_node_seconds"]), 0.6)

            # Split without durations: nothing predicted, so neither field.
            plain = run(SUITE, "-r", "tap-stream", env={"SHARDTAP_NODE_TOTAL": nodes,
                                                         "SHARDTAP_NODE_INDEX": 0})
            self.assertEqual(plain.returncode, 0, plain.stderr)
            self.assertIn(b"# shardtap fingerprint: ", plain.stdout)
            self.assertNotIn(b"predicted_seconds", plain.stdout)
            self.assertNotIn(b"heaviest_node_seconds", plain.stdout)

    def test_entries_for_tests_that_no_longer_exist_are_ignored(self):
        with tempfile.TemporaryDirectory() as directory:
            plain, extra = (os.path.join(directory, name) for name in ("plain.json", "extra.json"))
            with open(plain, "w") as file:
                file.write(durations_file({"alpha": 2.0, "beta": 1.0}))
            with open(extra, "w") as file:
                file.write(durations_file({"alpha": 2.0, "beta": 1.0, "removed": 100.0}))
            env = {"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 0}
            with_plain = run(SUITE, env={**env, "SHARDTAP_DURATIONS": plain})
            with_extra = run(SUITE, env={**env, "SHARDTAP_DURATIONS": extra})
            self.assertEqual(with_extra.returncode, 0, with_extra.stderr)
            self.assertEqual(split_line(with_plain.stderr), split_line(with_extra.stderr))


class AtomicWriteTest(unittest.TestCase):
    OLD = durations_file({"from an earlier run": 1.0})

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.directory.name, "durations.json")
        with open(self.out, "w") as file:
            file.write(self.OLD)

    def tearDown(self):
        self.directory.cleanup()

    def test_a_killed_run_leaves_the_old_file_and_nothing_else(self):
        marker = os.path.join(self.directory.name, "hanging")
        process = start(SLEEPY, "[.hangs]", env={"SHARDTAP_DURATIONS_OUT": self.out,
                                                 "SLEEPY_HANGING": marker})
        deadline = time.monotonic() + 30
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertTrue(os.path.exists(marker), "the run never reached the hanging test case")
        os.remove(marker)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
        with open(self.out) as file:
            self.assertEqual(file.read(), self.OLD)
        self.assertEqual(os.listdir(self.directory.name), ["durations.json"])

    def test_a_crashing_run_leaves_the_old_file_and_nothing_else(self):
        # Catch2 ends the run from inside its signal handler: writing a file there (allocation,
        # fsync, rename) could deadlock after a crash inside malloc, so the listener does not.
        result = run(SLEEPY, "[.crashes],sleep 02", "--order", "decl",
                     env={"SHARDTAP_DURATIONS_OUT": self.out})
        self.assertEqual(result.returncode, -signal.SIGABRT)
        with open(self.out) as file:
            self.assertEqual(file.read(), self.OLD)
        self.assertEqual(os.listdir(self.directory.name), ["durations.json"])
        self.assertIn(f"durations were not written to {json.dumps(self.out)}".encode(), result.stderr)

    def test_an_unwritable_destination_stops_the_run_before_any_test(self):
        for out in (os.path.join(self.directory.name, "missing", "d.json"), self.directory.name):
            with self.subTest(out=out):
                result = run(SUITE, "-r", "xml", env={"SHARDTAP_DURATIONS_OUT": out})
                self.assertEqual(result.returncode, 1)
                self.assertNotIn(b"<TestCase", result.stdout)
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertIn(json.dumps(out), lines[0])


class BadSettingsTest(unittest.TestCase):
    CASES = [
        ("{\"format\": \"shardtap-durations\",", "malformed JSON"),
        ("[]", "malformed: the top level is not a JSON object"),
        (durations_file({}, format_name="junit"), 'wrong format "junit"'),
        (durations_file({}, version=3), "unsupported version 3"),
        (durations_file({"alpha": -1.5}), 'the duration of "alpha" is negative'),
        (durations_file({"alpha": "slow"}), 'the duration of "alpha" is "slow", expected a number'),
    ]

    def assert_stops_every_node(self, env, problem):
        for total, index in ((1, 0), (2, 0), (2, 1)):
            with self.subTest(env=env, node=index, total=total):
                result = run(SUITE, "-r", "xml",
                             env={**env, "SHARDTAP_NODE_TOTAL": total, "SHARDTAP_NODE_INDEX": index})
                self.assertEqual(result.returncode, 1)
                self.assertEqual(result.stdout, b"", "a test ran or a report began")
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertIn(problem, lines[0])

    def test_bad_durations_files(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "durations.json")
            for text, problem in self.CASES:
                with open(path, "w") as file:
                    file.write(text)
                self.assert_stops_every_node({"SHARDTAP_DURATIONS": path},
                                             f'durations file "{path}": {problem}')
            self.assert_stops_every_node({"SHARDTAP_DURATIONS": directory}, "Is a directory")
            missing = os.path.join(directory, "missing.json")
            self.assert_stops_every_node({"SHARDTAP_DURATIONS": missing},
                                         f'"{missing}": cannot read: No such file or directory')

    def test_bad_strategies(self):
        self.assert_stops_every_node({"SHARDTAP_STRATEGY": "fastest"},
                                     'unknown strategy SHARDTAP_STRATEGY="fastest"')
        self.assert_stops_every_node({"SHARDTAP_STRATEGY": "duration"},
                                     "SHARDTAP_STRATEGY=duration needs a durations file")


if __name__ == "__main__":
    unittest.main(verbosity=2)
