#!/usr/bin/python3
"""Score a directory of profile shards on a Dask cluster: each shard is one partition, piped
through `subsidy batch - -o -` on a worker, and written as one scored shard.

usage: dask_batch.py SUBSIDY_BINARY INPUT_DIR OUTPUT_DIR
                     [--scheduler tcp://HOST:PORT | --workers N] [--pattern '*.jsonl']
                     [--retries N] [-- BATCH_OPTIONS...]

- Without --scheduler a LocalCluster is started: N worker processes (default 2), one thread each,
  over TCP on 127.0.0.1. With --scheduler the script joins that cluster; the binary (and any
  --rules directory) must then be at the same path on every worker.
- Shards are the files of INPUT_DIR matching --pattern, in name order: JSON Lines (*.jsonl) or CSV
  (*.csv, each with its header; --input-format csv is passed for them).
- A scored shard is OUTPUT_DIR/NAME.scored.jsonl, written to a temporary file and renamed into
  place when complete, so a partition that is run again (its worker died and the scheduler gave
  it to another) replaces its output instead of adding to it: no record is lost or duplicated.
- JSON Lines shards: each record's "row" and "line" count from the start of the first shard, as if
  the shards were one file (a first pass counts each shard's rows and lines), so the scored shards
  concatenated in name order are byte for byte what one `subsidy batch` of the concatenated input
  writes from standard input (`subsidy batch - -o - < all.jsonl`): an error record's messages
  locate the problem as <stdin>:LINE:COLUMN, and those lines are moved too. CSV shards keep each
  shard's own numbering (every shard has a header line). Each shard must end with a line end.

Prints one line per shard (rows and subsidy's exit code) and exits 0 when every shard was scored
(exit 5 of subsidy, rows with errors, still counts: their error records are in the output), else 1.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

RECORD_START = re.compile(rb'^\{"row":(\d+),"line":(\d+),')
# Where an error record's messages locate a problem: "<stdin>:LINE:COLUMN".
LOCATION = re.compile(rb'<stdin>:(\d+):(\d+)')


def count_rows(path):
    """(rows, lines) of a JSON Lines shard as subsidy counts them: a line ends at LF, CRLF or a lone
    CR; a row is a line that is not blank (spaces, tabs)."""
    with open(path, "rb") as f:
        data = f.read()
    lines = re.split(rb"\r\n|\r|\n", data)
    if lines and lines[-1] == b"":
        lines.pop()  # the text after the last line end: nothing
    rows = sum(1 for line in lines if line.strip(b" \t"))
    return rows, len(lines)


def renumber(record, row_offset, line_offset):
    """A JSON Lines record with its row and line moved by the offsets of the shards before it."""
    m = RECORD_START.match(record)
    if not m or (row_offset == 0 and line_offset == 0):
        return record
    head = b'{"row":%d,"line":%d,' % (int(m.group(1)) + row_offset, int(m.group(2)) + line_offset)
    rest = record[m.end():]
    if rest.startswith(b'"id":') and b'"status":"error"' in rest:
        rest = LOCATION.sub(lambda l: b"<stdin>:%d:%s" % (int(l.group(1)) + line_offset, l.group(2)), rest)
    return head + rest


def score_shard(binary, shard, out_path, batch_options, row_offset, line_offset):
    """Runs on a worker: the shard through `subsidy batch - -o -` into out_path (atomically)."""
    options = list(batch_options)
    if shard.lower().endswith(".csv"):
        options += ["--input-format", "csv"]
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(out_path) + ".", dir=os.path.dirname(out_path))
    try:
        with open(shard, "rb") as source, os.fdopen(fd, "wb") as out:
            proc = subprocess.Popen([binary, "batch", "-", "-o", "-", "--quiet", *options], stdin=source,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            rows = 0
            for record in proc.stdout:
                out.write(renumber(record, row_offset, line_offset))
                rows += 1
            err = proc.stderr.read()
            code = proc.wait()
        if code not in (0, 5):
            raise RuntimeError(f"{shard}: subsidy exited {code}: {err.decode('utf-8', 'replace')[:500]}")
        os.replace(temp, out_path)
        return os.path.basename(shard), rows, code
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def main(argv):
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("input_dir")
    parser.add_argument("output_dir")
    parser.add_argument("--scheduler", help="join this cluster instead of starting a LocalCluster")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--pattern", default="*.jsonl")
    parser.add_argument("--retries", type=int, default=2, help="extra attempts of a failed partition")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster  # imported here: --help works without Dask

    binary = os.path.abspath(args.binary)
    shards = sorted(glob.glob(os.path.join(os.path.abspath(args.input_dir), args.pattern)))
    if not shards:
        print(f"no shards matching {args.pattern} in {args.input_dir}", file=sys.stderr)
        return 1
    out_dir = os.path.abspath(args.output_dir)
    os.makedirs(out_dir, exist_ok=True)
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               protocol="tcp", host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        offsets = [(0, 0)] * len(shards)
        if all(not s.lower().endswith(".csv") for s in shards):
            counts = client.gather(client.map(count_rows, shards, retries=args.retries, pure=False))
            rows = lines = 0
            for i, (r, n) in enumerate(counts):
                offsets[i] = (rows, lines)
                rows, lines = rows + r, lines + n
        futures = [client.submit(score_shard, binary, shard,
                                 os.path.join(out_dir, os.path.basename(shard).rsplit(".", 1)[0] + ".scored.jsonl"),
                                 extra, row_offset, line_offset, retries=args.retries, pure=False)
                   for shard, (row_offset, line_offset) in zip(shards, offsets)]
        for name, rows, code in client.gather(futures):
            print(f"{name}: {rows} records, subsidy exit {code}")
        # A worker that died mid-partition left its temporary file: the partition was run again
        # and renamed its own into place, so what is left is garbage.
        for shard in shards:
            name = os.path.basename(shard).rsplit(".", 1)[0] + ".scored.jsonl"
            for stale in glob.glob(os.path.join(out_dir, "." + glob.escape(name) + ".*")):
                os.unlink(stale)
    finally:
        client.close()
        if cluster:
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
