"""Runs the fixture binaries as real processes with real environment variables.

Every integration test starts from a clean environment: the CI variables of the machine
running the tests (a CI may well set CI_NODE_TOTAL) must never leak into a fixture.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

FIXTURE_DIR = os.environ.get("SHARDTAP_FIXTURE_DIR", "")
SOURCE_DIR = os.environ.get("SHARDTAP_SOURCE_DIR", "")
BINARY_DIR = os.environ.get("SHARDTAP_BINARY_DIR", "")

# Variables that decide a node, for shardtap or for Catch2 itself.
NODE_VARIABLES = re.compile(
    r"^(SHARDTAP_.*|CI_NODE_.*|GITLAB_CI|CIRCLE_NODE_.*|BUILDKITE_PARALLEL_.*|SEMAPHORE_JOB_.*"
    r"|SYSTEM_TOTALJOBSINPHASE|SYSTEM_JOBPOSITIONINPHASE|TEST_TOTAL_SHARDS|TEST_SHARD_INDEX"
    r"|TEST_SHARD_STATUS_FILE|BAZEL_TEST|XML_OUTPUT_FILE|TESTBRIDGE_TEST_ONLY|WAIT_TIME_SCALE)$")


def fixture(name):
    path = os.path.join(FIXTURE_DIR, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"fixture {path} is missing: build the project first")
    return path


def clean_environment(**variables):
    environment = {k: v for k, v in os.environ.items() if not NODE_VARIABLES.match(k)}
    environment.update({k: str(v) for k, v in variables.items()})
    return environment


def run(binary, *args, env=None, timeout=120):
    """Runs binary with args in a clean environment plus env; returns the CompletedProcess."""
    return subprocess.run([binary, *args], env=clean_environment(**(env or {})),
                          capture_output=True, timeout=timeout)


def xml_test_cases(stdout):
    """Every test case in Catch2's XML report, in run order, as "name @line": the line tells
    apart test cases that share a name (Catch2 allows it across fixture classes)."""
    root = ElementTree.fromstring(stdout)
    return [f'{case.get("name")} @{case.get("line")}' for case in root.iter("TestCase")]


def ran(binary, *args, env=None, statuses=(0,)):
    """The test cases that ran, read from Catch2's own XML reporter; the run must exit with one
    of `statuses`."""
    result = run(binary, "-r", "xml", *args, env=env)
    if result.returncode not in statuses:
        raise AssertionError(f"{binary} {args} {env} exited {result.returncode}:\n"
                             f"{result.stderr.decode(errors='replace')}")
    return xml_test_cases(result.stdout)


def durations_entries(path):
    """A durations file as shardtap writes it (version 2), as {(name, class, tags): seconds};
    class and tags are None for a name-only entry (what a version 1 file held)."""
    with open(path) as file:
        document = json.load(file)
    assert document["format"] == "shardtap-durations" and document["version"] == 2, document
    entries = {(e["name"], e.get("class"), e.get("tags")): e["seconds"] for e in document["durations"]}
    assert len(entries) == len(document["durations"]), "an entry twice"
    return entries


def durations_by_name(path):
    """The same for a suite whose test case names are unique: {name: seconds}."""
    entries = durations_entries(path)
    by_name = {name: seconds for (name, _, _), seconds in entries.items()}
    assert len(by_name) == len(entries), f"names shared in {sorted(entries)}"
    return by_name


def tap_header(stdout):
    """The `# shardtap key: value` lines of a tap-stream report, as a dict."""
    return dict(re.findall(r"^# shardtap (\w+): (.*)$", stdout.decode(errors="replace"), re.M))


def catch2_version(binary=None):
    """The Catch2 version binary (by default a fixture) links, from --libidentify, as a tuple."""
    out = run(binary or fixture("fixture_plain"), "--libidentify").stdout.decode()
    return tuple(int(part) for part in re.search(r"version:\s*(\d+)\.(\d+)\.(\d+)", out).groups())


def is_failure_status(status):
    """Catch2's exit status for a run with failed assertions: 42 since 3.7.1; before that the
    number of failed assertions, capped at 255 (Ubuntu 24.04 ships 3.4.0)."""
    return status == 42 if catch2_version() >= (3, 7, 1) else 0 < status <= 255


class WorkDirectory(unittest.TestCase):
    """A test case with a fresh temporary directory, self.work, removed after each test."""

    prefix = "shardtap-"

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix=self.prefix)

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.work, *parts)
