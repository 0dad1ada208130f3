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
from harness import SOURCE_DIR, catch2_version, clean_environment, tap_header  # noqa: E402
from tap_consumers import tap_parser  # noqa: E402

SLOW_TESTS = os.environ.get("SHARDTAP_SLOW_TESTS", "")
NAMES = [f"test_slow[5-{i:02}]" for i in range(20)]
DYNOS = 12
# The heading of docs/heroku.md's section on the prebuilt .deb: its app.json scripts are run here.
DEB_ROUTE_HEADING = "## The prebuilt `.deb` route"
# The prefix of the Catch2 the build used. Where it is not the system's (scripts/test builds
# Ubuntu 24.04's 3.4.0 into one), it stands in for the catch2 package: the layout is the same.
CATCH2_DIR = os.environ.get("SHARDTAP_CATCH2_DIR", "/usr/lib/cmake/Catch2")
CATCH2_PREFIX = os.path.realpath(os.path.join(CATCH2_DIR, "..", "..", ".."))


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


def copy_checkout(home):
    """The checkout, as Heroku CI clones it into $HOME, without build trees."""
    shutil.copytree(SOURCE_DIR, home, dirs_exist_ok=True, symlinks=True,
                    ignore=shutil.ignore_patterns("build*", "node_modules", ".git", "__pycache__"))


def lay_out_aptfile_packages(home):
    """The Aptfile's libraries under $HOME/.apt, as the apt buildpack extracts them; cmake and
    ninja-build are the machine's own here."""
    apt = os.path.join(home, ".apt")
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


def run_setup(home, script):
    """A test-setup script, run from $HOME as Heroku CI runs it."""
    return subprocess.run(["bash", "-c", script], cwd=home, env=clean_environment(HOME=home),
                          capture_output=True, text=True, timeout=900)


def built_files(build_dir):
    """(static libraries, object files) that a build wrote, by file name, sorted."""
    built = set()
    for _, _, files in os.walk(build_dir):
        built.update(name for name in files if name.endswith((".a", ".o")))
    return (sorted(name for name in built if name.endswith(".a")),
            sorted(name for name in built if name.endswith(".o")))


