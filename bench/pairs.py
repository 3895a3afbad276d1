#!/usr/bin/python3
"""Alternating pairs of two commands: the ratio time(A) / time(B), pair by pair, and its median.

Usage: bench/pairs.py RUNS "COMMAND A" "COMMAND B" [--clean GLOB]

This shared VM's speed drifts by a third within minutes, so two medians of blocks of runs taken
minutes apart compare two machines; each run of B here follows a run of A, and the median of the
per-pair ratios is what bench/run.sh reports for its targets too. Before every run the files
matching --clean (an earlier run's output) are removed and `sync` runs, as bench/run.sh does.
The commands run through the shell, their output discarded; a command that fails stops the
whole measurement (exit 1, its exit status named), since a failed run's time is no run's. Used for the busy-core pairs in
docs/performance.md (e.g. `setsid bash -c 'while :; do :; done # busymark' &` first, then 15
pairs of `--threads 1` against `--threads 2`, then `pkill -f busymark`: in a shell with job
control `setsid` forks, and `kill $!` would leave the loop running).
"""
import glob
import os
import statistics
import subprocess
import sys
import time


def timed(cmd, clean):
    for path in glob.glob(clean) if clean else []:
        os.remove(path)
    subprocess.run(["sync"], check=True)
    start = time.perf_counter()
    done = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("pairs.py: %r exited with status %d" % (cmd, done.returncode))
    return elapsed


def main(argv):
    clean = None
    if "--clean" in argv:
        i = argv.index("--clean")
        if i + 1 == len(argv):
            sys.exit(__doc__)
        clean = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 4 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit(__doc__)
    runs, a, b = int(argv[1]), argv[2], argv[3]
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a, clean))
        tb.append(timed(b, clean))
    ratios = [x / y for x, y in zip(ta, tb)]
    print("A median %.4f s  B median %.4f s  A/B median of pairs %.3f (mean %.3f)"
          % (statistics.median(ta), statistics.median(tb), statistics.median(ratios),
             statistics.mean(ratios)))
    print("pairs: " + " ".join("%.3f" % r for r in ratios))


if __name__ == "__main__":
    main(sys.argv)
