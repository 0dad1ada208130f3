"""The tap-stream reporter, checked by three TAP consumers nobody here wrote (tap_consumers.py)
against Catch2's own results for the same fixture binary."""
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
from harness import clean_environment, fixture, is_failure_status, run  # noqa: E402
from tap_consumers import CONSUMERS, prove, tap_parser  # noqa: E402

CASES = fixture("fixture_tap_cases")
FAILURE_TAGS = ("Expression", "Failure", "Exception", "FatalErrorCondition")
ALL = 45  # the test cases tap_cases.cpp runs by default
TIME = r" # time=\d+\.\d{3}ms"  # a test point's time, after its description


def catch2_counts(*args, env=None):
    """Catch2's own verdicts (-r xml on the same binary and arguments) in TAP's terms:
    a [!mayfail] test case that passes is TODO in the stream, so it moves from passed to todo."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "catch2.xml")
        run(CASES, "-r", f"xml::out={path}", *args, env=env)
        root = ElementTree.parse(path).getroot()
    cases = root.find("OverallResultsCases")
    mayfail_passed = 0
    for case in root.iter("TestCase"):
        result = case.find("OverallResult")
        failed = any(element.tag in FAILURE_TAGS and element.get("success") != "true"
                     for element in case.iter())
        if ("[!mayfail]" in case.get("tags", "") and result.get("success") == "true"
                and result.get("skips") == "0" and not failed):
            mayfail_passed += 1
    return {"passed": int(cases.get("successes")) - mayfail_passed,
            "failed": int(cases.get("failures")),
            "skipped": int(cases.get("skips")),
            "todo": int(cases.get("expectedFailures")) + mayfail_passed}


def tap_stream(*args, env=None, option=""):
    result = run(CASES, "-r", f"tap-stream{option}", *args, env=env)
    return result.stdout, result


def lines(stream):
    return stream.decode("utf-8").split("\n")


def untimed(text):
    """Test point lines without their time (` # time=12.345ms`), which differs run to run."""
    if isinstance(text, bytes):
        return re.sub(rb" # time=\d+\.\d{3}ms$", b"", text, flags=re.M)
    return re.sub(r" # time=\d+\.\d{3}ms$", "", text, flags=re.M)


def comments_as_yaml(stream):
    """A comments-mode stream with its '# ---' ... '# ...' blocks turned back into YAML."""
    out, inside = [], False
    for line in lines(stream):
        if line == "# ---":
            inside = True
        if inside:
            line = "  " + line[2:]
        if line == "  ...":
            inside = False
        out.append(line)
    return "\n".join(out).encode()


def without_durations(diagnostics):
    return [{k: v for k, v in (d or {}).items() if k != "duration_ms"} for d in diagnostics]


class StreamChecks(unittest.TestCase):
    def assert_valid(self, stream, expected_counts, planned, bail_out=None):
        """Every consumer reads the stream without a parse error and counts what Catch2 does."""
        stream.decode("utf-8")  # always valid UTF-8, whatever the names and output hold
        self.assertTrue(stream.startswith(b"TAP version 14\n"), stream[:80])
        for consume in CONSUMERS:
            summary = consume(stream)
            with self.subTest(consumer=summary.consumer):
                expected_problems = []
                ran = sum(summary.counts().values())
                if bail_out and summary.consumer == "prove" and ran < planned:
                    expected_problems = [f"Bad plan.  You planned {planned} tests but ran {ran}."]
                if bail_out and summary.consumer == "tappy":
                    expected_problems = [f"Bailed: {summary.bail_out}"]
                self.assertEqual(summary.problems, expected_problems)
                self.assertEqual(summary.counts(), expected_counts)
                if summary.consumer != "tappy":  # tappy checks the plan as a rule (problems)
                    self.assertEqual(summary.plan, planned)
                if bail_out:
                    self.assertIsNotNone(summary.bail_out)
                    self.assertIn(bail_out, summary.bail_out)
                else:
                    self.assertIsNone(summary.bail_out)
                    self.assertEqual(sum(summary.counts().values()), planned,
                                     "the plan must match the test points")


class OrdinaryCasesTest(StreamChecks):
    def test_counts_match_catch2_for_every_consumer(self):
        stream, result = tap_stream()
        self.assertTrue(is_failure_status(result.returncode), result.returncode)
        counts = catch2_counts()
        self.assertEqual(sum(counts.values()), ALL)
        self.assert_valid(stream, counts, planned=ALL)

    def test_comment_diagnostics_hold_the_same_and_no_line_starts_with_whitespace(self):
        yaml_stream, _ = tap_stream("--order", "decl")
        comments_stream, result = tap_stream("--order", "decl", option="::Xdiagnostics=comments")
        self.assertTrue(is_failure_status(result.returncode), result.returncode)
        self.assert_valid(comments_stream, catch2_counts(), planned=ALL)
        for line in lines(comments_stream):
            self.assertFalse(line[:1].isspace(), f"Heroku CI rejects {line!r}")
        self.assertEqual(without_durations(tap_parser(comments_as_yaml(comments_stream)).diagnostics),
                         without_durations(tap_parser(yaml_stream).diagnostics))

    def test_one_test_point_per_test_case_plan_first(self):
        stream, _ = tap_stream()
        text = lines(stream)
        self.assertEqual(text[:2], ["TAP version 14", f"1..{ALL}"])
        points = [line for line in text if re.match(r"(not )?ok \d+", line)]
        self.assertEqual(len(points), ALL)
        self.assertEqual([int(re.match(r"(?:not )?ok (\d+)", p).group(1)) for p in points],
                         list(range(1, ALL + 1)))

    def test_every_test_case_point_carries_its_time(self):
        stream, _ = tap_stream()
        points = [l for l in lines(stream) if re.match(r"(not )?ok \d+", l)]
        timed = [l for l in points if re.search(r" # time=\d+\.\d{3}ms$", l)]
        directives = [l for l in points if re.search(r" # (SKIP|TODO)", l)]
        self.assertEqual(len(timed) + len(directives), ALL)  # behind a directive: duration_ms
        self.assertGreater(len(timed), 30)
        summary = tap_parser(stream)  # tap-parser reads the time where node-tap writes it
        self.assertEqual(summary.names, [n for n in summary.names if "time=" not in n])

    def test_a_points_time_is_the_test_cases_whatever_ends_it(self):
        # Each sleeps 60 ms: over two runs of its body (one per section), or before a failed
        # REQUIRE, an exception or SKIP() ends it, where Catch2 itself measures nothing.
        stream, _ = tap_stream("[.timed]", "--order", "decl")
        summary = tap_parser(stream)
        self.assertEqual(summary.names, ["sleeps in two sections", "sleeps, then fails a REQUIRE",
                                         "sleeps, then throws", "sleeps, then skips"])
        self.assertIn("ok 4 - sleeps, then skips # SKIP slept", lines(stream))
        for name, milliseconds in zip(summary.names, summary.times):
            with self.subTest(name):
                self.assertGreaterEqual(milliseconds, 60)
                self.assertLess(milliseconds, 5000)

    def point(self, name, option=""):
        """The test point named `name` and its YAML diagnostics, as tap-parser reads them; the
        points are numbered in declaration order."""
        stream, _ = tap_stream("--order", "decl", option=option)
        summary = tap_parser(stream if not option else comments_as_yaml(stream))
        index = summary.names.index(name)
        line = [l for l in lines(stream) if re.match(rf"(not )?ok {index + 1} ", l)][0]
        return untimed(line), summary.diagnostics[index]

    def test_failed_check_carries_file_line_macro_expression_expansion(self):
        line, diag = self.point("fails a CHECK and goes on")
        self.assertEqual(line, "not ok 2 - fails a CHECK and goes on")
        (failure,) = diag["failures"]
        self.assertTrue(failure["file"].endswith("tap_cases.cpp"))
        self.assertIsInstance(failure["line"], int)
        self.assertEqual((failure["macro"], failure["expression"], failure["expansion"]),
                         ("CHECK", "x == 2", "1 == 2"))
        stream, _ = tap_stream("--order", "decl")
        self.assertRegex(stream.decode(), r"not ok 2 - fails a CHECK and goes on # time=(\d+\.\d{3})ms\n"
                                          r"  ---\n  duration_ms: \1\n")

    def test_failed_require_stops_the_test_case(self):
        _, diag = self.point("fails a REQUIRE")
        self.assertEqual([(f["macro"], f["expansion"]) for f in diag["failures"]],
                         [("REQUIRE", '"actual" == "expected"')])

    def test_info_capture_and_sections(self):
        _, diag = self.point("INFO and CAPTURE")
        self.assertEqual(diag["failures"][0]["messages"], ["looking for the answer", "answer := 41"])
        _, diag = self.point("sections")
        self.assertEqual(diag["failures"][0]["sections"], ["outer", "inner fails"])
        _, diag = self.point("generators")
        self.assertEqual(diag["failures"][0]["messages"], ["value := 2"])

    def test_warn_and_no_assertions_pass_without_diagnostics(self):
        for name in ("warns and passes", "has no assertions", "generators all pass"):
            line, diag = self.point(name)
            self.assertRegex(line, rf"^ok \d+ - {name}$")
            self.assertIsNone(diag)

    def test_skip_todo_and_should_fail(self):
        self.assertRegex(self.point("skips")[0], r"^ok \d+ - skips # SKIP no database \\# here$")
        self.assertRegex(self.point("may fail and fails")[0], r"^not ok \d+ - .* # TODO tagged \[!mayfail\]$")
        self.assertRegex(self.point("may fail and passes")[0], r"^ok \d+ - .* # TODO tagged \[!mayfail\]$")
        self.assertRegex(self.point("should fail and fails")[0], r"^not ok \d+ - .* # TODO tagged \[!shouldfail\]$")
        line, diag = self.point("should fail but passes")
        self.assertRegex(line, r"^not ok \d+ - should fail but passes$")
        self.assertIn("[!shouldfail]", diag["message"])

    def test_exceptions(self):
        _, diag = self.point("throws a std::runtime_error")
        self.assertEqual(diag["failures"][0]["kind"], "exception")
        self.assertEqual(diag["failures"][0]["message"], "boom # with \\ specials\nand a second line")
        _, diag = self.point("throws an int")
        self.assertEqual(diag["failures"][0]["message"], "Unknown exception")

    def test_the_tests_own_output_goes_into_diagnostics_not_the_stream(self):
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                _, diag = self.point("noise on stdout and stderr, then fails", option=option)
                self.assertEqual(diag["stdout"], "printf to stdout\nstd::cout line\nraw write(1)\n")
                self.assertEqual(diag["stderr"], "fprintf to stderr\nstd::cerr line\n")
        stream, result = tap_stream("[noise]")
        self.assertNotIn(b"fake", stream)
        self.assertNotIn(b"no newline", stream)
        self.assertNotIn(b"from stderr", result.stderr)  # a passing test's output is dropped
        self.assert_valid(stream, catch2_counts("[noise]"), planned=6)
        self.assertNotIn("stdout", self.point("fails after a noisy passing test")[1])
        self.assertEqual(self.point("more output than a page, then fails")[1]["stdout"],
                         ("x" * 99 + "\n") * 100)
        self.assertEqual(self.point("output starting with NUL bytes, then fails")[1]["stdout"],
                         "\0" * 9 + "after NUL bytes\n")

    def test_long_output_keeps_its_end_whoever_captured_it(self):
        # On stdout the reporter captures file descriptors 1 and 2; into a file, Catch2 captures
        # std::cout and std::cerr. Either way a failed point keeps the last 64 KiB.
        on_stdout, _ = tap_stream("[long-output]")
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "node.tap")
            run(CASES, "-r", f"tap-stream::out={path}", "[long-output]")
            with open(path, "rb") as file:
                in_file = file.read()
        (from_fds,) = tap_parser(on_stdout).diagnostics
        (from_catch2,) = tap_parser(in_file).diagnostics
        kept = 64 * 1024
        written = {"stdout": len("first line\n") + 700 * 100 + len("last line\n"),
                   "stderr": len("first error\n") + 70000 + len("\nlast error\n")}
        for key, last in (("stdout", "y\nlast line\n"), ("stderr", "e\nlast error\n")):
            with self.subTest(key=key):
                note = f"[{written[key] - kept} bytes of output left out]\n"
                self.assertEqual(from_fds[key], from_catch2[key])
                self.assertTrue(from_fds[key].startswith(note), from_fds[key][:80])
                self.assertTrue(from_fds[key].endswith(last))
                self.assertEqual(len(from_fds[key]), len(note) + kept)

    def test_names_with_every_special_character(self):
        stream, _ = tap_stream("[names]", "--order", "decl")
        self.assert_valid(stream, catch2_counts("[names]"), planned=22)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "catch2.xml")
            run(CASES, "-r", f"xml::out={path}", "[names]", "--order", "decl")
            catch2_names = [case.get("name") for case in ElementTree.parse(path).getroot().iter("TestCase")]
        read = tap_parser(stream).names
        self.assertEqual(len(read), len(catch2_names))
        escaped = {  # no TAP escape exists for these; shardtap writes them visibly
            # (keys as Catch2's XML gives them: an XML attribute turns \n \r \t into spaces)
            "newline in the name": "newline\\nin the name",
            "tab and carriage return": "tab\\tand carriage\\rreturn",
            "controls \\x01\\x02\\x1B[31m and del \\x7F": "controls \\x01\\x02\\x1b[31m and del \\x7f",
            "line separator \u2028 and next line \x85": "line separator \\xe2\\x80\\xa8 and next line \\xc2\\x85",
            "special name # \\   and a failing special expression":
                "special name # \\ \\n and a failing special expression",
        }
        for name, seen in zip(catch2_names, read):
            if "not UTF-8" in name:
                self.assertEqual(seen, "not UTF-8 \\xff\\xfe\\xc3")
            else:
                self.assertEqual(seen, escaped.get(name, name).strip())  # tap-parser trims
        _, diag = self.point("special name # \\ \n and a failing special expression".replace("\n", "\\n"))
        self.assertEqual(diag["failures"][0]["expansion"], '"a # b \\ c\nd "e""\n==\n"a: b"')
        self.assertEqual(diag["failures"][0]["messages"],
                         ['message with # and \\ and "quotes"\nover two lines'])


class MethodTest(StreamChecks):
    def test_one_name_on_two_classes_each_point_followed_by_its_class_and_tags_lines(self):
        for option, prefix in (("", "  "), ("::Xdiagnostics=comments", "# ")):
            with self.subTest(option=option):
                stream, result = tap_stream("[methods]", "--order", "decl", option=option)
                self.assertTrue(is_failure_status(result.returncode), result.returncode)
                self.assert_valid(stream, catch2_counts("[methods]", "--order", "decl"), planned=2)
                text = stream.decode()
                self.assertRegex(text, rf"\nok 1 - one name, two classes{TIME}\n# shardtap class: Passing\n"
                                       r"# shardtap tags: \[\.\]\[methods\]\n")
                block = rf"{prefix}---\n(?:{prefix}.*\n)*?{prefix}\.\.\.\n"
                self.assertRegex(text, rf"\nnot ok 2 - one name, two classes{TIME}\n{block}"
                                       r"# shardtap class: Failing\n# shardtap tags: \[\.\]\[methods\]\n")
                summary = tap_parser(stream if not option else comments_as_yaml(stream))
                self.assertEqual(summary.names, ["one name, two classes"] * 2)
                self.assertEqual(summary.diagnostics[1]["failures"][0]["expansion"], "2 == 1")


class HeaderTest(StreamChecks):
    def test_one_node_header(self):
        stream, _ = tap_stream("[basic]")
        text = lines(stream)
        self.assertEqual(text[2:5], ["# shardtap node_index: 0", "# shardtap node_total: 1",
                                     "# shardtap provider: none"])
        self.assertRegex(text[-2], r"^# shardtap elapsed: \d+\.\d{3}$")

    def test_split_nodes_agree_on_the_fingerprint_and_cover_the_suite_once(self):
        total, fingerprints, planned, names = 3, set(), 0, []
        for index in range(total):
            env = {"SHARDTAP_NODE_TOTAL": total, "SHARDTAP_NODE_INDEX": index}
            stream, result = tap_stream("[basic],[names]", env=env)
            header = dict(re.findall(r"^# shardtap (\w+): (.*)$", stream.decode(), re.M))
            self.assertEqual((header["node_index"], header["node_total"]), (str(index), str(total)))
            self.assertIn(f"from {header['provider']})".encode(), result.stderr)
            self.assertEqual(header["strategy"], "round-robin")
            self.assertEqual(header["suite_size"], "39")
            self.assertIn(header["fingerprint"].encode(), result.stderr)  # what selection printed
            fingerprints.add(header["fingerprint"])
            summary = tap_parser(stream)
            planned += summary.plan
            names += summary.names
            self.assert_valid(stream, catch2_counts("[basic],[names]", env=env), summary.plan)
        self.assertEqual(len(fingerprints), 1)
        self.assertEqual(planned, 39)
        self.assertEqual(len(names), 39)

    def test_an_empty_node_skips_its_whole_stream_and_passes(self):
        env = {"SHARDTAP_NODE_TOTAL": 5, "SHARDTAP_NODE_INDEX": 4}
        stream, result = tap_stream("passes,skips", env=env)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(lines(stream)[:2], ["TAP version 14",
                                             "1..0 # SKIP node 4 of 5 has no test cases (2 in the whole suite)"])
        for consume in CONSUMERS:
            summary = consume(stream)
            with self.subTest(consumer=summary.consumer):
                self.assertEqual(summary.problems, [])
                self.assertEqual(summary.failed + summary.passed + summary.todo, 0)
                if summary.consumer == "tappy":  # reports the skipped plan as one skipped test
                    self.assertEqual(summary.skipped, 1)
                else:
                    self.assertEqual((summary.plan, summary.skipped), (0, 0))


class CrashTest(StreamChecks):
    def crash(self, tag, option=""):
        stream, result = tap_stream(f"[{tag}]", "--order", "decl", option=option)
        self.assertNotEqual(result.returncode, 0)
        return stream, result

    def assert_crash(self, tag, signal_number, bail_out, crashing_test, planned=3, catch2_reports=True):
        """Checks the stream in both diagnostics styles; returns the YAML one."""
        streams = []
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                stream, result = self.crash(tag, option)
                if b"ERROR: AddressSanitizer: SEGV" in result.stderr:
                    self.assertEqual(result.returncode, 1)  # ASan's handler had the last word
                else:
                    self.assertEqual(result.returncode, -signal_number)
                text = [re.sub(TIME + "$", "", l) for l in lines(stream) if re.match(r"(not )?ok |Bail out!", l)]
                self.assertEqual(text[-1][:len("Bail out! ")], "Bail out! ")
                self.assertIn(bail_out, text[-1])
                self.assertRegex(text[-2], rf"^not ok \d+ - {re.escape(crashing_test)}$")
                self.assertTrue(all(l.startswith("ok ") for l in text[:-2]), text)
                counts = catch2_counts(f"[{tag}]", "--order", "decl") if catch2_reports else {
                    "passed": len(text) - 2, "failed": 1, "skipped": 0, "todo": 0}
                self.assert_valid(stream, counts, planned=planned, bail_out=bail_out)
                if option:
                    for line in lines(stream):
                        self.assertFalse(line[:1].isspace(), f"Heroku CI rejects {line!r}")
                streams.append(stream)
        return streams[0]

    def test_segfault(self):
        stream = self.assert_crash("crash-segv", signal.SIGSEGV, "SIGSEGV", "segfaults")
        (diag,) = [d for d in tap_parser(stream).diagnostics if d]
        self.assertEqual(diag["failures"][0]["kind"], "fatal")
        self.assertEqual(diag["stdout"], "last words on stdout\n")

    def test_abort(self):
        self.assert_crash("crash-abort", signal.SIGABRT, "SIGABRT", "aborts")

    def test_sigterm_in_a_test(self):
        self.assert_crash("crash-sigterm", signal.SIGTERM, "SIGTERM", "receives SIGTERM")

    def test_uncaught_exception_through_noexcept(self):
        stream = self.assert_crash("crash-terminate", signal.SIGABRT, "uncaught exception: escaped",
                                   "throws through noexcept")
        self.assertIn(b"\nBail out! uncaught exception: escaped \\# through noexcept (SIGABRT", stream)
        (diag,) = [d for d in tap_parser(stream).diagnostics if d]
        self.assertIn("uncaught exception: escaped # through noexcept", diag["failures"][0]["message"])

    def test_sigterm_between_test_cases_where_catch2_does_not_handle_it(self):
        # A listener raises SIGTERM after the first test case, before the reporter saw it end.
        self.assert_crash("crash-between", signal.SIGTERM, "SIGTERM",
                          "passes, then SIGTERM arrives after it", planned=2, catch2_reports=False)

    def test_killed_from_outside_while_running_every_line_already_written(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        marker = os.path.join(directory.name, "sleeping")  # the fixture writes it, then sleeps
        process = subprocess.Popen([CASES, "-r", "tap-stream", "[crash-kill]", "--order", "decl"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=clean_environment(TAP_CASES_SLEEPING=marker))
        seen = b""
        try:
            while not untimed(seen).endswith(b"ok 1 - passes before it is killed\n"):
                line = process.stdout.readline()  # flushed while the next test case still runs
                self.assertTrue(line, f"the stream ended early: {seen!r}")
                seen += line
            deadline = time.monotonic() + 30
            while not os.path.exists(marker) and time.monotonic() < deadline:
                time.sleep(0.01)
            process.send_signal(signal.SIGTERM)
            rest, _ = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.assertEqual(process.returncode, -signal.SIGTERM)
        stream = seen + rest
        # The crash's lines were prepared before the test case ran: its time is in the block.
        self.assertRegex(stream.decode(), r"\nnot ok 2 - sleeps until it is killed\n  ---\n  duration_ms: \d+\.\d{3}\n")
        self.assert_valid(stream, {"passed": 1, "failed": 1, "skipped": 0, "todo": 0}, planned=2,
                          bail_out="SIGTERM")

    def test_a_crash_after_a_method_keeps_its_class_and_tags_lines(self):
        stream = self.assert_crash("crash-between-method", signal.SIGTERM, "SIGTERM",
                                   "a method, then SIGTERM arrives after it", planned=2,
                                   catch2_reports=False)
        self.assertRegex(stream.decode(), r"\nnot ok 1 - a method, then SIGTERM arrives after it\n"
                                          r"  ---\n  message: .*\n  \.\.\.\n# shardtap class: Passing\n"
                                          r"# shardtap tags: \[\.\]\[crash-between-method\]\n"
                                          r"Bail out! ")

    def test_crashes_with_the_stream_in_a_file(self):
        for tag, signal_number in (("crash-segv", signal.SIGSEGV), ("crash-between", signal.SIGTERM)):
            with self.subTest(tag=tag), tempfile.TemporaryDirectory() as directory:
                path = os.path.join(directory, "node.tap")
                result = run(CASES, "-r", f"tap-stream::out={path}", f"[{tag}]", "--order", "decl")
                self.assertNotEqual(result.returncode, 0)
                with open(path, "rb") as file:
                    stream = file.read()
                self.assertRegex(stream.decode(), r"\nnot ok \d+ - [^\n]+\n(  [^\n]*\n)*Bail out! SIG")
                summary = tap_parser(stream)
                self.assertEqual(summary.problems, [])
                self.assertEqual(summary.failed, 1)

    def test_tests_cut_off_by_abort_get_a_skipped_point(self):
        stream, result = tap_stream("[abort-x]", "--order", "decl", "-a")
        self.assertTrue(is_failure_status(result.returncode), result.returncode)
        counts = catch2_counts("[abort-x]", "--order", "decl", "-a")
        counts["skipped"] += 2  # Catch2 does not count test cases it never started
        self.assert_valid(stream, counts, planned=3)
        self.assertIn(b"ok 3 - is cut off by -x too # SKIP not run: the run was aborted (-x/--abort)\n",
                      stream)


class ExitTest(StreamChecks):
    """exit() in mid-run: the process ends with the status given to exit(), which the reporter
    cannot change; the stream's Bail out! is what tells a consumer."""

    def test_exit_during_a_test_case(self):
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                stream, result = tap_stream("[exit]", "--order", "decl", option=option)
                self.assertEqual(result.returncode, 0)
                text = [untimed(l) for l in lines(stream) if re.match(r"(not )?ok |Bail out!", l)]
                self.assertEqual(text, ["ok 1 - passes before exit() 1", "ok 2 - passes before exit() 2",
                                        "ok 3 - passes before exit() 3", "not ok 4 - calls exit(0)",
                                        "Bail out! exit() called during test case calls exit(0)"])
                self.assertTrue(stream.endswith(b"Bail out! exit() called during test case calls exit(0)\n"))
                self.assert_valid(stream, {"passed": 3, "failed": 1, "skipped": 0, "todo": 0}, planned=5,
                                  bail_out="exit() called during test case calls exit(0)")
                self.assertNotEqual(prove(stream).exit_status, 0)
                (diag,) = [d for d in tap_parser(comments_as_yaml(stream)).diagnostics if d]
                self.assertIn("exit()", diag["message"])
                self.assertEqual(diag["failures"][0]["expansion"], "1 == 2")
                self.assertEqual(diag["stdout"], "unflushed on stdout")
                self.assertEqual(diag["stderr"], "last words on stderr\n")
                # The descriptors are back: what is written after the hook reaches the real stderr.
                self.assertIn(b"a static destructor wrote this after exit()\n", result.stderr)
                self.assertNotIn(b"static destructor", stream)

    def test_exit_between_test_cases(self):
        stream, result = tap_stream("[exit-between]", "--order", "decl")
        self.assertEqual(result.returncode, 0)
        self.assertTrue(untimed(stream).endswith(b"\nok 1 - passes before exit() between test cases\n"
                                        b"Bail out! exit() called between test cases\n"), stream)
        self.assert_valid(stream, {"passed": 1, "failed": 0, "skipped": 0, "todo": 0}, planned=2,
                          bail_out="exit() called between test cases")
        self.assertIn(b"a static destructor wrote this after exit()\n", result.stderr)

    def test_exit_with_the_stream_in_a_file(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "node.tap")
            result = run(CASES, "-r", f"tap-stream::out={path}", "[exit]", "--order", "decl")
            with open(path, "rb") as file:
                stream = file.read()
        self.assertEqual(result.returncode, 0)
        self.assert_valid(stream, {"passed": 3, "failed": 1, "skipped": 0, "todo": 0}, planned=5,
                          bail_out="exit() called during test case calls exit(0)")


