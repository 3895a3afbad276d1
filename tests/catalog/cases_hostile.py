"""A hostile tester's cases for the output side (issue 13): standard input and descriptor paths
that are the destination, workbook text XML cannot hold, formula-like ids, lints at the edge of
their ranges, and resource limits. Each case a few seconds at most."""
import json
import os
import resource
from decimal import Decimal

from common import INV, profile, rule, rule_file
from cases_rules import exact, rules_dir, times, with_payers

ONE = profile("{}") + "\n"
TWO = profile('{"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}') + "\n" + ONE


def log_kept(lines):
    """log.txt still starts with what it held and now has `lines` lines (two records appended)."""
    def check(tmp, text, code):
        got = open(os.path.join(tmp, "log.txt"), encoding="utf-8").read().splitlines()
        if not got or got[0] != "earlier":
            return f"log.txt lost what it held: {got[:1]!r}"
        return "" if len(got) == lines else f"log.txt has {len(got)} lines, expected {lines}"
    return check


def symlink_to_stdout(tmp):
    os.symlink("/dev/stdout", os.path.join(tmp, "out.jsonl"))


def ids_line(*ids, region="330802"):
    return "".join(json.dumps({"id": i, "form": "enterprise", "region": region, "policy_year": 2023,
                               "facts": {"tech_upgrade_projects": [{"investment": 2000000, "completed_year": 2023}]}}) + "\n"
                   for i in ids)


def xlsx_ids(expected):
    """out.xlsx is a well-formed workbook whose summary ids are `expected`."""
    def check(tmp, text, code):
        from openpyxl import load_workbook
        try:
            rows = list(load_workbook(os.path.join(tmp, "out.xlsx"), read_only=True)["summary"]
                        .iter_rows(values_only=True))
        except Exception as e:  # noqa: BLE001 - any parse failure is the finding
            return f"the workbook does not open: {e}"
        ids = [r[rows[0].index("ID")] for r in rows[1:-1]]  # the last row is the total row
        return "" if ids == expected else f"ids {ids!r}, expected {expected!r}"
    return check


def csv_cells(column, expected):
    def check(tmp, text, code):
        import csv
        import io
        rows = list(csv.reader(io.StringIO(text)))
        got = [r[rows[0].index(column)] for r in rows[1:] if len(r) > 1]
        return "" if got == expected else f"{column} {got!r}, expected {expected!r}"
    return check


def plant_removed(name):
    """The link planted at the tool's temporary-file name was removed, not written through."""
    def check(tmp, text, code):
        left = [f for f in os.listdir(tmp) if f.startswith(f".{name}.tmp-")]
        return f"planted links left: {left}" if left else ""
    return check


def plant_kept(name):
    """The link planted at the tool's temporary-file name is still there: the tool went elsewhere
    (a private directory), neither writing through it nor removing it."""
    def check(tmp, text, code):
        left = [f for f in os.listdir(tmp) if f.startswith(f".{name}.tmp-") and os.path.islink(os.path.join(tmp, f))]
        return "" if len(left) == 1 else f"planted symbolic links: {left}, expected one"
    return check


def xml_file(path):
    def check(tmp, text, code):
        head = open(os.path.join(tmp, path), "rb").read(5)
        return "" if head == b"<?xml" else f"{path} starts with {head!r}"
    return check


def xlsx_id_fits(tmp, text, code):
    """The summary's id cell holds at most 32,767 UTF-16 units (Excel's limit) and ends with "…"."""
    from openpyxl import load_workbook
    rows = list(load_workbook(os.path.join(tmp, "out.xlsx"), read_only=True)["summary"].iter_rows(values_only=True))
    cell = rows[1][rows[0].index("ID")]
    units = len(cell.encode("utf-16-le")) // 2
    return "" if units <= 32767 and cell.endswith("\u2026") else f"id cell of {units} UTF-16 units"


def out_is_symlink(tmp, text, code):
    return "" if os.path.islink(os.path.join(tmp, "out.jsonl")) else "out.jsonl is no longer a link"


def payers_add_up(tmp, text, code):
    rules = [r for r in json.loads(text)["documents"][0]["rules"] if r.get("payers")] \
        if text.startswith("{") else []
    if not rules:
        return "no rule with payers in the report"
    parts = sum(Decimal(p["amount"]) for p in rules[0]["payers"])
    return "" if parts == Decimal(rules[0]["amount"]) else f"parts add up to {parts}"


SHARES = [{"payer": "province", "share": "33.3333%"}, {"payer": "city", "share": "33.3333%"},
          {"payer": "district", "share": "33.3334%"}]
P101 = profile('{"tech_upgrade_investment": {"2023": 101}}')

