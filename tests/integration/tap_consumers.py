"""Three TAP consumers nobody here wrote, each reduced to the same summary.

- tap-parser (npm, pinned in tests/tap/package-lock.json), strict mode.
- prove / TAP::Parser (Perl). Debian 12's Test::Harness 3.44 knows TAP 13 only, so the version
  line is rewritten to 13 first; nothing else changes.
- tappy (Debian's tappy / python3-tap), TAP 13 only. It does not know TAP 14's `\\#` escape: it
  ends a description at any '#' and reads what follows as a directive, so a test named
  "x # SKIP y" (written `x \\# SKIP y`) would count as skipped. tappy gets a copy of the stream
  with `\\#` written as `\\x23` (and the version line rewritten); nothing else changes. tappy also
  accepts a plan only on line 1, line 2 after the version, or the last line (so nothing, not
  even a comment, may follow a closing plan), which is why tap-stream puts its header comments
  after the plan. It reads YAML blocks only with python3-yaml and python3-more-itertools
  installed (scripts/install-deps), reports `Bail out!` and a short count as failed results
  without a number (here: problems), and `1..0 # SKIP` as one skipped test.

Counts follow TAP: skipped = SKIP, todo = TODO (ok or not), failed = not ok without a
directive, passed = ok without a directive.
"""
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile

from harness import SOURCE_DIR

TAP_PARSER = os.path.join(SOURCE_DIR, "tests", "tap", "node_modules", ".bin", "tap-parser")


@dataclasses.dataclass
class Summary:
    consumer: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    todo: int = 0
    plan: object = None          # the planned count, None without a plan
    bail_out: object = None      # the reason, None without Bail out!
    names: list = dataclasses.field(default_factory=list)
    problems: list = dataclasses.field(default_factory=list)  # the consumer's parse errors

    def count(self, ok, skip, todo, name):
        self.names.append(name)
        if todo:
            self.todo += 1
        elif skip:
            self.skipped += 1
        elif ok:
            self.passed += 1
        else:
            self.failed += 1

    def counts(self):
        return {"passed": self.passed, "failed": self.failed, "skipped": self.skipped,
                "todo": self.todo}


def as_tap13(stream):
    lines = stream.split(b"\n", 1)
    if lines[0] == b"TAP version 14":
        lines[0] = b"TAP version 13"
    return b"\n".join(lines)


def tap_parser(stream):
    """tap-parser --strict: every event as JSON. Non-TAP lines come out as 'extra' events or
    as synthetic failures carrying a tapError; both are problems here."""
    result = subprocess.run([TAP_PARSER, "--strict", "-j", "0"], input=stream,
                            capture_output=True, timeout=60)
    summary = Summary("tap-parser")
    events = [event + [None] for event in json.loads(result.stdout)]  # ["finish"] has no data
    for kind, data, *_ in events:
        if kind == "assert":
            if data.get("tapError"):
                summary.problems.append(data["tapError"])
                continue
            summary.count(data["ok"], data["skip"] is not False, data["todo"] is not False,
                          data["name"])
        elif kind == "plan":
            summary.plan = data["end"]
        elif kind == "bailout":
            summary.bail_out = data
        elif kind == "extra":
            summary.problems.append(f"not TAP: {data!r}")
        elif kind == "complete":
            summary.problems += [f["tapError"] for f in data.get("failures", []) if f.get("tapError")]
    summary.diagnostics = [data.get("diag") for kind, data, *_ in events
                           if kind == "assert" and not data.get("tapError")]
    summary.times = [data.get("time") for kind, data, *_ in events  # milliseconds, or None
                     if kind == "assert" and not data.get("tapError")]
    summary.problems = sorted(set(summary.problems))
    summary.exit_status = result.returncode  # 0: a whole stream, nothing failed
    return summary


PROVE_RESULTS = r"""
use strict; use warnings; use TAP::Parser; use JSON::PP;
my $parser = TAP::Parser->new({ source => $ARGV[0] });
my @tests; my $bail;
while (my $r = $parser->next) {
    if ($r->is_test) {
        push @tests, { ok => $r->is_actual_ok ? JSON::PP::true : JSON::PP::false,
                       skip => $r->has_skip ? JSON::PP::true : JSON::PP::false,
                       todo => $r->has_todo ? JSON::PP::true : JSON::PP::false,
                       name => $r->description };
    } elsif ($r->is_bailout) {
        $bail = $r->explanation;
    }
}
print JSON::PP->new->canonical->encode({ tests => \@tests, bail => $bail,
    plan => $parser->plan, errors => [ $parser->parse_errors ] });
"""


def prove(stream):
    """prove runs the file (its exit status: 0 all passed, non-zero otherwise); TAP::Parser,
    the library prove is built on, gives the per-test results."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "node.tap")
        with open(path, "wb") as file:
            file.write(as_tap13(stream))
        run = subprocess.run(["prove", path], capture_output=True, timeout=60)
        details = subprocess.run(["perl", "-e", PROVE_RESULTS, path], capture_output=True,
                                 timeout=60, check=True)
    data = json.loads(details.stdout)
    summary = Summary("prove")
    for test in data["tests"]:
        summary.count(test["ok"], test["skip"], test["todo"], test["name"])
    summary.bail_out = data["bail"]
    summary.problems = data["errors"]
    plan = data["plan"] or ""
    summary.plan = int(plan.split("..")[1]) if ".." in plan else None
    summary.exit_status = run.returncode
    summary.output = run.stdout.decode(errors="replace")
    return summary


TAPPY_RESULTS = r"""
import json, sys, unittest
from tap.loader import Loader
def flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from flatten(test)
        else:
            yield test
results = []
for test in flatten(Loader().load([sys.argv[1]])):
    line = test._line
    results.append({"number": line.number, "ok": line.ok, "skip": line.skip, "todo": line.todo,
                    "name": line.description})
print(json.dumps(results))
"""


def tappy_python():
    """Debian's python3-tap is installed for the system Python, which need not be ours."""
    for candidate in ("python3", "/usr/bin/python3"):
        path = shutil.which(candidate)
        if path and subprocess.run([path, "-c", "import tap.loader"], capture_output=True).returncode == 0:
            return path
    raise RuntimeError("no Python with the tap module (Debian package python3-tap)")


def tappy(stream):
    """tappy's loader, the machinery of the tappy command: one result per test line, plus
    results without a number for the rules it checks (plan position and count, Bail out!)."""
    adapted = as_tap13(stream).replace(b"\\#", b"\\x23")
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "node.tap")
        with open(path, "wb") as file:
            file.write(adapted)
        run = subprocess.run(["tappy", path], capture_output=True, timeout=60)
        details = subprocess.run([tappy_python(), "-c", TAPPY_RESULTS, path],
                                 capture_output=True, timeout=60, check=True)
    summary = Summary("tappy")
    for result in json.loads(details.stdout.strip().splitlines()[-1]):  # after any warning
        if result["number"] is None and not result["skip"]:
            summary.problems.append(result["name"])  # a rule: plan, count, Bail out
            continue
        summary.count(result["ok"], result["skip"], result["todo"], result["name"])
    for problem in summary.problems:
        if problem.startswith("Bailed: "):
            summary.bail_out = problem[len("Bailed: "):]
    summary.exit_status = run.returncode
    return summary


CONSUMERS = (tap_parser, prove, tappy)
