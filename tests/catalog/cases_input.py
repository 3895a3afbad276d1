"""Issue 13, the input side: bounded reading of any kind of file, memory proportional to the input,
capped diagnostics, encodings, line ends, and CSV that resynchronises after a broken row."""
import json
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

HDR = "id,form,region,policy_year"


# A CSV with Chinese ids, for --encoding: only characters GBK has.
GBK_CSV = HDR + ",name\n张三,family_farm,330802,2023,农场甲\n李四·王,family_farm,330802,2023,\"合作社, 乙\"\n赵钱孙,family_farm,330802,2023,丙\n"


def split_by_block():
    """GBK whose 64 KiB conversion blocks (src/cli/transcode.cpp) end inside a character."""
    prefix = (HDR + ",name\n甲1,family_farm,330802,2023,").encode("gbk")
    data = prefix + b"x" * (65535 - len(prefix)) + ("农农\n乙2,family_farm,330802,2023,丙\n").encode("gbk")
    assert data[65535:65537] == "农".encode("gbk")
    return data


def crlf_split_by_block():
    """A CRLF whose CR ends batch's 1 MiB read block and whose LF starts the next: one line end."""
    first = HEAD + "{}" + " " * (MiB - 1 - len(HEAD) - 3) + "}"
    data = first + "\r\n{bad\n"
    assert data[MiB - 1:MiB + 1] == "\r\n"
    return data


def ten_mb_lines(tmp):
    """40 lines of 10 MB, each a syntax error: written line by line, so this process stays small."""
    with open(os.path.join(tmp, "p.jsonl"), "wb") as f:
        line = b"{" + b" " * (10_000_000 - 5) + b"bad\n"
        for _ in range(40):
            f.write(line)


def same_ids(ids, path="out.jsonl"):
    """A check: the records at `path` carry exactly these ids, in order (as the UTF-8 file would)."""
    def check(tmp, _output, _code):
        with open(os.path.join(tmp, path), encoding="utf-8") as f:
            got = [json.loads(line)["id"] for line in f if line.strip()]
        return "" if got == ids else f"ids {got!r}, expected {ids!r}"
    return check


def in_output(text, path="out.jsonl"):
    """A check: `text` is in the records written to `path`."""
    def check(tmp, _output, _code):
        with open(os.path.join(tmp, path), encoding="utf-8", errors="replace") as f:
            return "" if text in f.read() else f"{text!r} not in {path}"
    return check


def csv_rows(n, broken=None):
    rows = [HDR] + [f"r{i},family_farm,330802,2023" for i in range(n)]
    if broken is not None:
        rows[broken] = '"' + rows[broken]
    return "\n".join(rows) + "\n"


