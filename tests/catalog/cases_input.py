"""Issue 13, the input side: bounded reading of any kind of file, memory proportional to the input,
capped diagnostics, encodings, line ends, and CSV that resynchronises after a broken row."""
import mmap
import os
import resource
import threading

from common import FACTS, FARM, HEAD, INV, profile, rule, rule_file  # noqa: F401

MiB = 1 << 20
# Standard input just over the limit without holding it in this process: anonymous pages that are
# never written stay out of its memory (children inherit the parent's peak, which max_mb checks).
ZEROS = mmap.mmap(-1, 17 * MiB)


def symlink_loop(tmp):
    os.symlink("loop.json", os.path.join(tmp, "loop.json"))


def broken_rule_link(tmp):
    os.makedirs(os.path.join(tmp, "r"), exist_ok=True)
    os.symlink("gone.json", os.path.join(tmp, "r", "x.json"))


def endless_fifo(tmp):
    """A FIFO fed without end by a writer thread: read as a pipe, refused at the limit."""
    path = os.path.join(tmp, "p.json")
    os.mkfifo(path)

    def feed():
        try:
            with open(path, "wb") as f:
                while True:
                    f.write(b"[1," * 65536)
        except OSError:
            pass
    threading.Thread(target=feed, daemon=True).start()


CASES = [
    # 1. Bounded reading, whatever the file is.
    ("read-dev-zero", {}, ["eval", "/dev/zero"], 3,
     "subsidy: /dev/zero: larger than the limit of 16 MiB", {"max_seconds": 5}),
    ("read-endless-stdin", {}, ["eval", "/dev/stdin"], 3,
     "subsidy: /dev/stdin: larger than the limit of 16 MiB",
     {"stdin": ZEROS, "max_seconds": 5, "i18n": False}),
    ("read-endless-dash", {}, ["explain", "-", "x"], 3, "subsidy: <stdin>: larger than the limit of 16 MiB",
     {"stdin": ZEROS, "max_seconds": 5, "i18n": False}),
    ("read-fifo-endless", {}, ["compare", "p.json"], 3, "subsidy: p.json: larger than the limit of 16 MiB",
     {"setup": endless_fifo, "max_seconds": 10, "i18n": False}),
    ("read-diff-profiles-dev-zero", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "unspecified"})])},
     ["diff", "r", "r", "--profiles", "/dev/zero"], 3, "subsidy: /dev/zero: larger than the limit of 16 MiB"),
    ("read-missing-file", {}, ["eval", "nope.json"], 3,
     "subsidy: nope.json: cannot read file: No such file or directory"),
    ("read-symlink-loop", {}, ["eval", "loop.json"], 3,
     "subsidy: loop.json: cannot read file: Too many levels of symbolic links", {"setup": symlink_loop}),
    ("read-batch-symlink-loop", {}, ["batch", "loop.json", "-o", "-"], 3,
     "subsidy: loop.json: cannot read file: Too many levels of symbolic links", {"setup": symlink_loop}),
    ("read-rules-broken-link", {}, ["check", "r"], 3,
     "subsidy: r/x.json: cannot read file: No such file or directory", {"setup": broken_rule_link}),
]
