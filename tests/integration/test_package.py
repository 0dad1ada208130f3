"""A separate project builds against shardtap: installed (find_package) and as a subdirectory."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY_DIR, SOURCE_DIR, catch2_version, ran, run  # noqa: E402

CONSUMER = os.path.join(SOURCE_DIR, "tests", "consumer")
# The Catch2 shardtap was built with: a consumer must link the same one.
CATCH2 = f"-DCatch2_DIR={os.environ.get('SHARDTAP_CATCH2_DIR', '')}"


def check(*argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_consumer(build_dir, *cmake_args):
    # A sanitized shardtap needs a sanitized consumer to link.
    flags = os.environ.get("SHARDTAP_CONSUMER_FLAGS", "")
    check("cmake", "-S", CONSUMER, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
          f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}", CATCH2, *cmake_args)
    check("cmake", "--build", build_dir, "-j2")
    return os.path.join(build_dir, "consumer_tests"), os.path.join(build_dir, "consumer_unguarded")


class PackageTest(unittest.TestCase):
    def assert_consumer_works(self, tests, unguarded):
        self.assertEqual(len(ran(tests)), 4)
        self.assertEqual(catch2_version(tests), catch2_version())
        shares = [ran(tests, env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": i}) for i in range(2)]
        self.assertEqual(sorted(shares[0] + shares[1]), sorted(ran(tests)))
        self.assertEqual(len(shares[0]), 2)
        # The guard listener, registered statically inside libshardtap.a, survived linking.
        guarded = run(unguarded, env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": 0})
        self.assertEqual(guarded.returncode, 1)
        self.assertIn(b"shardtap::main", guarded.stderr)

    def test_installed_package_with_find_package(self):
        with tempfile.TemporaryDirectory() as work:
            prefix = os.path.join(work, "prefix")
            check("cmake", "--install", BINARY_DIR, "--prefix", prefix)
            self.assertTrue(os.path.exists(
                os.path.join(prefix, "lib", "cmake", "shardtap", "shardtapConfig.cmake")))
            self.assert_consumer_works(*build_consumer(
                os.path.join(work, "build"), f"-DCMAKE_PREFIX_PATH={prefix}"))

    def test_sample_project_builds_standalone_against_the_installed_package(self):
        with tempfile.TemporaryDirectory() as work:
            prefix = os.path.join(work, "prefix")
            check("cmake", "--install", BINARY_DIR, "--prefix", prefix)
            self.assertTrue(os.access(os.path.join(prefix, "bin", "shardtap"), os.X_OK))
            self.assertTrue(os.path.exists(
                os.path.join(prefix, "include", "shardtap", "parametrize.hpp")))
            build = os.path.join(work, "sample")
            flags = os.environ.get("SHARDTAP_CONSUMER_FLAGS", "")
            check("cmake", "-S", os.path.join(SOURCE_DIR, "sample_project"), "-B", build, "-G",
                  "Ninja", "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_PREFIX_PATH={prefix}",
                  f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}", CATCH2)
            with open(os.path.join(build, "CMakeCache.txt")) as cache:
                self.assertIn(f"shardtap_DIR:PATH={prefix}", cache.read())
            check("cmake", "--build", build, "-j2")
            share = ran(os.path.join(build, "slow_tests"),
                        env={"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": 3, "WAIT_TIME_SCALE": 0})
            self.assertEqual([case.rsplit(" @", 1)[0] for case in share],
                             ["test_slow[5-03]", "test_slow[5-15]"])

    def test_add_subdirectory(self):
        with tempfile.TemporaryDirectory() as work:
            self.assert_consumer_works(*build_consumer(
                os.path.join(work, "build"), f"-DSHARDTAP_SOURCE={SOURCE_DIR}"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