CASES += [
    # 4. Encodings and line ends.
    ("csv-gbk-refused-by-name", {"p.csv": (HDR + "\n中文,family_farm,330802,2023\n").encode("gbk")},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 5, "",
     {"records": ("out.jsonl", 1),
      "check": in_output("p.csv:2:1: error: not UTF-8: this looks like GBK/GB18030 — pass --encoding gbk or save as UTF-8 [csv-syntax]")}),
    ("csv-utf16-refused", {"p.csv": (HDR + "\na,family_farm,330802,2023\n").encode("utf-16")}, ["batch", "p.csv", "-o", "-"], 3,
     "p.csv:1:1 (header column 1): error: malformed header: this file is UTF-16; save it as UTF-8 [csv-syntax]"),
    ("csv-bom-in-the-middle", {"p.csv": "\ufeff" + HDR + "\na,family_farm,330802,2023\n\ufeff" + HDR + "\nb,family_farm,330802,2023\n"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 5,
     "", {"records": ("out.jsonl", 3), "check": in_output(
         "p.csv:3:1: error: a byte-order mark in the middle of the input (were two files joined?) [csv-syntax]")}),
    ("csv-cr-line-ends", {"p.csv": "\r".join([HDR, "a,family_farm,330802,2023", "b,family_farm,330802,2023"]) + "\r"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 2)}),
    ("csv-crlf-line-ends", {"p.csv": "\r\n".join([HDR, "a,family_farm,330802,2023", "b,family_farm,330802,2023"]) + "\r\n"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 2)}),
    # batch --encoding: GBK and GB18030 converted to UTF-8 as they are read.
    ("csv-gbk-with-encoding", {"p.csv": GBK_CSV.encode("gbk")},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gbk"], 0, "",
     {"records": ("out.jsonl", 3), "check": same_ids(["张三", "李四·王", "赵钱孙"])}),
    ("csv-gbk-with-encoding-gb18030", {"p.csv": GBK_CSV.encode("gbk")},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gb18030"], 0, "",
     {"records": ("out.jsonl", 3), "check": same_ids(["张三", "李四·王", "赵钱孙"])}),
    ("csv-gbk-character-split-by-a-block", {"p.csv": split_by_block()},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gbk"], 0, "",
     {"records": ("out.jsonl", 2), "check": same_ids(["甲1", "乙2"])}),
    ("csv-gb18030-only-character", {"p.csv": (HDR + "\n\U00020000甲,family_farm,330802,2023\n").encode("gb18030")},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gb18030"], 0, "",
     {"records": ("out.jsonl", 1), "check": same_ids(["\U00020000甲"])}),
    ("csv-gbk-invalid-bytes", {"p.csv": (HDR + "\n张三,family_farm,330802,2023\n").encode("gbk") + b"\xff\xff,farm\n"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gbk"], 3,
     "p.csv: line 3, byte offset 56: not valid GBK text: is --encoding right?"),
    ("csv-gbk-cut-short", {"p.csv": (HDR + "\n张三,family_farm,330802,2023\n").encode("gbk") + b"\xd5"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet", "--encoding", "gbk"], 3,
     "p.csv: line 3, byte offset 56: not valid GBK text: is --encoding right?"),
    ("jsonl-gbk-with-encoding", {"p.jsonl": (HEAD.replace('"x"', '"张三"') + '{}}\n' + HEAD.replace('"x"', '"李四"') + '{}}\n').encode("gbk")},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet", "--encoding", "gbk"], 0, "",
     {"records": ("out.jsonl", 2), "check": same_ids(["张三", "李四"])}),
    ("batch-encoding-unknown", {"p.csv": HDR + "\n"}, ["batch", "p.csv", "-o", "-", "--encoding", "big5"], 2, "--encoding"),
    # JSON Lines: LF, CRLF and a lone CR all end a line; a byte-order mark after the first line is named.
    ("jsonl-cr-line-ends", {"p.jsonl": profile("{}") + "\r" + profile("{}") + "\r"},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 2)}),
    ("jsonl-mixed-line-ends-count-lines", {"p.jsonl": profile("{}") + "\r" + profile("{}") + "\r\n" + profile("{}") + "\n{bad\r"},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet"], 5, "",
     {"records": ("out.jsonl", 4), "check": in_output('"error":"p.jsonl:4:')}),
    ("jsonl-crlf-split-by-a-block", {"p.jsonl": crlf_split_by_block()},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet"], 5, "",
     {"records": ("out.jsonl", 2), "check": in_output('"error":"p.jsonl:2:')}),
    ("jsonl-bom-in-the-middle", {"p.jsonl": "\ufeff" + profile("{}") + "\n\ufeff" + profile("{}") + "\n"},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet"], 5, "",
     {"records": ("out.jsonl", 2), "check": in_output(
         "p.jsonl:2:1: error: a byte-order mark in the middle of the input (were two files joined?) [json-syntax]")}),
    # 5. CSV that resynchronises; header problems once.
    ("csv-unterminated-quote-resyncs", {"p.csv": csv_rows(1000, broken=2)}, ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 5,
     "", {"records": ("out.jsonl", 1000), "check": lambda tmp, text, code:
          in_output('"error":"p.csv:3:1: error: quote at line 3, column 1: unterminated quoted field [csv-syntax]"')(tmp, text, code)
          or ("" if open(os.path.join(tmp, "out.jsonl"), encoding="utf-8").read().count('"status":"ok"') == 999
              else "expected 999 rows scored")}),
    ("csv-aliased-columns", {"p.csv": HDR + ",certifications[0].type,certifications[00].type\n"}, ["batch", "p.csv", "-o", "-"], 3,
     'p.csv:1:6 (header column 6): error: column "certifications[00].type" names the same cell as "certifications[0].type" [duplicate-column]'),
    ("csv-missing-required-columns-once", {"p.csv": "id,name\na,b\nc,d\n"}, ["batch", "p.csv", "-o", "-"], 3,
     "p.csv:1:1 (header): error: missing required column(s): form, region, policy_year [missing-column]\n1 problem(s) in p.csv"),
    ("csv-spreadsheet-booleans", {"p.csv": HDR + ",university_cooperation_industrialized\na,enterprise,330802,2023,TRUE\n"
                                  "b,enterprise,330802,2023,False\nc,enterprise,330802,2023,是\nd,enterprise,330802,2023,否\n"},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 4)}),
    # Hostile inputs of our own.
    ("hostile-nul-bytes-in-json", {"p.json": b'{"form": "farm\x00"}'}, ["eval", "p.json"], 3,
     "p.json:1:15: error: control character inside a string (escape it) [json-syntax]"),
    ("hostile-overlong-utf8", {"p.json": b'{"form": "\xc0\xaf"}'}, ["eval", "p.json"], 3, "invalid UTF-8 in a string [json-utf8]"),
    ("hostile-escaped-lone-surrogate", {"p.json": profile('{"industry": "\\ud800"}')}, ["eval", "p.json"], 3,
     "unpaired surrogate in \\u escape [json-syntax]"),
    ("hostile-csv-header-only", {"p.csv": HDR + "\n"}, ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 0, "",
     {"records": ("out.jsonl", 0)}),
    ("hostile-csv-empty-column-name", {"p.csv": HDR + ",\n"}, ["batch", "p.csv", "-o", "-"], 3, 'unknown fact ""'),
    ("hostile-csv-million-columns", {"p.csv": HDR + "," + ",".join(["x"] * 1_000_000) + "\n"}, ["batch", "p.csv", "-o", "-"], 3,
     "and 999900 more problems [too-many-problems]", {"max_seconds": 10, "i18n": False}),
    ("hostile-number-million-digits", {"p.json": profile('{"tech_upgrade_investment": {"2023": ' + "9" * 1_000_000 + "}}")},
     ["eval", "p.json"], 3, "[bad-number]", {"max_seconds": 5, "i18n": False}),
    ("hostile-csv-deep-path", {"p.csv": HDR + ",certifications" + "[0]" * 1000 + ".type\n"}, ["batch", "p.csv", "-o", "-"], 3,
     "expected LIST[N].FIELD for a list fact [bad-column]"),
    ("hostile-jsonl-crlf", {"p.jsonl": profile("{}") + "\r\n" + profile("{}") + "\r\n"},
     ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 2)}),
    ("hostile-csv-quote-runs-to-eof-on-last-row", {"p.csv": HDR + '\na,family_farm,330802,"2023\n'},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 5, "",
     {"records": ("out.jsonl", 1), "check": in_output("quote at line 2, column 22: unterminated quoted field")}),
    ("hostile-csv-cr-inside-quotes", {"p.csv": HDR + ',name\na,family_farm,330802,2023,"x\ry"\n'},
     ["batch", "p.csv", "-o", "out.jsonl", "--quiet"], 0, "", {"records": ("out.jsonl", 1)}),
    ("hostile-rules-dir-with-dev-zero-link", {}, ["check", "r"], 3, "subsidy: r/z.json: larger than the limit of 16 MiB",
     {"setup": lambda tmp: (os.makedirs(os.path.join(tmp, "r")), os.symlink("/dev/zero", os.path.join(tmp, "r", "z.json")))}),
]

