"""app.json and Aptfile, checked as Heroku CI reads them, and the test run done as Heroku CI
does it: the apt buildpack's layout under $HOME/.apt, scripts.test-setup, then scripts.test
on 12 dynos at once with CI_NODE_TOTAL=12 and CI_NODE_INDEX=0..11."""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE_DIR, catch2_version, clean_environment  # noqa: E402
from tap_consumers import tap_parser  # noqa: E402

SLOW_TESTS = os.environ.get("SHARDTAP_SLOW_TESTS", "")
NAMES = [f"test_slow[5-{i:02}]" for i in range(20)]
DYNOS = 12
# The prefix of the Catch2 the build used. Where it is not the system's (scripts/test builds
# Ubuntu 24.04's 3.4.0 into one), it stands in for the catch2 package: the layout is the same.
CATCH2_PREFIX = os.path.realpath(
    os.path.join(os.environ.get("SHARDTAP_CATCH2_DIR", "/usr/lib/cmake/Catch2"), "..", "..", ".."))


def load_app_json():
    with open(os.path.join(SOURCE_DIR, "app.json")) as file:
        return json.load(file)


def aptfile_packages():
    with open(os.path.join(SOURCE_DIR, "Aptfile")) as file:
        return [line.strip() for line in file if line.strip() and not line.startswith("#")]


class AppJsonTest(unittest.TestCase):
    def setUp(self):
        self.app = load_app_json()
        self.test = self.app["environments"]["test"]

    def test_the_keys_heroku_ci_reads(self):
        self.assertIsInstance(self.app.get("name"), str)
        self.assertEqual(set(self.app["environments"]), {"test"})
        self.assertLessEqual(set(self.test), {"buildpacks", "formation", "scripts", "env", "addons"})
        for key in ("test-setup", "test"):
            self.assertIsInstance(self.test["scripts"][key], str)
            self.assertNotIn("\n", self.test["scripts"][key])

    def test_the_apt_buildpack_reads_the_aptfile(self):
        urls = [buildpack["url"] for buildpack in self.test["buildpacks"]]
        self.assertEqual(urls[0], "heroku-community/apt")
        packages = aptfile_packages()
        for package in ("catch2", "libfmt-dev", "ninja-build", "cmake"):
            self.assertIn(package, packages)
        for package in packages:
            self.assertRegex(package, r"^[a-z0-9][a-z0-9+.-]*$", "one Ubuntu package name a line")

    def test_formation_is_a_parallel_run_heroku_allows(self):
        quantity = self.test["formation"]["test"]["quantity"]
        self.assertIsInstance(quantity, int)
        self.assertTrue(1 <= quantity <= 32, f"Heroku CI runs 1 to 32 test dynos, not {quantity}")
        self.assertEqual(quantity, DYNOS)

    def test_setup_builds_against_the_apt_prefix(self):
        setup = self.test["scripts"]["test-setup"]
        self.assertIn('-DCMAKE_PREFIX_PATH="$HOME/.apt/usr"', setup)
        self.assertIn("--target slow_tests", setup)

    def test_the_test_script_writes_heroku_safe_tap(self):
        self.assertRegex(self.test["scripts"]["test"],
                         r"slow_tests -r tap-stream::Xdiagnostics=comments$")


def package_files(packages):
    """The files of the installed Debian packages and of what they depend on (less what every
    stack image has), as the apt buildpack would extract them with dpkg -x."""
    stack = {"libc6", "libgcc-s1", "libstdc++6"}
    seen, todo, files = set(), list(packages), []
    while todo:
        package = todo.pop()
        if package in seen or package in stack:
            continue
        seen.add(package)
        depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package],
                                 capture_output=True, text=True, check=True).stdout
        todo += [re.split(r"[ (:]", alternative.strip())[0]
                 for alternative in depends.split(",") if alternative.strip()]
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True,
                                 check=True).stdout
        files += [path for path in listing.splitlines() if os.path.isfile(path)
                  or os.path.islink(path)]
    return files