class ForkTest(StreamChecks):
    def test_a_forked_child_that_crashes_or_exits_leaves_the_parents_stream_alone(self):
        def without_elapsed(stream):
            return re.sub(rb"\n# shardtap elapsed: [^\n]*", b"", untimed(stream))

        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                stream, result = tap_stream("[fork]", "--order", "decl", option=option)
                self.assertEqual(result.returncode, 0, result.stderr)
                alone, _ = tap_stream("[fork]", "--order", "decl", option=option,
                                      env={"TAP_CASES_NO_FORK": "1"})
                self.assertEqual(without_elapsed(stream), without_elapsed(alone))
                self.assert_valid(stream, {"passed": 5, "failed": 0, "skipped": 0, "todo": 0}, planned=5)


class ReporterOptionsTest(StreamChecks):
    def test_plan_under_catch2s_own_sharding(self):
        # Under Catch2's own --shard-*, the drop-in way splits by them: the plan is the share.
        dropin = fixture("fixture_dropin")
        result = run(dropin, "-r", "tap-stream", "--shard-count", "3", "--shard-index", "0")
        self.assertEqual(result.returncode, 0, result.stderr)
        block = run(dropin, "-r", "xml", "--shard-count", "3", "--shard-index", "0")
        expected = len(ElementTree.fromstring(block.stdout).findall(".//TestCase"))
        self.assertIn(f"\n1..{expected}\n".encode(), result.stdout)
        self.assertEqual(result.stdout.count(b"\nok "), expected)

    def test_a_test_case_registered_after_the_split_stops_the_node(self):
        # The split never saw it, so it is in no node's share: running it would run it on every
        # node. The selection listener's safety net stops the node with Bail out! and exit 1.
        late = fixture("fixture_late_registration")
        env = {"SHARDTAP_NODE_TOTAL": 2, "SHARDTAP_NODE_INDEX": 0}
        result = run(late, "-r", "tap-stream", "--order", "decl", env=env)
        self.assertEqual(result.returncode, 1, result.stderr)
        share = int(re.search(rb": (\d+) of \d+ test cases", result.stderr).group(1))
        text = lines(result.stdout)
        self.assertEqual(text[1], f"1..{share}")
        self.assertRegex(text[-2], r"^Bail out! Catch2 \d+\.\d+\.\d+ started test case \"registered "
                                   r"after the split\", which is not in node 0 of 2's share")
        self.assertEqual(text[-1], "")  # nothing after it
        self.assertEqual(len([l for l in text if l.startswith("ok ")]), share)
        self.assertIn(b"shardtap: Catch2 ", result.stderr)
        self.assert_valid(result.stdout, {"passed": share, "failed": 0, "skipped": 0, "todo": 0},
                          planned=share, bail_out="not in node 0 of 2's share")

    def test_to_a_file_alongside_other_reporters(self):
        with tempfile.TemporaryDirectory() as directory:
            tap, junit = os.path.join(directory, "node.tap"), os.path.join(directory, "junit.xml")
            result = run(CASES, "[basic],[noise]", "-r", f"tap-stream::out={tap}",
                         "-r", f"junit::out={junit}", "-r", "console")
            with open(tap, "rb") as file:
                stream = file.read()
            ElementTree.parse(junit)
        self.assertTrue(is_failure_status(result.returncode), result.returncode)
        self.assertIn(b"test cases:", result.stdout)  # the console reporter kept stdout
        self.assertIn(b"printf to stdout", result.stdout)  # not the stream's: left alone
        self.assert_valid(stream, catch2_counts("[basic],[noise]"), planned=23)
        summary = tap_parser(stream)
        diag = summary.diagnostics[summary.names.index("noise on stdout and stderr, then fails")]
        self.assertIn("std::cout line", diag["stdout"])  # Catch2's capture of std::cout

    def test_a_run_that_never_ends_normally_still_ends_its_stream(self):
        # Another reporter fails to start after tap-stream did: Catch2 destroys the reporters
        # without testRunEnded. The stream gets its last lines all the same, on the real stdout.
        result = run(CASES, "[basic]", "-r", "tap-stream", "-r", "fails-to-start::out=/dev/null")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b"fails-to-start: this reporter cannot start", result.stderr)
        text = lines(result.stdout)
        self.assertEqual(text[:2], ["TAP version 14", "1..17"])
        self.assertRegex(text[-3], r"^# shardtap elapsed: \d+\.\d{3}$")
        self.assertEqual(text[-2:], ["Bail out! the run ended after 0 of the 17 planned test cases", ""])
        self.assert_valid(result.stdout, {"passed": 0, "failed": 0, "skipped": 0, "todo": 0},
                          planned=17, bail_out="the run ended after 0")

    def test_listed_with_a_description(self):
        result = run(CASES, "--list-reporters")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.decode(), r"tap-stream:\s+TAP version 14")

    def test_unknown_options_are_rejected_clearly(self):
        result = run(CASES, "-r", "tap-stream::Xcolour=yes")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b'tap-stream: unknown reporter option "Xcolour"', result.stderr)
        result = run(CASES, "-r", "tap-stream::Xdiagnostics=json")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b"Xdiagnostics=json is not a choice", result.stderr)