CASES += [
    ("json-utf16-named", {"p.json": profile("{}").encode("utf-16")}, ["eval", "p.json"], 3,
     "p.json:1:1: error: this file is UTF-16; save it as UTF-8 [json-utf16]"),
    ("json-utf16be-no-bom", {"p.json": profile("{}").encode("utf-16-be")}, ["eval", "p.json"], 3,
     "p.json:1:1: error: this file is UTF-16; save it as UTF-8 [json-utf16]"),
]


def bad_rows_30mb():  # 1035 rows of 3000 unknown facts each: 7.5 GB and 1.6 GB written before
    row = HEAD + "{" + ",".join(f'"u{i}":1' for i in range(3000)) + "}}\n"
    return row * (30_000_000 // len(row))


CASES += [
    # 6. Batch error records stay small: the first 3 problems, then how many more (peak under the
    # default 256 MB, which includes what the child inherits from this process).
    ("batch-30mb-of-bad-rows", {}, ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet", "--threads", "2"], 5, "",
     {"setup": write("p.jsonl", bad_rows_30mb), "records": ("out.jsonl", 1035), "max_seconds": 10,
      "i18n": False, "check": lambda tmp, text, code: in_output("[unknown-fact]; and 2997 more problems")(tmp, text, code)
      or ("" if os.path.getsize(os.path.join(tmp, "out.jsonl")) < 1 << 20 else "output over 1 MiB")}),
]

CASES += [
    # A chunk of rows in flight stops at 64 MiB of text (src/cli/batch.cpp): 400 MB of long rows
    # are never all held at once.
    ("batch-chunk-bounded-by-bytes", {}, ["batch", "p.jsonl", "-o", "out.jsonl", "--quiet", "--threads", "2"], 5, "",
     {"setup": ten_mb_lines, "records": ("out.jsonl", 40), "max_seconds": 30, "max_mb": 256, "i18n": False}),
]

# Issue 15, item 3: a fact no rule in force for the applicant reads is a warning, and with
# --strict bad input, located at the fact (exit 3; in batch the row's error record, exit 5).
UNREAD = profile('{"agri_loan_interest": {"2023": 1}, "tech_upgrade_projects": [{"investment": 3000000, "completed_year": 2023}]}')
CASES += [
    ("unread-fact-warns", {"p.json": UNREAD}, ["eval", "p.json"], 0,
     "`agri_loan_interest` is read by no rule in force for this applicant"),
    ("unread-fact-strict", {"p.json": UNREAD}, ["eval", "p.json", "--strict"], 3,
     "p.json:1:86 (/facts/agri_loan_interest): error: `agri_loan_interest` is read by no rule in"
     " force for this applicant"),
    ("unread-fact-strict-explain", {"p.json": UNREAD}, ["explain", "p.json", "kc-06-tech-upgrade", "--strict"], 3,
     "(an error under --strict) [unread-fact]"),
    ("unread-fact-strict-batch", {"p.jsonl": UNREAD + "\n"}, ["batch", "p.jsonl", "-o", "out.jsonl", "--strict"], 5,
     "1 with errors", {"records": ("out.jsonl", 1)}),
    ("unread-fact-strict-csv", {"p.csv": "id,form,region,policy_year,agri_loan_interest@2023\nx,enterprise,330802,2023,5\n"},
     ["batch", "p.csv", "-o", "-", "--strict", "--quiet"], 5,
     "p.csv:2:5 (/facts/agri_loan_interest): error: `agri_loan_interest`"),
]
