"""Runs the libFuzzer target for a bounded time, then hands a sample of the streams it
generates to tap-parser --strict: each must parse without a problem, with as many test points
as were encoded.

    check_fuzz_tap_stream.py FUZZ_BINARY [SECONDS]
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from tap_consumers import tap_parser  # noqa: E402

SAMPLE = 60


def main():
    binary = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as corpus, tempfile.TemporaryDirectory() as streams:
        fuzz = subprocess.run([binary, f"-max_total_time={seconds}", "-max_len=4096",
                               "-print_final_stats=1", corpus],
                              capture_output=True, text=True, errors="replace")
        if fuzz.returncode != 0:
            sys.exit(f"the fuzzer found a problem (exit {fuzz.returncode}):\n{fuzz.stderr[-6000:]}")
        stats = [line for line in fuzz.stderr.splitlines() if line.startswith("stat::")]
        print("\n".join(stats))

        inputs = sorted(os.listdir(corpus))
        step = max(1, len(inputs) // SAMPLE)
        sample = [os.path.join(corpus, name) for name in inputs[::step]][:SAMPLE]
        if len(sample) < 10:
            sys.exit(f"the fuzzer kept only {len(inputs)} inputs: too few to sample")
        replay = subprocess.run([binary, *sample], capture_output=True, text=True, errors="replace",
                                env={**os.environ, "SHARDTAP_FUZZ_STREAMS": streams})
        if replay.returncode != 0:
            sys.exit(f"replaying the sample failed:\n{replay.stderr[-4000:]}")

        problems = []
        files = sorted(os.listdir(streams))
        for name in files:
            with open(os.path.join(streams, name), "rb") as file:
                stream = file.read()
            encoded = int(name.rsplit("-", 1)[1].split(".")[0])
            summary = tap_parser(stream)
            if summary.problems:
                problems.append(f"{name}: {summary.problems}")
            if len(summary.names) != encoded or summary.plan != encoded:
                problems.append(f"{name}: {len(summary.names)} points and plan {summary.plan}, "
                                f"{encoded} encoded")
        print(f"{len(inputs)} inputs in the corpus; {len(files)} streams checked with tap-parser --strict")
        if problems:
            sys.exit("tap-parser disagrees:\n" + "\n".join(problems[:20]))


if __name__ == "__main__":
    main()