class TimeoutTest(StreamChecks):
    """SHARDTAP_TEST_TIMEOUT: a test case that sleeps forever is ended after 1 s."""
    HUNG = "prints, then sleeps forever"
    REASON = f"test case {HUNG} timed out after 1 s"

    def test_the_hung_test_case_gets_not_ok_with_its_time_and_output_then_bail_out_and_124(self):
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                started = time.monotonic()
                stream, result = tap_stream("[timeout]", "--order", "decl", option=option,
                                            env={"SHARDTAP_TEST_TIMEOUT": "1"})
                self.assertLess(time.monotonic() - started, 30)
                self.assertEqual(result.returncode, 124, result.stderr)
                self.assertIn(f"shardtap: {self.REASON}\n".encode(), result.stderr)
                text = [untimed(l) for l in lines(stream) if re.match(r"(not )?ok |Bail out!", l)]
                self.assertEqual(text, ["ok 1 - passes before the hang", "not ok 2 - fails before the hang",
                                        f"not ok 3 - {self.HUNG}", f"Bail out! {self.REASON}"])
                self.assert_valid(stream, {"passed": 1, "failed": 2, "skipped": 0, "todo": 0}, planned=4,
                                  bail_out=self.REASON)
                if option:
                    for line in lines(stream):
                        self.assertFalse(line[:1].isspace(), f"Heroku CI rejects {line!r}")
                diagnostics = tap_parser(comments_as_yaml(stream)).diagnostics
                self.assertEqual(diagnostics[1]["failures"][0]["expansion"], "1 == 2")  # kept
                hung = diagnostics[2]
                after = stream.decode().split(f"not ok 3 - {self.HUNG}\n")[1]
                duration = re.match(r"(?:  |# )---\n(?:  |# )duration_ms: (\d+\.\d{3})\n", after)
                self.assertGreaterEqual(float(duration.group(1)), 1000)  # tap-parser moves it to `time`
                self.assertEqual(hung["stdout"], "waiting for nothing\n")
                self.assertEqual(hung["stderr"], "still waiting\n")

    def test_any_other_reporter_gets_the_stderr_line_and_the_status(self):
        result = run(CASES, "-r", "console", "[timeout]", "--order", "decl",
                     env={"SHARDTAP_TEST_TIMEOUT": "1"})
        self.assertEqual(result.returncode, 124)
        self.assertEqual(result.stderr.decode().splitlines()[-1], f"shardtap: {self.REASON}")
        self.assertIn(b"CHECK( 1 == 2 )", result.stdout)  # the console's earlier report stays

    def test_the_command_line_option_and_no_durations_file(self):
        with tempfile.TemporaryDirectory() as directory:
            durations = os.path.join(directory, "durations.json")
            result = run(CASES, "-r", "tap-stream", "[timeout]", "--shardtap-test-timeout", "1",
                         env={"SHARDTAP_DURATIONS_OUT": durations})
            self.assertEqual(result.returncode, 124, result.stderr)
            self.assertFalse(os.path.exists(durations))
        self.assertIn(f"Bail out! {self.REASON}".encode(), result.stdout)

    def test_quick_test_cases_are_not_affected(self):
        stream, result = tap_stream("[basic]", env={"SHARDTAP_TEST_TIMEOUT": "30"})
        self.assertTrue(is_failure_status(result.returncode), result.returncode)
        self.assert_valid(stream, catch2_counts("[basic]"), planned=17)

    def test_bad_values_stop_the_run_with_one_line(self):
        for value in ("0", "-1", "soon", ""):
            with self.subTest(value=value):
                result = run(CASES, "[basic]", env={"SHARDTAP_TEST_TIMEOUT": value})
                self.assertEqual(result.returncode, 1)
                self.assertEqual(len(result.stderr.decode().splitlines()), 1, result.stderr)
                self.assertIn(b"SHARDTAP_TEST_TIMEOUT", result.stderr)
                self.assertEqual(result.stdout, b"")


