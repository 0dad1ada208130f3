"""CTest: a consumer project (tests/ctest_consumer) that registers its test cases with Catch2's
catch_discover_tests in both discovery modes and with shardtap_discover_tests, linked both ways,
built once and run by `ctest -j2` as every node of N. Each test case records its own executions
(cases.cpp); what ran is read from there, what ctest thought from its JUnit file.

What must hold on every node: no CTest test passes whose test case did not run there; across the
nodes every test case of every target ran exactly once. shardtap_discover_tests, and
catch_discover_tests where the list is made on the node, register exactly the node's share, the
one the binary picks when run by itself; where Catch2's list holds every test case, the foreign
ones fail with a line naming shardtap_discover_tests."""
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY_DIR, SOURCE_DIR, clean_environment, durations_by_name, ran  # noqa: E402

CONSUMER = os.path.join(SOURCE_DIR, "tests", "ctest_consumer")
CASES = ["a", "b", "c", "d", "e", "f"]
TARGETS = [f"{way}_{discovery}" for way in ("dropin", "main")
           for discovery in ("catch_post", "catch_pre", "shardtap")]
# Registered by Catch2's catch_discover_tests from a list made when the binary was built.
LISTED_AT_BUILD = {"dropin_catch_post", "main_catch_post"}
NAMES_SHARDTAP_DISCOVER_TESTS = re.compile(r"^shardtap: .*shardtap_discover_tests", re.M)


def check(*argv, env=None):
    result = subprocess.run(argv, capture_output=True, text=True, env=clean_environment(**(env or {})))
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class Node:
    """One `ctest` run as node `index` of `total`: what ran, by the test cases' own records,
    and what ctest made of each CTest test, by its JUnit file."""

    def __init__(self, build, work, total, index, *ctest_args, env=None):
        self.records = tempfile.mkdtemp(prefix=f"records-{total}-{index}-", dir=work)
        junit = os.path.join(self.records, "junit.xml")
        variables = {"CI_NODE_TOTAL": total, "CI_NODE_INDEX": index,
                     "CTEST_CONSUMER_RECORD": self.records, **(env or {})}
        self.result = subprocess.run(
            ["ctest", "--test-dir", build, "-j2", "--output-on-failure", "--output-junit", junit,
             *ctest_args], capture_output=True, text=True,
            env=clean_environment(**variables), timeout=600)
        # No JUnit file where ctest stopped before running any test.
        self.tests = ({case.get("name"): case for case in ElementTree.parse(junit).iter("testcase")}
                      if os.path.exists(junit) else {})

    def ran(self, target):
        """The test cases of `target` that ran on this node, with how many times each."""
        executions = [name.split(".")[1] for name in os.listdir(self.records)
                      if name.split(".")[0] == target and name != "junit.xml"]
        return collections.Counter(executions)

    def registered(self, target):
        return sorted(name.split(".", 1)[1] for name in self.tests if name.startswith(target + "."))

    def passed(self, target):
        return sorted(name.split(".", 1)[1] for name, case in self.tests.items()
                      if name.startswith(target + ".") and self.is_pass(case))

    @staticmethod
    def is_pass(case):
        return case.get("status") == "run" and case.find("failure") is None

    def output(self, test):
        return self.tests[test].findtext("system-out") or ""


class CtestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="shardtap-ctest-")
        prefix = os.path.join(cls.work, "prefix")
        check("cmake", "--install", BINARY_DIR, "--prefix", prefix)
        cls.build = os.path.join(cls.work, "build")
        flags = os.environ.get("SHARDTAP_CONSUMER_FLAGS", "")
        check("cmake", "-S", CONSUMER, "-B", cls.build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
              f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCatch2_DIR={os.environ.get('SHARDTAP_CATCH2_DIR', '')}",
              f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}")
        # Built once, with no node variables: the build a CI copies to its N jobs.
        check("cmake", "--build", cls.build, "-j2")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.runs = tempfile.mkdtemp(dir=self.work)

    def node(self, total, index, *ctest_args, env=None):
        # A fresh CI node has no list that catch_discover_tests' PRE_TEST mode kept from an
        # earlier ctest run in the same build directory.
        # (Catch2 3.4.0 names it TARGET_tests-HASH.cmake, 3.7.1 TARGET-HASH_tests.cmake.)
        for kept in glob.glob(os.path.join(self.build, "*_catch_pre*_tests*.cmake")):
            os.remove(kept)
        return Node(self.build, self.runs, total, index, "-LE", "scale", *ctest_args, env=env)

    def share(self, target, total, index, env=None):
        """The test cases `target` runs when run by itself on this node (Catch2's main exits 2
        on a node with none)."""
        cases = ran(os.path.join(self.build, target), statuses=(0, 2),
                    env={"CI_NODE_TOTAL": total, "CI_NODE_INDEX": index, **(env or {})})
        return sorted(case.rsplit(" @", 1)[0] for case in cases)

    def assert_nothing_passed_that_did_not_run(self, node):
        for name, case in node.tests.items():
            if Node.is_pass(case) and name != "not_catch2":
                target, test_case = name.split(".", 1)
                self.assertIn(test_case, node.ran(target), f"{name} passed and did not run")

    def assert_every_test_case_once(self, nodes):
        for target in TARGETS:
            union = sum((node.ran(target) for node in nodes), collections.Counter())
            self.assertEqual(union, collections.Counter(CASES), target)

    def test_every_node_of_1_2_3_7(self):
        for total in (1, 2, 3, 7):
            nodes = [self.node(total, index) for index in range(total)]
            for index, node in enumerate(nodes):
                with self.subTest(total=total, index=index):
                    self.assert_node(node, total, index)
            with self.subTest(total=total):
                self.assert_every_test_case_once(nodes)

    def assert_node(self, node, total, index):
        self.assert_nothing_passed_that_did_not_run(node)
        self.assertTrue(Node.is_pass(node.tests["not_catch2"]), "a non-Catch2 test runs everywhere")
        for target in TARGETS:
            share = self.share(target, total, index)
            self.assertEqual(sorted(node.ran(target).elements()), share, target)
            self.assertEqual(node.passed(target), share, target)
            if target in LISTED_AT_BUILD:
                # Catch2 listed every test case; the foreign ones fail, each saying why.
                self.assertEqual(node.registered(target), CASES, target)
                for foreign in sorted(set(CASES) - set(share)):
                    self.assertRegex(node.output(f"{target}.{foreign}"), NAMES_SHARDTAP_DISCOVER_TESTS)
            else:
                self.assertEqual(node.registered(target), share, target)
        foreign_registered = total > 1
        self.assertEqual(node.result.returncode != 0, foreign_registered, node.result.stdout)
        if foreign_registered:
            self.assertRegex(node.result.stdout, NAMES_SHARDTAP_DISCOVER_TESTS)

    def test_each_test_case_writes_its_tap_stream_where_output_dir_says(self):
        tap = os.path.join(self.build, "tap")
        shutil.rmtree(tap, ignore_errors=True)
        node = self.node(3, 1, "-R", r"^main_shardtap\.")
        self.assertEqual(node.result.returncode, 0, node.result.stdout)
        share = self.share("main_shardtap", 3, 1)
        self.assertEqual(sorted(os.listdir(tap)), [f"{case}.tap" for case in share])
        for case in share:
            with open(os.path.join(tap, f"{case}.tap")) as file:
                stream = file.read()
            self.assertRegex(stream, rf"(?m)^1\.\.1$")
            self.assertRegex(stream, rf"(?m)^ok 1 - {case}( |$)")

    def test_a_build_that_lists_on_the_node_registers_the_nodes_share(self):
        # catch_discover_tests' POST_BUILD lists when the binary is linked: linked on the node,
        # with the node's variables (Heroku's test-setup), the list is the node's share.
        post_build = [os.path.join(self.build, target) for target in sorted(LISTED_AT_BUILD)]
        nodes = []
        try:
            for index in range(3):
                for binary in post_build:
                    os.remove(binary)
                check("cmake", "--build", self.build, "-j2",
                      env={"CI_NODE_TOTAL": 3, "CI_NODE_INDEX": index})
                node = self.node(3, index)
                self.assertEqual(node.result.returncode, 0, node.result.stdout)
                self.assert_nothing_passed_that_did_not_run(node)
                for target in TARGETS:
                    self.assertEqual(node.registered(target), self.share(target, 3, index), target)
                nodes.append(node)
            self.assert_every_test_case_once(nodes)
        finally:
            for binary in post_build:
                os.remove(binary)
            check("cmake", "--build", self.build, "-j2")

    def test_ctest_selects_among_the_share(self):
        share = self.share("main_shardtap", 3, 1)
        cases = {
            ("-R", r"^main_shardtap\."): {"main_shardtap": share},
            ("-E", "catch|dropin|not_catch2"): {"main_shardtap": share},
            ("-L", "shardtap"): {"main_shardtap": share, "dropin_shardtap": share},
            ("-L", "shardtap", "-R", r"\.b$"): {"main_shardtap": ["b"], "dropin_shardtap": ["b"]},
        }
        for args, expected in cases.items():
            with self.subTest(args=args):
                node = self.node(3, 1, *args)
                self.assertEqual(node.result.returncode, 0, node.result.stdout)
                self.assertEqual(sorted(node.tests), sorted(f"{target}.{case}" for target, cases_ in
                                                            expected.items() for case in cases_))
                for target, cases_ in expected.items():
                    self.assertEqual(sorted(node.ran(target).elements()), cases_)

    def test_repeat_until_fail_runs_each_of_the_share_again(self):
        node = self.node(3, 2, "-L", "shardtap", "--repeat", "until-fail:2")
        self.assertEqual(node.result.returncode, 0, node.result.stdout)
        share = self.share("main_shardtap", 3, 2)
        self.assertEqual(node.ran("main_shardtap"), collections.Counter(share * 2))

    def test_a_test_that_times_out_fails(self):
        share = self.share("main_shardtap", 3, 0)
        node = self.node(3, 0, "-R", r"^main_shardtap\.", "--timeout", "2",
                         env={"CTEST_CONSUMER_SLOW": share[0]})
        self.assertNotEqual(node.result.returncode, 0)
        self.assertFalse(Node.is_pass(node.tests[f"main_shardtap.{share[0]}"]))
        self.assertRegex(node.result.stdout, rf"main_shardtap\.{share[0]} .*Timeout")
        self.assertEqual(node.passed("main_shardtap"), share[1:])

    def test_durations_recorded_under_ctest_keep_every_test_case_and_balance_the_next_split(self):
        recorded = os.path.join(self.runs, "durations.json")
        node = self.node(1, 0, "-R", r"^main_shardtap\.", env={"SHARDTAP_DURATIONS_OUT": recorded})
        self.assertEqual(node.result.returncode, 0, node.result.stdout)
        self.assertEqual(sorted(durations_by_name(recorded)), CASES, "one process's entries only")

        for index in range(3):
            with self.subTest(index=index):
                balanced = {"SHARDTAP_DURATIONS": recorded}
                node = self.node(3, index, "-R", r"^main_shardtap\.", env=balanced)
                self.assertEqual(node.result.returncode, 0, node.result.stdout)
                own = subprocess.run([os.path.join(self.build, "main_shardtap")], text=True,
                                     capture_output=True, env=clean_environment(
                                         CI_NODE_TOTAL=3, CI_NODE_INDEX=index, **balanced))
                announced = re.search(r"^shardtap: node .*, duration: .*$", own.stderr, re.M)
                self.assertIsNotNone(announced, own.stderr)
                # ctest says the same split line, fingerprint and all, as the binary alone.
                self.assertIn(f"main_shardtap: {announced.group(0)}", node.result.stderr)
                self.assertEqual(node.registered("main_shardtap"),
                                 self.share("main_shardtap", 3, index, env=balanced))

    def test_a_node_with_bad_variables_runs_nothing_and_says_why(self):
        node = self.node(3, 0, env={"SHARDTAP_NODE_TOTAL": "3", "SHARDTAP_NODE_INDEX": "3"})
        self.assertNotEqual(node.result.returncode, 0)
        self.assertEqual([name for name, case in node.tests.items()
                          if Node.is_pass(case) and name != "not_catch2"], [])
        self.assertEqual([name for name in os.listdir(node.records)
                          if not name.startswith(("not_catch2.", "junit.xml"))], [])
        said = node.result.stdout + node.result.stderr
        self.assertIn("SHARDTAP_NODE_INDEX", said)
        for name in ("dropin_shardtap.dropin_shardtap_shardtap_share",
                     "main_shardtap.main_shardtap_shardtap_share"):
            if name in node.tests:
                self.assertIn("--list-tests exited", node.output(name))

    def test_a_binary_not_built_is_one_failing_test_that_says_so(self):
        binary = os.path.join(self.build, "main_shardtap")
        os.remove(binary)
        try:
            node = self.node(3, 0, "-R", r"^main_shardtap\.")
        finally:
            check("cmake", "--build", self.build, "-j2")
        self.assertNotEqual(node.result.returncode, 0)
        self.assertEqual(list(node.tests), ["main_shardtap.main_shardtap_shardtap_share"])
        self.assertIn(f"{binary} does not exist: build main_shardtap first",
                      node.output("main_shardtap.main_shardtap_shardtap_share"))

    def test_a_node_of_5000_test_cases_on_12_starts_one_process_per_test_case_of_its_share(self):
        starts = os.path.join(self.runs, "starts")
        node = Node(self.build, self.runs, 12, 5, "-L", "scale",
                    env={"CTEST_CONSUMER_STARTS": starts})
        self.assertEqual(node.result.returncode, 0, node.result.stdout[-2000:])
        self.assertEqual(len(node.tests), 417)  # 5000 = 12 x 416 + 8: nodes 0..7 have 417
        with open(starts) as file:
            processes = len(file.readlines())
        self.assertEqual(processes, 417 + 1, "one listing, then one process per test case")
        print(f"\nscale: node 5 of 12, 5000 test cases: ctest started {processes} processes",
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
