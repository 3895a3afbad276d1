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


def write(name, make):
    """A setup that writes a big input when the case runs, not when the catalog is imported."""
    def setup(tmp):
        with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
            f.write(make())
    return setup


def many_numbers():  # 14.9 MiB: 7.8 million numbers in a list fact
    return HEAD + '{"certifications": [' + ",".join(["1"] * 7_800_000) + "]}}"


def top_level_numbers():
    return "[" + ",".join(["1"] * 7_800_000) + "]"


def many_empty_items():  # 14.3 MiB: five million {}
    return HEAD + '{"certifications": [' + ",".join(["{}"] * 5_000_000) + "]}}"


def many_unknown_facts():  # 15 MiB: 1.3 million unknown facts, each a problem
    return HEAD + "{" + ",".join(f'"u{i}":1' for i in range(1_300_000)) + "}}"


def many_keys():  # 160,000 keys, the last one repeating the first: 30 s with a linear scan
    return "{" + ",".join(f'"k{i}":1' for i in range(160_000)) + ',\n"k0":2}' 


def huge_object_with_duplicate():  # 15 MiB, one object, the last key repeats the first
    return "{" + ",".join(f'"k{i}":1' for i in range(1_300_000)) + ',"k0":2}'


CASES += [
    # 2. Memory proportional to the input (max_mb: 32 times the input, which the README states).
    ("memory-7.8m-numbers-in-a-list", {}, ["eval", "p.json"], 3,
     '(/facts/certifications): error: "certifications" has 7800000 items, more than the limit of 10000 [too-large]',
     {"setup": write("p.json", many_numbers), "max_seconds": 10, "max_mb": 32 * 15, "i18n": False}),
    ("memory-7.8m-numbers-top-level", {}, ["eval", "p.json"], 3,
     "p.json:1:1 (/): error: expected an object, found an array [type]",
     {"setup": write("p.json", top_level_numbers), "max_seconds": 10, "max_mb": 32 * 15, "i18n": False}),
    ("memory-5m-empty-items", {}, ["eval", "p.json"], 3, "more than the limit of 10000 [too-large]",
     {"setup": write("p.json", many_empty_items), "max_seconds": 10, "max_mb": 32 * 15, "i18n": False}),
    ("diagnostics-capped-at-100", {}, ["eval", "p.json"], 3,
     "p.json: error: and 1299900 more problems [too-many-problems]\n1300000 problem(s) in p.json",
     {"setup": write("p.json", many_unknown_facts), "max_seconds": 10, "max_mb": 32 * 15, "i18n": False,
      "check": lambda tmp, text, code: "" if text.count("[unknown-fact]") == 100 else
      f"{text.count('[unknown-fact]')} problems listed, expected 100"}),
    ("diagnostics-capped-zh", {"p.json": profile("{" + ",".join(f'"u{i}":1' for i in range(150)) + "}")},
     ["eval", "p.json"], 3, "p.json: 错误: 另有 50 个问题未列出 [too-many-problems]", {"chinese": True}),
    # 3. Duplicate keys in linear time.
    ("duplicate-key-160k-keys", {}, ["eval", "p.json"], 3,
     'p.json:2:1: error: duplicate key "k0" (first at line 1) [json-duplicate-key]',
     {"setup": write("p.json", many_keys), "max_seconds": 5, "i18n": False}),
    ("duplicate-key-in-15mb-object", {}, ["eval", "p.json"], 3,
     'error: duplicate key "k0" (first at line 1) [json-duplicate-key]',
     {"setup": write("p.json", huge_object_with_duplicate), "max_seconds": 10, "max_mb": 32 * 16, "i18n": False}),
]
