"""`shardtap run --html` and `shardtap merge --html`, looked at in a real browser: headless
Chromium loads the page, the tests read its DOM as the browser built it and look at a
screenshot of it."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from browser import dump_dom, read_png, screenshot  # noqa: E402
from harness import BINARY_DIR, WorkDirectory, clean_environment, fixture  # noqa: E402
from tap_consumers import tap_parser  # noqa: E402

SHARDTAP = os.environ["SHARDTAP_COMMAND"]
OUTCOMES = fixture("fixture_outcomes")
# Kept after the test, for a person to look at.
SCREENSHOT = os.path.join(BINARY_DIR or tempfile.gettempdir(), "html_report", "run.png")
FAIL_RED = (0xD9, 0x3A, 0x3A)


def shardtap(*args, env=None):
    return subprocess.run([SHARDTAP, *args], env=clean_environment(**(env or {})),
                          capture_output=True, text=True, timeout=300)


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def all(self, predicate=lambda e: True):
        for child in self.children:
            if predicate(child):
                yield child
            yield from child.all(predicate)

    def content(self):
        return self.text + "".join(child.content() for child in self.children)


class Dom(html.parser.HTMLParser):
    """The browser's DOM, read back from --dump-dom's HTML."""
    VOID = {"meta", "link", "br", "img", "input", "hr", "base", "wbr", "col", "source"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {}, None)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element is not None and element.tag != tag:
            element = element.parent
        if element is not None and element.parent is not None:
            self.current = element.parent

    def handle_data(self, data):
        self.current.text += data

    def by_id(self, name):
        return next(self.root.all(lambda e: e.attrs.get("id") == name))


def tag_class(tag, name):
    return lambda e: e.tag == tag and name in e.classes()


def stream_facts(path):
    """A node stream's point names in the order they ran and their times in ms, as tap-parser
    (strict) reads them, and the node's elapsed time from its header."""
    with open(path, "rb") as file:
        text = file.read()
    summary = tap_parser(text)
    elapsed = float(re.search(rb"^# shardtap elapsed: ([\d.]+)$", text, re.M).group(1))
    return summary.names, summary.times, elapsed


