"""The installed package: `cmake --install` to a fresh prefix, then sample_project built on its
own against it with find_package(shardtap), as a user's project would be."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BINARY_DIR, SOURCE_DIR, clean_environment  # noqa: E402


def check(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="shardtap-install-")
        cls.prefix = os.path.join(cls.work, "prefix")
        check(["cmake", "--install", BINARY_DIR, "--prefix", cls.prefix])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_package_config_and_command_are_installed(self):
        config = os.path.join(self.prefix, "lib", "cmake", "shardtap", "shardtapConfig.cmake")
        if not os.path.exists(config):
            config = os.path.join(self.prefix, "lib64", "cmake", "shardtap", "shardtapConfig.cmake")
        self.assertTrue(os.path.exists(config), "no shardtapConfig.cmake under the prefix")
        self.assertTrue(os.path.exists(os.path.join(self.prefix, "include", "shardtap",
                                                    "parametrize.hpp")))

    def test_sample_builds_standalone_against_the_installed_package(self):
        build = os.path.join(self.work, "sample-build")
        flags = os.environ.get("SHARDTAP_CXX_FLAGS", "")
        check(["cmake", "-S", os.path.join(SOURCE_DIR, "sample_project"), "-B", build,
               "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={self.prefix}",
               f"-DCMAKE_CXX_COMPILER={os.environ.get('SHARDTAP_CXX_COMPILER', 'c++')}",
               f"-DCMAKE_CXX_FLAGS={flags}", "-DCMAKE_BUILD_TYPE=Release"])
        with open(os.path.join(build, "CMakeCache.txt")) as file:
            cache = file.read()
        self.assertIn(f"shardtap_DIR:PATH={self.prefix}", cache,
                      "the sample did not find the installed package")
        check(["cmake", "--build", build, "-j2"])
        binary = os.path.join(build, "slow_tests")
        result = subprocess.run(
            [binary, "-r", "compact"], capture_output=True,
            env=clean_environment(CI_NODE_TOTAL=12, CI_NODE_INDEX=3, WAIT_TIME_SCALE=0))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"2 assertions in 2 test cases", result.stdout)
        self.assertIn(b"node 3 of 12", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