class HerokuDynos:
    """What a user checks of a Heroku CI run, whichever way test-setup got slow_tests: set
    self.home (the app directory, set up), self.setup (test-setup's result), self.build_dir and
    self.test_script (scripts.test) in setUpClass."""

    def assert_setup_found_under_home_apt(self, packages):
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        with open(os.path.join(self.build_dir, "CMakeCache.txt")) as file:
            cache = file.read()
        for package in packages:
            found = re.search(rf"^{package}_DIR:PATH=(.*)$", cache, re.MULTILINE).group(1)
            self.assertTrue(found.startswith(os.path.join(self.home, ".apt", "usr")),
                            f"{package} found in {found}, not in $HOME/.apt")
        self.assertEqual(catch2_version(self.slow_tests()), catch2_version())

    def slow_tests(self):
        return os.path.join(self.home, self.test_script.split()[0])

    def test_twelve_dynos_run_the_twenty_tests_once_in_heroku_safe_tap(self):
        dynos = [subprocess.Popen(["bash", "-c", self.test_script], cwd=self.home,
                                  env=clean_environment(
                                      HOME=self.home, CI="true", CI_NODE_TOTAL=DYNOS,
                                      CI_NODE_INDEX=index, WAIT_TIME_SCALE="0.01",
                                      HEROKU_TEST_RUN_ID="shardtap-test"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for index in range(DYNOS)]
        outputs = [dyno.communicate(timeout=300) for dyno in dynos]
        seen, fingerprints = collections.Counter(), set()
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
                header = tap_header(stdout)
                self.assertEqual((header.get("node_index"), header.get("node_total")),
                                 (str(index), str(DYNOS)), text)
                fingerprints.add(header.get("fingerprint"))
                seen.update(parsed.names)
        self.assertEqual(sorted(seen), NAMES)
        self.assertEqual(set(seen.values()), {1}, "a test ran on two dynos")
        self.assertEqual(len(fingerprints), 1, f"the dynos split differently: {fingerprints}")
        self.assertNotIn(None, fingerprints)


class HerokuRunTest(HerokuDynos, unittest.TestCase):
    """The source route, app.json as it is: one app directory for the whole class, set up once,
    then 12 dynos run the test script."""

    @classmethod
    def setUpClass(cls):
        cls.app = load_app_json()["environments"]["test"]
        cls.test_script = cls.app["scripts"]["test"]
        cls.home = tempfile.mkdtemp(prefix="shardtap-heroku-")
        cls.build_dir = os.path.join(cls.home, "build", "heroku")
        binary = os.path.join(cls.home, cls.test_script.split()[0])
        # The sanitizer pass of scripts/test reuses the slow_tests it built rather than a
        # second, uninstrumented build of the same setup.
        cls.simulated = not os.environ.get("SHARDTAP_CONSUMER_FLAGS")
        if cls.simulated:
            copy_checkout(cls.home)
            lay_out_aptfile_packages(cls.home)
            cls.setup = run_setup(cls.home, cls.app["scripts"]["test-setup"])
        else:
            os.makedirs(os.path.dirname(binary))
            os.symlink(SLOW_TESTS, binary)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_setup_finds_every_package_under_home_apt(self):
        if not self.simulated:
            self.skipTest("the test-setup build runs in the plain pass of scripts/test")
        self.assert_setup_found_under_home_apt(("Catch2", "fmt"))

    def test_setup_builds_only_what_the_dynos_run(self):
        if not self.simulated:
            self.skipTest("the test-setup build runs in the plain pass of scripts/test")
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        # shardtap and shardtap::main, as one translation unit and main(); the sample's two
        # files. No layer library, no shardtap command, no test.
        self.assertEqual(built_files(self.build_dir),
                         (["libshardtap.a", "libshardtap_main.a"],
                          ["main.cpp.o", "slow_tests.cpp.o", "unity_0_cxx.cxx.o",
                           "wait_time_scale.cpp.o"]))


def documented_deb_route():
    """The .deb route's app.json scripts, as docs/heroku.md gives them: the first json block
    after the heading naming the route."""
    with open(os.path.join(SOURCE_DIR, "docs", "heroku.md")) as file:
        page = file.read()
    section = page[page.index(DEB_ROUTE_HEADING):]
    block = re.search(r"^ *```json\n(.*?)^ *```$", section, re.M | re.S).group(1)
    return json.loads("{" + block + "}")["scripts"]


def build_deb(work):
    """shardtap's .deb as a user builds it for Heroku: Release, against the suite's Catch2, only
    what the package holds; returns its path."""
    build = os.path.join(work, "package")
    for command in (["cmake", "-S", SOURCE_DIR, "-B", build, "-G", "Ninja",
                     "-DCMAKE_BUILD_TYPE=Release", f"-DCatch2_DIR={CATCH2_DIR}",
                     "-DSHARDTAP_BUILD_TESTS=OFF", "-DSHARDTAP_BUILD_BENCH=OFF",
                     "-DSHARDTAP_BUILD_SAMPLE=OFF", "-DSHARDTAP_INSTALL=ON"],
                    ["cmake", "--build", build, "-j2"],
                    ["cpack", "-G", "DEB", "-B", work]):
        result = subprocess.run(command, cwd=build if command[0] == "cpack" else None,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    debs = [name for name in os.listdir(work) if name.endswith(".deb")]
    if len(debs) != 1:
        raise AssertionError(f"cpack wrote {debs} into {work}, not one .deb")
    return os.path.join(work, debs[0])


def deb_fields(deb):
    """{field: value} of the .deb's control file, as `dpkg-deb -f` shows them."""
    fields = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^(\w+): (.*)$", fields, re.M))


def satisfies(version, relation):
    """Whether a Debian version satisfies a relation such as `>= 3.4.0` (dpkg's own rules)."""
    operator, bound = relation.split()
    operators = {">=": "ge", "<<": "lt", ">>": "gt", "<=": "le", "=": "eq"}
    return subprocess.run(["dpkg", "--compare-versions", version, operators[operator], bound]).returncode == 0


@unittest.skipIf(os.environ.get("SHARDTAP_CONSUMER_FLAGS"),
                 "a sanitized build needs a sanitized package; the plain pass builds the .deb")
class HerokuDebRouteTest(HerokuDynos, unittest.TestCase):
    """The prebuilt route: shardtap's .deb, built once, extracted into $HOME/.apt beside the
    Aptfile's packages as the apt buildpack extracts a .deb named by URL; test-setup only builds
    the sample against it, then 12 dynos run the test script."""

    @classmethod
    def setUpClass(cls):
        cls.scripts = documented_deb_route()
        cls.test_script = cls.scripts["test"]
        cls.work = tempfile.mkdtemp(prefix="shardtap-deb-")
        cls.home = os.path.join(cls.work, "app")
        cls.deb = build_deb(cls.work)
        copy_checkout(cls.home)
        lay_out_aptfile_packages(cls.home)
        subprocess.run(["dpkg", "-x", cls.deb, os.path.join(cls.home, ".apt")], check=True)
        cls.setup = run_setup(cls.home, cls.scripts["test-setup"])
        cls.build_dir = os.path.join(cls.home, os.path.dirname(cls.test_script.split()[0]))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_the_package_pins_the_catch2_it_was_built_with(self):
        fields = deb_fields(self.deb)
        with open(os.path.join(self.home, ".apt", "usr", "lib", "cmake", "shardtap",
                               "shardtapConfigVersion.cmake")) as file:
            version = re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', file.read()).group(1)
        self.assertEqual((fields["Package"], fields["Version"]), ("shardtap", f"{version}-1"))
        catch2 = ".".join(map(str, catch2_version()))
        major, minor, patch = catch2_version()
        relations = re.findall(r"(?:^|, )catch2 \(([^)]+)\)", fields["Depends"])
        self.assertEqual(relations, [f">= {catch2}", f"<< {major}.{minor}.{patch + 1}~"],
                         fields["Depends"])
        self.assertRegex(fields["Depends"], r"(^|, )libfmt-dev \(>= \d+\)")
        # What apt makes of the pin: any Debian revision of that Catch2, nothing else.
        for candidate, admitted in ((f"{catch2}-1", True), (f"{catch2}-1build1", True),
                                    (f"{major}.{minor}.{patch + 1}-1", False),
                                    (f"{major}.{minor + 1}.0-1", False), (f"{catch2}~rc1-1", False)):
            with self.subTest(catch2=candidate):
                self.assertEqual(all(satisfies(candidate, r) for r in relations), admitted)

    def test_setup_finds_shardtap_and_every_package_under_home_apt(self):
        self.assert_setup_found_under_home_apt(("shardtap", "Catch2", "fmt"))

    def test_setup_compiles_no_shardtap_source(self):
        self.assertEqual(self.setup.returncode, 0, self.setup.stdout + self.setup.stderr)
        # The sample's two files, linked with the package's libshardtap_main.a (main) and
        # libshardtap.a: no library built, no shardtap source compiled on the dyno.
        self.assertEqual(built_files(self.build_dir),
                         ([], ["slow_tests.cpp.o", "wait_time_scale.cpp.o"]))

    def test_the_test_script_is_app_jsons(self):
        self.assertEqual(self.test_script, load_app_json()["environments"]["test"]["scripts"]["test"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