class PassingOutputTest(StreamChecks):
    def test_with_s_passing_points_carry_their_output(self):
        for option in ("", "::Xdiagnostics=comments"):
            with self.subTest(option=option):
                stream, result = tap_stream("[passing-output]", "--order", "decl", "-s", option=option)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assert_valid(stream, {"passed": 2, "failed": 0, "skipped": 0, "todo": 0}, planned=2)
                if option:
                    for line in lines(stream):
                        self.assertFalse(line[:1].isspace(), f"Heroku CI rejects {line!r}")
                diagnostics = tap_parser(comments_as_yaml(stream)).diagnostics
                self.assertEqual(diagnostics[0], {"stdout": "passing printf\npassing std::cout\n",
                                                  "stderr": "passing fprintf\npassing std::cerr\n"})
                self.assertIsNone(diagnostics[1])  # nothing printed: no block

    def test_without_s_nothing_changes(self):
        stream, _ = tap_stream("[passing-output]", "--order", "decl")
        self.assertEqual([d for d in tap_parser(stream).diagnostics], [None, None])
        self.assertNotIn(b"passing", stream)

    def test_with_the_stream_in_a_file_catch2s_capture_is_used(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "node.tap")
            result = run(CASES, "-r", f"tap-stream::out={path}", "[passing-output]", "--order", "decl", "-s")
            with open(path, "rb") as file:
                stream = file.read()
        self.assertEqual(result.returncode, 0, result.stderr)
        diagnostics = tap_parser(stream).diagnostics
        self.assertEqual(diagnostics[0]["stdout"], "passing std::cout\n")  # Catch2 captures streams only
        self.assertEqual(diagnostics[0]["stderr"], "passing std::cerr\n")


class FlushWindowTest(unittest.TestCase):
    def test_a_finished_test_cases_line_is_readable_while_the_next_one_runs(self):
        # "ends at once" finishes right after the header (lines written within 20 ms of each other
        # wait in the sink), then "runs for two seconds" starts: its line must come within the
        # window, not when the next write happens two seconds later.
        process = subprocess.Popen([CASES, "-r", "tap-stream", "[flush]", "--order", "decl"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=clean_environment())
        try:
            seen = b""
            while b"# shardtap provider" not in seen:
                line = process.stdout.readline()
                self.assertTrue(line, seen)
                seen += line
            started = time.monotonic()
            line = process.stdout.readline()
            delay = time.monotonic() - started
            self.assertEqual(untimed(line), b"ok 1 - ends at once\n")
            self.assertLess(delay, 0.5, "the line waited for the next test case")
            self.assertEqual(process.wait(timeout=30), 0)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()


if __name__ == "__main__":
    unittest.main()
