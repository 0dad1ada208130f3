"""A separate project builds against shardtap each way it can reach a build: installed
(find_package), as a subdirectory, and through FetchContent with Catch2 fetched too. The
project's own files stay C++14."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY_DIR, SOURCE_DIR, catch2_version, clean_environment, ran, run  # noqa: E402

CONSUMER = os.path.join(SOURCE_DIR, "tests", "consumer")
# Catch2 3.4.0 (the tag's archive) for the FetchContent consumer; absent on a user's machine.
CATCH2_ARCHIVE = os.path.join(SOURCE_DIR, "..", "shared", "deps", "Catch2-3.4.0.tar.gz")
# The Catch2 shardtap was built with: a consumer must link the same one.
CATCH2 = (f"-DCatch2_DIR={os.environ.get('SHARDTAP_CATCH2_DIR', '')}",)


def check(*argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_consumer(build_dir, *cmake_args, catch2=CATCH2):
    # A sanitized shardtap needs a sanitized consumer to link.
    flags = os.environ.get("SHARDTAP_CONSUMER_FLAGS", "")
    check("cmake", "-S", CONSUMER, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
          f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}", *catch2, *cmake_args)
    check("cmake", "--build", build_dir, "-j2")
    return build_dir


class PackageTest(unittest.TestCase):
    def assert_consumer_works(self, build_dir, catch2=None):
        self.assert_compiled_as_cxx14(build_dir)
        tests = os.path.join(build_dir, "consumer_tests")
        dropin = os.path.join(build_dir, "consumer_dropin")
        self.assertEqual(catch2_version(tests), catch2 or catch2_version())
        everything = ran(tests)
        self.assertEqual(len(everything), 10)
        self.assertEqual(sorted(ran(dropin)), sorted(everything))
        for binary in (tests, dropin):
            with self.subTest(binary=os.path.basename(binary)):
                # The selection listener, registered statically inside libshardtap.a, survived
                # linking: the drop-in binary splits as shardtap::main does.
                shares = [ran(binary, env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": i}) for i in range(2)]
                self.assertEqual(sorted(shares[0] + shares[1]), sorted(everything))
                self.assertEqual(len(shares[0]), 5)
                self.assertEqual([sorted(share) for share in shares],
                                 [sorted(ran(tests, env={"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": i}))
                                  for i in range(2)])
        self.assert_ctest_runs_the_share(build_dir, tests)

    def assert_ctest_runs_the_share(self, build_dir, tests):
        for index in range(2):
            node = {"CI_NODE_TOTAL": 2, "CI_NODE_INDEX": index}
            share = sorted(case.rsplit(" @", 1)[0] for case in ran(tests, env=node))
            result = subprocess.run(["ctest", "--test-dir", build_dir, "-N"], capture_output=True,
                                    text=True, env=clean_environment(**node))
            self.assertEqual(result.returncode, 0, result.stderr)
            registered = sorted(re.findall(r"Test +#\d+: consumer\.(.*)$", result.stdout, re.M))
            self.assertEqual(registered, share, result.stdout + result.stderr)

    def assert_compiled_as_cxx14(self, build_dir):
        with open(os.path.join(build_dir, "compile_commands.json")) as file:
            commands = [entry["command"] for entry in json.load(file)
                        if entry["file"].endswith("consumer_tests.cpp")]
        self.assertEqual(len(commands), 2, "one compile line per consumer target")
        for command in commands:
            self.assertRegex(command, r"-std=(c|gnu)\+\+14\b")
            self.assertNotRegex(command, r"-std=(c|gnu)\+\+(1[7z]|2)")

    def test_installed_package_with_find_package(self):
        with tempfile.TemporaryDirectory() as work:
            prefix = os.path.join(work, "prefix")
            check("cmake", "--install", BINARY_DIR, "--prefix", prefix)
            self.assertTrue(os.path.exists(
                os.path.join(prefix, "lib", "cmake", "shardtap", "shardtapConfig.cmake")))
            self.assert_consumer_works(build_consumer(
                os.path.join(work, "build"), f"-DCMAKE_PREFIX_PATH={prefix}"))

    def test_installed_package_refuses_another_catch2(self):
        with tempfile.TemporaryDirectory() as work:
            prefix = os.path.join(work, "prefix")
            check("cmake", "--install", BINARY_DIR, "--prefix", prefix)
            with open(os.path.join(prefix, "lib", "cmake", "shardtap", "shardtapConfig.cmake")) as file:
                built_with = re.search(r'shardtap_CATCH2_VERSION "([0-9.]+)"', file.read()).group(1)
            self.assertEqual(built_with, ".".join(map(str, catch2_version())))
            # Another Catch2 release, as a package config says it: the version is all shardtap reads.
            other = "3.4.0" if built_with != "3.4.0" else "3.7.1"
            fake = os.path.join(work, "other-catch2", "lib", "cmake", "Catch2")
            os.makedirs(fake)
            with open(os.path.join(fake, "Catch2ConfigVersion.cmake"), "w") as file:
                file.write(f'set(PACKAGE_VERSION "{other}")\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n')
            with open(os.path.join(fake, "Catch2Config.cmake"), "w") as file:
                file.write("")
            result = subprocess.run(
                ["cmake", "-S", CONSUMER, "-B", os.path.join(work, "build"), "-G", "Ninja",
                 f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCatch2_DIR={fake}"],
                capture_output=True, text=True)
            self.assertNotEqual(result.returncode, 0)
            message = " ".join(result.stderr.split())
            self.assertIn(f"was built with Catch2 {built_with}, but this project found Catch2 {other}",
                          message)
            self.assertIn("rebuild and reinstall shardtap", message)

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
                  f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}", *CATCH2)
            with open(os.path.join(build, "CMakeCache.txt")) as cache:
                self.assertIn(f"shardtap_DIR:PATH={prefix}", cache.read())
            check("cmake", "--build", build, "-j2")
            share = ran(os.path.join(build, "slow_tests"),
                        env={"CI_NODE_TOTAL": 12, "CI_NODE_INDEX": 3, "WAIT_TIME_SCALE": 0})
            self.assertEqual(sorted(case.rsplit(" @", 1)[0] for case in share),
                             ["test_slow[5-03]", "test_slow[5-15]"])

    def test_add_subdirectory(self):
        with tempfile.TemporaryDirectory() as work:
            self.assert_consumer_works(build_consumer(
                os.path.join(work, "build"), f"-DSHARDTAP_SOURCE={SOURCE_DIR}"))

    @unittest.skipUnless(os.path.exists(CATCH2_ARCHIVE), f"{CATCH2_ARCHIVE} is absent")
    def test_fetch_content_of_catch2_and_shardtap(self):
        with tempfile.TemporaryDirectory() as work:
            build = build_consumer(os.path.join(work, "build"), f"-DSHARDTAP_SOURCE={SOURCE_DIR}",
                                   f"-DCATCH2_ARCHIVE={os.path.realpath(CATCH2_ARCHIVE)}", catch2=())
            with open(os.path.join(build, "CMakeCache.txt")) as cache:
                self.assertNotIn("Catch2_DIR:PATH=/", cache.read(), "a Catch2 package was searched for")
            self.assertEqual(catch2_version(os.path.join(build, "consumer_dropin")), (3, 4, 0))
            self.assert_consumer_works(build, catch2=(3, 4, 0))


if __name__ == "__main__":
    unittest.main(verbosity=2)
