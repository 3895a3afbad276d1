#!/usr/bin/python3
"""Peak memory of an XLSX batch is flat in the number of profiles (libxlsxwriter's constant_memory
mode: each sheet goes row by row to a temporary file; the summary's totals row is the only thing
kept until the end): 1,000 and 5,000 generated profiles, 1 thread, peak resident memory (wait4's
ru_maxrss) within 8 MB of each other. JSON Lines and CSV output are held to the same bound.

Skipped (exit 77) under the sanitizers, whose shadow memory and quarantine grow with the work.

usage: xlsx_memory.py SUBSIDY_BINARY REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile

SIZES = (1000, 5000)
MARGIN_MB = 8


def peak_mb(args):
    """Exit code and peak resident memory (MB) of one run."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def main():
    binary, root = sys.argv[1], sys.argv[2]
    if os.environ.get("SUBSIDY_SANITIZED"):
        print("skipped under the sanitizers")
        return 77
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "p")
        subprocess.run([sys.executable, os.path.join(root, "tests", "batch", "gen_profiles.py"), str(max(SIZES)),
                        prefix], check=True, capture_output=True)
        lines = open(prefix + ".jsonl", "rb").readlines()
        for fmt in ("xlsx", "jsonl", "csv"):
            peaks = []
            for n in SIZES:
                src = os.path.join(tmp, f"in{n}.jsonl")
                with open(src, "wb") as f:
                    f.writelines(lines[:n])
                out = os.path.join(tmp, f"out{n}.{fmt}")
                code, peak = peak_mb([binary, "batch", src, "-o", out, "--quiet", "--threads", "1"])
                if code not in (0, 5):
                    failures.append(f"{fmt}, {n} profiles: exit {code}")
                peaks.append(peak)
            print(f"{fmt}: peak {peaks[0]:.1f} MB at {SIZES[0]} profiles, {peaks[1]:.1f} MB at {SIZES[1]}")
            if peaks[1] - peaks[0] > MARGIN_MB:
                failures.append(f"{fmt}: peak memory grows with the input: {peaks[0]:.1f} -> {peaks[1]:.1f} MB")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
