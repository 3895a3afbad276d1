#!/usr/bin/python3
"""The Dask scale-out (examples/scale-out/dask_batch.py) on a LocalCluster of 2 worker processes
over TCP on loopback: 4 JSON Lines shards of generated profiles (bad rows included) scored as 4
partitions; the scored shards concatenated equal one `subsidy batch - -o -` of the whole input
byte for byte. The first partition to start kills its own worker process (a wrapper around the binary that
writes a few records first, then kill -9 its parent, the Dask worker): the scheduler runs that
partition again on a worker that lives, and the output still has every record exactly once,
with no temporary file left behind. Bounded: the whole test is killed after 90 s.

usage: dask_scale_out.py SUBSIDY_BINARY REPO_ROOT
"""
import os
import stat
import subprocess
import sys
import tempfile

PROFILES = 2000
SHARDS = 4


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "p")
        subprocess.run([sys.executable, os.path.join(root, "tests", "batch", "gen_profiles.py"), str(PROFILES),
                        prefix], check=True, capture_output=True)
        whole = prefix + ".jsonl"
        lines = open(whole, "rb").read().splitlines(keepends=True)
        shard_dir, out_dir = os.path.join(tmp, "shards"), os.path.join(tmp, "scored")
        os.makedirs(shard_dir)
        step = (len(lines) + SHARDS - 1) // SHARDS
        for i in range(SHARDS):
            with open(os.path.join(shard_dir, f"part-{i:03d}.jsonl"), "wb") as f:
                f.writelines(lines[i * step:(i + 1) * step])
        reference = os.path.join(tmp, "reference.jsonl")
        with open(whole, "rb") as source:
            code = subprocess.run([binary, "batch", "-", "-o", reference, "--quiet"], stdin=source).returncode
        if code != 5:
            failures.append(f"reference run: exit {code}, expected 5 (the generator makes bad rows)")

        # The first call (mkdir is atomic: one caller wins) writes 5 records, then kills the worker.
        wrapper = os.path.join(tmp, "subsidy-dies-once")
        with open(wrapper, "w") as f:
            f.write(f"""#!/bin/sh
if mkdir "{tmp}/killed" 2>/dev/null; then
  "{binary}" "$@" | head -n 5
  kill -9 $PPID
  exit 1
fi
exec "{binary}" "$@"
""")
        os.chmod(wrapper, stat.S_IRWXU)
        script = os.path.join(root, "examples", "scale-out", "dask_batch.py")
        try:
            proc = subprocess.run([sys.executable, script, wrapper, shard_dir, out_dir, "--workers", "2"],
                                  capture_output=True, text=True, timeout=90)
        except subprocess.TimeoutExpired:
            print("FAIL dask_batch.py did not finish within 90 s")
            return 1
        if proc.returncode != 0:
            failures.append(f"dask_batch.py exit {proc.returncode}:\n{proc.stdout}\n{proc.stderr[-3000:]}")
        if not os.path.isdir(os.path.join(tmp, "killed")):
            failures.append("no worker was killed: the wrapper never ran")
        elif "Restarting worker" not in proc.stderr:
            failures.append("the nanny did not restart a worker: was the worker killed?")
        scored = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
        expected = [f"part-{i:03d}.scored.jsonl" for i in range(SHARDS)]
        if scored != expected:
            failures.append(f"output files {scored}, expected {expected} (and no temporary file)")
        else:
            joined = b"".join(open(os.path.join(out_dir, name), "rb").read() for name in scored)
            ref = open(reference, "rb").read()
            if joined != ref:
                got, want = joined.count(b"\n"), ref.count(b"\n")
                failures.append(f"concatenated output ({got} records) differs from one run ({want} records)")
        print(proc.stdout.strip() if failures == [] else "")
    for f in failures:
        print("FAIL " + f)
    if not failures:
        print(f"{PROFILES} profiles in {SHARDS} shards on 2 Dask workers, one killed: output identical to one run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