class HerokuRunTest(unittest.TestCase):
    """One app directory for the whole class: set up once, then 12 dynos run the test script."""

    @classmethod
    def setUpClass(cls):
        cls.app = load_app_json()["environments"]["test"]
        cls.home = tempfile.mkdtemp(prefix="shardtap-heroku-")
        binary = os.path.join(cls.home, "build", "heroku", "sample_project", "slow_tests")
        # The sanitizer pass of scripts/test reuses the slow_tests it built rather than a
        # second, uninstrumented build of the same setup.
        cls.simulated = not os.environ.get("SHARDTAP_CONSUMER_FLAGS")
        if cls.simulated:
            cls.run_test_setup()
        else:
            os.makedirs(os.path.dirname(binary))
            os.symlink(SLOW_TESTS, binary)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    @classmethod
    def run_test_setup(cls):
        # The checkout, as Heroku CI clones it into $HOME, without build trees.
        shutil.copytree(SOURCE_DIR, cls.home, dirs_exist_ok=True, symlinks=True,
                        ignore=shutil.ignore_patterns("build*", "node_modules", ".git", "__pycache__"))
        apt = os.path.join(cls.home, ".apt")
        # cmake and ninja-build are the machine's own here; the libraries come from .apt only.
        libraries = [p for p in aptfile_packages() if p not in ("cmake", "ninja-build")]
        if CATCH2_PREFIX != "/usr":
            libraries.remove("catch2")
            shutil.copytree(CATCH2_PREFIX, os.path.join(apt, "usr"), symlinks=True)
        for path in package_files(libraries):
            target = apt + path
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.islink(path):
                os.symlink(os.readlink(path), target)
            else:
                shutil.copy2(path, target)
        cls.setup = subprocess.run(["bash", "-c", cls.app["scripts"]["test-setup"]], cwd=cls.home,
                                   env=clean_environment(HOME=cls.home), capture_output=True,
                                   text=True, timeout=900)

    def test_setup_finds_every_package_under_home_apt(self):
        if not self.simulated:
            self.skipTest("the test-setup build runs in the plain pass of scripts/test")
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        with open(os.path.join(self.home, "build", "heroku", "CMakeCache.txt")) as file:
            cache = file.read()
        for package in ("Catch2", "fmt"):
            found = re.search(rf"^{package}_DIR:PATH=(.*)$", cache, re.MULTILINE).group(1)
            self.assertTrue(found.startswith(os.path.join(self.home, ".apt", "usr")),
                            f"{package} found in {found}, not in $HOME/.apt")
        slow_tests = os.path.join(self.home, "build", "heroku", "sample_project", "slow_tests")
        self.assertEqual(catch2_version(slow_tests), catch2_version())

    def test_setup_builds_only_what_the_dynos_run(self):
        if not self.simulated:
            self.skipTest("the test-setup build runs in the plain pass of scripts/test")
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        built = set()
        for directory, _, files in os.walk(os.path.join(self.home, "build", "heroku")):
            built.update(name for name in files if name.endswith((".a", ".o")))
        # shardtap and shardtap::main, as one translation unit and main(); the sample's two
        # files. No layer library, no shardtap command, no test.
        self.assertEqual(sorted(name for name in built if name.endswith(".a")),
                         ["libshardtap.a", "libshardtap_main.a"])
        self.assertEqual(sorted(name for name in built if name.endswith(".o")),
                         ["main.cpp.o", "slow_tests.cpp.o", "unity_0_cxx.cxx.o",
                          "wait_time_scale.cpp.o"])

    def test_twelve_dynos_run_the_twenty_tests_once_in_heroku_safe_tap(self):
        self.assertEqual(self.app["formation"]["test"]["quantity"], DYNOS)
        dynos = [subprocess.Popen(["bash", "-c", self.app["scripts"]["test"]], cwd=self.home,
                                  env=clean_environment(
                                      HOME=self.home, CI="true", CI_NODE_TOTAL=DYNOS,
                                      CI_NODE_INDEX=index, WAIT_TIME_SCALE="0.01",
                                      HEROKU_TEST_RUN_ID="shardtap-test"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for index in range(DYNOS)]
        outputs = [dyno.communicate(timeout=300) for dyno in dynos]
        seen = collections.Counter()
        for index, (dyno, (stdout, stderr)) in enumerate(zip(dynos, outputs)):
            with self.subTest(dyno=index):
                self.assertEqual(dyno.returncode, 0, stderr)
                text = stdout.decode()
                self.assertTrue(text.startswith("TAP version 14\n"), text)
                for line in text.splitlines():
                    self.assertNotRegex(line, r"^\s", "Heroku CI rejects lines that start with whitespace")
                parsed = tap_parser(stdout)
                self.assertEqual((parsed.exit_status, parsed.problems), (0, []), text)
                self.assertEqual(parsed.plan, len(parsed.names))
                self.assertEqual(parsed.passed, len(parsed.names))
                self.assertIn(len(parsed.names), (1, 2))
                seen.update(parsed.names)
        self.assertEqual(sorted(seen), NAMES)
        self.assertEqual(set(seen.values()), {1}, "a test ran on two dynos")


if __name__ == "__main__":
    unittest.main(verbosity=2)
