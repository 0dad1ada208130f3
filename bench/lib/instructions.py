"""Instruction counts of one run under valgrind's callgrind: repeatable where CPU times are not
(a shared machine, no perf counters). Used by bench/selection and bench/tap_stream/run."""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def count_instructions(argv, env, stdout=subprocess.DEVNULL):
    """Instructions executed by argv (all its threads), or exits when valgrind is missing or the
    run fails."""
    if not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as directory:
        out_file = os.path.join(directory, "callgrind.out")
        command = ["valgrind", "--tool=callgrind", "--dump-instr=no", "--compress-strings=no",
                   f"--callgrind-out-file={out_file}"] + list(argv)
        result = subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        if result.returncode != 0:
            sys.exit(f"{' '.join(argv)} exited {result.returncode} under callgrind")
        with open(out_file) as profile:
            for line in profile:
                match = re.match(r"(?:summary|totals): (\d+)", line)
                if match:
                    return int(match.group(1))
    sys.exit(f"no instruction total in callgrind's output for {' '.join(argv)}")
