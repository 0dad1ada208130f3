"""A project that vendors Catch2's amalgamated pair (catch_amalgamated.hpp/.cpp: no Catch2
package, no <catch2/...> headers) adds shardtap from source, naming its Catch2 target in
SHARDTAP_CATCH2_AMALGAMATED_TARGET, and gets the three ways in: the drop-in beside the pair's
own main (through add_subdirectory), and shardtap::main, a custom main with one call and a
main that knows nothing of shardtap (through FetchContent, the pair built without its main).
Each splits the suite exactly once, in the pair's default order (random since Catch2 3.9)."""
import collections
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE_DIR, catch2_version, clean_environment, ran, run, tap_header  # noqa: E402

CONSUMER = os.path.join(SOURCE_DIR, "tests", "amalgamated_consumer")
PAIR = os.environ.get("SHARDTAP_CATCH2_AMALGAMATED",
                      os.path.join(SOURCE_DIR, "..", "shared", "deps", "catch2-3.15.3-amalgamated"))
HEADER = os.path.join(PAIR, "catch_amalgamated.hpp")
CASES = 10  # tests/amalgamated_consumer/cases.cpp: six test cases and four parameters


def check(*argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def pair_version():
    with open(HEADER) as header:
        text = header.read()
    return tuple(int(re.search(rf"#define CATCH_VERSION_{part} (\d+)", text).group(1))
                 for part in ("MAJOR", "MINOR", "PATCH"))


@unittest.skipUnless(os.path.exists(HEADER), f"{HEADER} is absent")
class AmalgamatedConsumerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.builds = {}
        for own_main, fetch in ((True, False), (False, True)):
            build = os.path.join(cls.directory.name, "own-main" if own_main else "custom-main")
            cls.builds[own_main] = build
            check("cmake", "-S", CONSUMER, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                  "-DCMAKE_CXX_FLAGS_RELEASE=-O1", f"-DCATCH2_AMALGAMATED_DIR={PAIR}",
                  f"-DSHARDTAP_SOURCE={SOURCE_DIR}", f"-DCATCH2_OWN_MAIN={'ON' if own_main else 'OFF'}",
                  f"-DSHARDTAP_FETCH={'ON' if fetch else 'OFF'}", env=clean_environment())
            check("cmake", "--build", build, "-j2")
        cls.binaries = {name: os.path.join(cls.builds[name == "dropin"], name)
                        for name in ("dropin", "with_main", "custom_main", "own_main")}

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_every_way_in_links_the_vendored_catch2(self):
        for name, binary in self.binaries.items():
            with self.subTest(name):
                self.assertEqual(catch2_version(binary), pair_version())
                self.assertEqual(len(ran(binary)), CASES)

    def test_every_way_in_splits_exactly_once_in_the_default_order(self):
        everything = sorted(ran(self.binaries["with_main"]))
        for name, binary in self.binaries.items():
            for total in (2, 3, 7):
                with self.subTest(name, total=total):
                    shares = [ran(binary, env={"CI_NODE_TOTAL": total, "CI_NODE_INDEX": i},
                                  statuses=(0, 2)) for i in range(total)]
                    seen = collections.Counter(case for share in shares for case in share)
                    self.assertEqual([case for case, n in seen.items() if n > 1], [])
                    self.assertEqual(sorted(seen), everything)
                    # The same share on every way in.
                    self.assertEqual([sorted(share) for share in shares],
                                     [sorted(ran(self.binaries["with_main"],
                                                 env={"CI_NODE_TOTAL": total, "CI_NODE_INDEX": i}))
                                      for i in range(total)])

    def test_catch2_shard_arguments_without_a_seed(self):
        for name in ("dropin", "own_main"):
            seen = collections.Counter()
            for index in range(3):
                seen.update(ran(self.binaries[name], "--shard-count", "3", "--shard-index", str(index)))
            with self.subTest(name):
                self.assertEqual(sorted(seen.elements()), sorted(ran(self.binaries["with_main"])))

    def test_tap_stream_reporter_is_registered(self):
        result = run(self.binaries["dropin"], "-r", "tap-stream", env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 1})
        self.assertEqual(result.returncode, 0, result.stderr)
        header = tap_header(result.stdout)
        self.assertEqual((header["node_index"], header["node_total"]), ("1", "2"))
        self.assertEqual(header["suite_size"], str(CASES))

    def test_ctest_registers_the_nodes_share(self):
        for own_main, prefix in ((True, "dropin."), (False, "with_main.")):
            registered = []
            for index in range(2):
                listed = check("ctest", "--test-dir", self.builds[own_main], "-N",
                               env=clean_environment(CI_NODE_TOTAL=2, CI_NODE_INDEX=index))
                registered += re.findall(rf"Test +#\d+: {re.escape(prefix)}(.+)", listed.stdout)
            with self.subTest(prefix):
                self.assertEqual(len(registered), CASES)
                self.assertEqual(len(set(registered)), CASES)

    def test_a_name_that_is_not_a_target_is_one_clear_error(self):
        with tempfile.TemporaryDirectory() as build:
            result = subprocess.run(
                ["cmake", "-S", SOURCE_DIR, "-B", build, "-DSHARDTAP_CATCH2_AMALGAMATED_TARGET=vendored"],
                capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SHARDTAP_CATCH2_AMALGAMATED_TARGET is vendored, which is not a target",
                      " ".join(result.stderr.split()))


if __name__ == "__main__":
    unittest.main(verbosity=2)