class HtmlReportTest(WorkDirectory):
    prefix = "shardtap-html-"

    def run_outcomes(self, page):
        """Three nodes of the outcomes fixture: position 3 fails, position 2 is skipped."""
        result = shardtap("run", "-n", "3", "--out", self.path("out"), "--html", page, "--",
                          OUTCOMES, "-r", "tap-stream",
                          env={"FIXTURE_FAIL": "3", "FIXTURE_SKIP": "2", "FIXTURE_SLEEP": "0.05"})
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        return [stream_facts(self.path("out", f"node-{i}.tap")) for i in range(3)]

    def assert_self_contained(self, page):
        with open(page, encoding="utf-8") as file:
            text = file.read()
        for pattern in (r"(src|href)\s*=\s*[\"']?\s*(https?:|//)", r"@import", r"url\(", r"<script",
                        r"<link\b", r"<iframe", r"<object"):
            self.assertIsNone(re.search(pattern, text, re.I), f"{pattern} in {page}")

    def test_the_run_page_in_a_browser(self):
        page = self.path("run.html")
        nodes = self.run_outcomes(page)
        self.assert_self_contained(page)
        dom = Dom(dump_dom(page))

        # A row per node, in node order; a segment per test case, in the order it ran.
        rows = list(dom.root.all(tag_class("g", "node")))
        self.assertEqual([row.attrs["data-node"] for row in rows], ["0", "1", "2"])
        for row, (names, _, _) in zip(rows, nodes):
            segments = list(row.all(tag_class("rect", "seg")))
            titles = [next(s.all(lambda e: e.tag == "title")).content() for s in segments]
            self.assertEqual([title.split(" · ")[0] for title in titles], names)
        segments = {next(s.all(lambda e: e.tag == "title")).content().split(" · ")[0]: s
                    for s in dom.root.all(tag_class("rect", "seg"))}
        self.assertEqual(sorted(segments), [f"outcome[{i}-{i}]" for i in range(8)])
        self.assertEqual({name for name, s in segments.items() if "fail" in s.classes()}, {"outcome[3-3]"})
        self.assertEqual({name for name, s in segments.items() if "skip" in s.classes()}, {"outcome[2-2]"})

        # Width by time: one scale for every segment of every row (a segment gives up one unit
        # as the gap to its neighbour).
        times = [time for _, node_times, _ in nodes for time in node_times]
        widths = [float(s.attrs["width"]) + 1 for row in rows for s in row.all(tag_class("rect", "seg"))]
        self.assertNotIn(None, times)
        scale = max(widths) / max(times)
        for width, time in zip(widths, times):
            self.assertAlmostEqual(width / scale, time, delta=0.02 * max(times))
        # The slowest node is the one whose bar is longest: its stream's elapsed time, or the sum
        # of its test cases' times where that is longer (nodes 0 and 1 run three alike each).
        lane = [max(elapsed, sum(node_times) / 1000) for _, node_times, elapsed in nodes]
        longest = max(range(3), key=lambda i: lane[i])
        self.assertEqual([row.attrs["data-node"] for row in rows if "slowest" in row.classes()],
                         [str(longest)])

        verdict = dom.by_id("verdict").content()
        self.assertIn("Verified, and 1 test case failed", verdict)
        self.assertIn("8 test cases on 3 nodes: 6 passed, 1 failed, 1 skipped, 0 todo", verdict)
        table_rows = list(dom.by_id("node-counts").all(lambda e: e.tag == "tr" and "data-node" in e.attrs))
        self.assertEqual([r.attrs["data-node"] for r in table_rows], ["0", "1", "2"])
        failures = list(dom.by_id("failures").all(tag_class("article", "failure")))
        self.assertEqual(len(failures), 1)
        self.assertIn("outcome[3-3]", failures[0].content())
        self.assertIn("CHECK(fails == false) with expansion true == false", failures[0].content())

        # What a person sees: not a blank page, and the failure drawn in red.
        os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
        screenshot(page, SCREENSHOT, width=1000, height=700)
        width, height, pixels = read_png(SCREENSHOT)
        self.assertEqual((width, height), (1000, 700))
        colours = {pixel for row in pixels for pixel in row}
        self.assertGreater(len(colours), 20, f"{SCREENSHOT} looks blank")
        near_red = [p for row in pixels for p in row if all(abs(a - b) <= 12 for a, b in zip(p, FAIL_RED))]
        self.assertGreater(len(near_red), 50, f"no failure drawn in red in {SCREENSHOT}")
        print(f"screenshot of the run page: {SCREENSHOT}")

    def test_merge_page_says_what_does_not_add_up(self):
        self.run_outcomes(self.path("run.html"))
        page = self.path("merge.html")
        result = shardtap("merge", "--html", page, self.path("out", "node-0.tap"), self.path("out", "node-2.tap"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assert_self_contained(page)
        with open(page, encoding="utf-8") as file:
            dom = Dom(file.read())  # no script: the file is the DOM (the browser test above shows it)
        self.assertEqual([row.attrs["data-node"] for row in dom.root.all(tag_class("g", "node"))], ["0", "2"])
        verdict = dom.by_id("verdict")
        self.assertIn("unverified", verdict.classes())
        self.assertIn("Not verified", verdict.content())
        problems = [li.content() for li in verdict.all(lambda e: e.tag == "li")]
        self.assertTrue(problems)
        for problem in problems:
            self.assertIn(f"shardtap: {problem}\n", result.stderr)
        self.assertTrue(any("node 1" in problem for problem in problems), problems)

    def test_the_plan_page_in_a_browser(self):
        # The sample's 20 test cases of 5 s: 20 nodes are the fewest at the best wall time.
        with open(self.path("durations.json"), "w") as file:
            json.dump({"format": "shardtap-durations", "version": 1,
                       "durations": {f"test_slow[5-{i:02}]": 5.0 for i in range(20)}}, file)
        page = self.path("plan.html")
        result = shardtap("plan", "--durations", self.path("durations.json"), "--html", page)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_self_contained(page)
        dom = Dom(dump_dom(page))
        points = list(dom.root.all(tag_class("circle", "point")))
        bars = list(dom.root.all(tag_class("rect", "bar")))
        self.assertEqual([p.attrs["data-nodes"] for p in points], [str(n) for n in range(1, 33)])
        self.assertEqual([b.attrs["data-nodes"] for b in bars], [str(n) for n in range(1, 33)])
        self.assertEqual([p.attrs["data-nodes"] for p in points if "chosen" in p.classes()], ["20"])
        self.assertEqual([b.attrs["data-nodes"] for b in bars if "chosen" in b.classes()], ["20"])
        self.assertIn("choose 20 nodes", result.stdout)
        self.assertIn("Choose 20 nodes: 5.00 s wall time", dom.by_id("verdict").content())
        # Taller bar, more billed: 12 nodes bill a fifth more than 10 for the same 10 s.
        height = {b.attrs["data-nodes"]: float(b.attrs["height"]) for b in bars}
        self.assertAlmostEqual(height["12"] / height["10"], 1.2, delta=0.01)
        wall = {p.attrs["data-nodes"]: float(p.attrs["cy"]) for p in points}
        self.assertEqual(wall["10"], wall["12"])

    def test_an_unwritable_page_is_an_output_error(self):
        result = shardtap("run", "-n", "1", "--out", self.path("out"), "--html",
                          self.path("no", "such", "dir", "page.html"), "--", OUTCOMES, "-r", "tap-stream")
        self.assertEqual(result.returncode, 73, result.stderr)
        self.assertIn("cannot write the HTML report", result.stderr)
        with open(self.path("d.json"), "w") as file:
            json.dump({"format": "shardtap-durations", "version": 1, "durations": {"a": 1.0}}, file)
        result = shardtap("plan", "--durations", self.path("d.json"), "--html", self.path("no", "plan.html"))
        self.assertEqual(result.returncode, 73, result.stderr)
        self.assertIn("cannot write the plan page", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