CASES = [
    # --- standard input is an input too: `< out.jsonl` must not be written over (exit 3) ---
    ("hostile-stdin-is-the-output", {"in.jsonl": TWO}, ["batch", "-", "-o", "in.jsonl"], 3,
     "in.jsonl: is the input <stdin>; refusing to write over it (nothing done)", {"stdin_file": "in.jsonl"}),
    ("hostile-stdin-is-the-output-zh", {"in.jsonl": TWO}, ["batch", "-", "-o", "in.jsonl"], 3,
     "in.jsonl：就是输入文件 <stdin>；拒绝覆盖它", {"stdin_file": "in.jsonl", "chinese": True}),
    ("hostile-stdin-appended-to-by-stdout", {"in.jsonl": TWO}, ["batch", "-", "-o", "-"], 3,
     "standard output: is the input <stdin>", {"stdin_file": "in.jsonl", "stdout": "in.jsonl",
                                               "stdout_mode": "ab", "i18n": False}),
    ("hostile-stdin-other-file-is-fine", {"in.jsonl": TWO}, ["batch", "-", "-o", "out.jsonl", "--quiet"], 0, "",
     {"stdin_file": "in.jsonl", "records": ("out.jsonl", 2)}),
    # --- /dev/stdout and its kin are the descriptor the shell opened: `>> log` appends ---
    ("hostile-dev-stdout-appends", {"in.jsonl": TWO, "log.txt": "earlier\n"},
     ["batch", "in.jsonl", "-o", "/dev/stdout", "--quiet"], 0, "",
     {"stdout": "log.txt", "stdout_mode": "ab", "may_change": ["log.txt"], "check": log_kept(3), "i18n": False}),
    ("hostile-dev-fd-1-appends", {"in.jsonl": TWO, "log.txt": "earlier\n"},
     ["batch", "in.jsonl", "-o", "/dev/fd/1", "--quiet"], 0, "",
     {"stdout": "log.txt", "stdout_mode": "ab", "may_change": ["log.txt"], "check": log_kept(3), "i18n": False}),
    ("hostile-proc-self-fd-1-appends", {"in.jsonl": TWO, "log.txt": "earlier\n"},
     ["batch", "in.jsonl", "-o", "/proc/self/fd/1", "--quiet"], 0, "",
     {"stdout": "log.txt", "stdout_mode": "ab", "may_change": ["log.txt"], "check": log_kept(3), "i18n": False}),
    ("hostile-link-to-dev-stdout-appends", {"in.jsonl": TWO, "log.txt": "earlier\n"},
     ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet"], 0, "",
     {"stdout": "log.txt", "stdout_mode": "ab", "may_change": ["log.txt"], "setup": symlink_to_stdout,
      "check": lambda tmp, text, code: log_kept(3)(tmp, text, code) or out_is_symlink(tmp, text, code),
      "i18n": False}),
    ("hostile-dev-stdout-is-the-input", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "/dev/stdout"], 3,
     "/dev/stdout: is the input in.jsonl; refusing to write over it",
     {"stdout": "in.jsonl", "stdout_mode": "ab", "i18n": False}),
    ("hostile-dev-fd-not-open", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "/dev/fd/57"], 3,
     "/dev/fd/57: cannot open: Bad file descriptor"),
    ("hostile-dev-fd-not-open-zh", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "/dev/fd/57"], 3,
     "/dev/fd/57：无法打开：错误的文件描述符", {"chinese": True}),
    ("hostile-out-dot-dot-input", {"in.jsonl": TWO, "sub/keep": ""}, ["batch", "in.jsonl", "-o", "sub/../in.jsonl"],
     3, "sub/../in.jsonl: is the input in.jsonl"),
    # --- workbook text that XML cannot hold: never a corrupt workbook, never a cut cell ---
    ("hostile-xlsx-noncharacters", {"in.jsonl": ids_line("a\ufffeb", "c\uffffd", "plain")},
     ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "",
     {"check": xlsx_ids(["a\ufffdb", "c\ufffdd", "plain"])}),
    ("hostile-xlsx-nul-in-id", {"in.jsonl": ids_line("a\u0000b")}, ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"],
     0, "", {"check": xlsx_ids(["a\ufffdb"])}),
    ("hostile-xlsx-control-characters", {"in.jsonl": ids_line("a\u0001b", "\u000bvt", "tab\tin")},
     ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "",
     # libxlsxwriter writes control characters as Excel's escapes, which Excel reads back
     {"check": xlsx_ids(["a_x0001_b", "_x000B_vt", "tab\tin"])}),
    # --- formula-like text: an id "-1" is text, an amount is a number ---
    ("hostile-csv-minus-one-id", {"in.jsonl": ids_line("-1", " =1+1", "1")},
     ["batch", "in.jsonl", "-o", "-", "--format", "csv", "--quiet"], 0, "'-1,",
     {"check": csv_cells("total", ["120000.00"] * 3)}),
    # --- lints at the edge of their ranges ---
    ("hostile-lint-rate-just-above-100", rules_dir(rule_file([rule(exact(times("100.0001%")))])),
     ["check", "r", "--year", "2023"], 0, "warning: rate 100.0001% is above 100% [rate-out-of-range]"),
    ("hostile-lint-rate-exactly-100", rules_dir(rule_file([rule(exact(times("100%")))])),
     ["check", "r", "--year", "2023"], 0, "0 error(s), 1 warning(s)", {"absent": "rate-out-of-range"}),
    ("hostile-shares-100-with-rounding-check",
     rules_dir(rule_file([with_payers(rule(exact(times("1%"))), SHARES)])),
     ["check", "r", "--year", "2023"], 0, "0 error(s)", {"absent": "payer-split"}),
    ("hostile-shares-100-with-rounding-eval",
     dict(rules_dir(rule_file([with_payers(rule(exact(times("1%"))), SHARES)])), **{"p.json": P101}),
     ["eval", "p.json", "--rules", "r", "--format", "json"], 0,
     '"payer": "district",\n              "amount": "0.33"', {"check": payers_add_up}),
    # --- resources ---
    ("hostile-threads-256-small-address-space", {"in.jsonl": TWO},
     ["batch", "in.jsonl", "-o", "out.jsonl", "--threads", "256", "--quiet"], 6, "subsidy: resources exhausted",
     {"rlimits": {resource.RLIMIT_AS: 200 << 20}, "max_mb": 300, "i18n": False}),
    ("hostile-junit-onto-directory", {"r/facts.json": open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                      "..", "cli", "diff", "old", "facts.json"),
                                                         encoding="utf-8").read(),
                                      "r/cat.json": rule_file([rule({"kind": "unspecified"})])},
     ["test", "r", "--junit", "r"], 3, "r: is a directory; give a file name"),
    # --- names planted where the temporary file goes (a directory others can write to) ---
    ("hostile-temp-hard-link-planted", {"in.jsonl": TWO, "victim.txt": "secret\n"},
     ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet"], 0, "",
     {"plant": ("out.jsonl", True), "planted": "victim.txt", "records": ("out.jsonl", 2),
      "check": plant_removed("out.jsonl")}),
    ("hostile-temp-symlink-planted-xlsx", {"in.jsonl": TWO, "victim.txt": "secret\n"},
     ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "",
     {"plant": ("out.xlsx", False), "planted": "victim.txt", "check": plant_kept("out.xlsx")}),
    # --- standard output's failure is reported with the failed write's own reason ---
    ("hostile-stdout-file-size-limit", {}, ["rules"], 6, "standard output: write failed: File too large",
     {"stdout": "out.txt", "rlimits": {resource.RLIMIT_FSIZE: 100}}),
    # --- closed standard descriptors (the shell's >&-) ---
    ("hostile-stdout-closed-batch-to-stdout", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "-"], 3,
     "standard output: cannot write: Bad file descriptor", {"closed": (1,), "absent": "is the input"}),
    ("hostile-stdout-closed-batch-to-stdout-zh", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "-"], 3,
     "标准输出：无法写入：错误的文件描述符", {"closed": (1,), "chinese": True}),
    ("hostile-stdout-closed-test-junit", {}, ["test", "--junit", "j.xml"], 3,
     "standard output: write failed: Bad file descriptor", {"closed": (1,), "check": xml_file("j.xml")}),
    ("hostile-stdout-closed-quiet-batch", {"in.jsonl": TWO}, ["batch", "in.jsonl", "-o", "out.jsonl", "--quiet"], 0,
     "", {"closed": (1,), "records": ("out.jsonl", 2)}),
    # --- the Chinese of a thread that cannot start ---
    ("hostile-threads-256-small-address-space-zh", {"in.jsonl": TWO},
     ["batch", "in.jsonl", "-o", "out.jsonl", "--threads", "256", "--quiet"], 6, "subsidy: 资源耗尽：资源暂时不可用",
     {"rlimits": {resource.RLIMIT_AS: 200 << 20}, "max_mb": 300, "i18n": False, "chinese": True,
      "absent": "Resource temporarily"}),
    # --- XLSX to a device with TMPDIR missing: TMPDIR is named ---
    ("hostile-xlsx-device-tmpdir-missing", {"in.jsonl": TWO},
     ["batch", "in.jsonl", "-o", "/dev/null", "--format", "xlsx", "--quiet"], 3,
     "/dev/null: cannot write: the directory /nonexistent (TMPDIR) does not exist",
     {"env": {"TMPDIR": "/nonexistent"}}),
    # --- full-width formula characters are neutralised like their ASCII forms ---
    ("hostile-csv-fullwidth-formula", {"in.jsonl": ids_line("\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)")},
     ["batch", "in.jsonl", "-o", "-", "--format", "csv", "--quiet"], 0, "",
     {"check": csv_cells("id", ["'\uff1d1+1", "'\uff0b1", "'\uff0d1", "'\uff20SUM(A1)"])}),
    # --- an XLSX cell is cut at Excel's limit in UTF-16 units, not code points ---
    ("hostile-xlsx-emoji-cell", {"in.jsonl": ids_line("\U0001F600" * 20000)},
     ["batch", "in.jsonl", "-o", "out.xlsx", "--quiet"], 0, "", {"check": xlsx_id_fits}),
]

if os.environ.get("SUBSIDY_SANITIZED"):
    CASES = [c for c in CASES if not {resource.RLIMIT_AS, resource.RLIMIT_NOFILE} &
             set((c[5] if len(c) > 5 else {}).get("rlimits", {}))]

CHINESE = set()
