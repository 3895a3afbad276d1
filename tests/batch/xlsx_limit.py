#!/usr/bin/python3
"""Excel's row limit, really crossed: 26,000 generated profiles give more than 1,048,576 detail
rows. The XLSX must hold every one of them (as many as the JSON Lines output has rule results),
on the sheets detail and detail 2, each starting with the header; the last summary row names
detail 2; peak memory stays flat (libxlsxwriter's constant_memory mode). The sheets are counted
from the workbook's XML, streamed: openpyxl would take longer than the run itself.

Skipped (exit 77) under the sanitizers (SUBSIDY_SANITIZED), where it would take minutes; the
round trip covers the same code with a lowered limit there.

usage: xlsx_limit.py SUBSIDY_BINARY REPO_ROOT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

PROFILES = 26000


def run(args):
    """Exit code and peak resident memory (MB) of one run."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def count(book, member, needle):
    """Occurrences of needle in a member of the zip, read in blocks."""
    n, tail = 0, b""
    with book.open(member) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            data = tail + block
            n += data.count(needle)
            tail = data[-(len(needle) - 1):]  # shorter than needle: nothing in it is counted twice
    return n


def main():
    binary, root = sys.argv[1], sys.argv[2]
    if os.environ.get("SUBSIDY_SANITIZED"):
        print("skipped under the sanitizers")
        return 77
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "p")
        subprocess.run([sys.executable, os.path.join(root, "tests", "batch", "gen_profiles.py"), str(PROFILES),
                        prefix], check=True, capture_output=True)
        jsonl, xlsx = os.path.join(tmp, "out.jsonl"), os.path.join(tmp, "out.xlsx")
        code, _ = run([binary, "batch", prefix + ".jsonl", "-o", jsonl, "--quiet"])
        results = 0
        for line in open(jsonl, encoding="utf-8"):
            record = json.loads(line)
            results += sum(len(rules) for rules in record.get("rules", {}).values())
        code, peak = run([binary, "batch", prefix + ".jsonl", "-o", xlsx, "--quiet", "--lang", "en"])
        if code != 5:
            failures.append(f"exit {code}, expected 5 (the generator makes bad rows)")
        if peak > 200:
            failures.append(f"peak memory {peak:.0f} MB")
        with zipfile.ZipFile(xlsx) as book:
            names = re.findall(rb'<sheet name="([^"]+)"', book.read("xl/workbook.xml"))
            if names != [b"summary", b"detail", b"detail 2"]:
                failures.append(f"sheets {names}")
            rows = [count(book, f"xl/worksheets/sheet{i}.xml", b"<row ") for i in (2, 3)]
            if rows[0] != 1048576 or sum(rows) - 2 != results:
                failures.append(f"detail rows {rows} (headers included), {results} rule results in JSON Lines")
            with book.open("xl/worksheets/sheet1.xml") as f:
                summary = f.read()
            if b"continue on the sheets detail 2." not in summary[-2000:]:
                failures.append("the summary does not name detail 2")
        print(f"{PROFILES} profiles, {results} rule results, detail rows per sheet {rows}, peak {peak:.0f} MB")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
