#!/usr/bin/python3
"""The XLSX a consultant opens (issue 16 item 7), read back with openpyxl: sheet names and headers
in Chinese by default and in English with --lang en, the header row frozen, a filter over every
sheet, column widths, money as numbers formatted #,##0.00, statuses in words, a reason column,
tax relief and fee reductions in columns of their own (so that the grant column sums to each
profile's total of grants), and a summary with one row per profile and a total row equal to the
sums of the JSON Lines records.

usage: xlsx_report.py SUBSIDY_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

from openpyxl import load_workbook

passed = failed = 0

HEADERS = {
    "zh": {
        "sheets": ["汇总", "明细"],
        "summary": ["行号", "输入行", "编号", "名称", "法律形式", "身份", "地区", "政策年度", "状态", "错误"],
        "summary_end": ["资金奖补合计", "合计为下限", "税收减免", "费用减免"],
        "detail": ["行号", "编号", "文件", "规则", "条款", "政策", "类型", "结果", "资金奖补", "税收减免",
                   "费用减免", "不计入的金额（不重复享受）", "说明", "原文"],
        "statuses": {"可享受", "可享受（金额未定）", "不符合", "需补充信息", "不重复享受", "计算出错"},
        "total": "合计", "ok": "正常",
    },
    "en": {
        "sheets": ["summary", "detail"],
        "summary": ["Row", "Line", "ID", "Name", "Legal form", "Roles", "Region", "Policy year", "Status", "Error"],
        "summary_end": ["Total of grants", "Total is a minimum", "Tax relief", "Fee reduction"],
        "detail": ["Row", "ID", "Document", "Rule", "Article", "Title", "Benefit", "Status", "Grant",
                   "Tax relief", "Fee reduction", "Not counted (not combined)", "Reason", "Quote"],
        "statuses": {"eligible", "eligible (amount open)", "not eligible", "needs information",
                     "not combined", "error"},
        "total": "Total", "ok": "ok",
    },
}


def check(ok, what):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


def cents(value):
    """A cell's or a record's money in cents, exactly (a cell holds the decimal's nearest double)."""
    return int((Decimal(str(value)) * 100).quantize(Decimal(1)))


def check_workbook(path, lang, records, documents):
    h = HEADERS[lang]
    book = load_workbook(path)
    check(book.sheetnames == h["sheets"], f"{lang}: sheets {book.sheetnames}")
    summary, detail = book[h["sheets"][0]], book[h["sheets"][1]]
    rows = list(summary.iter_rows(values_only=True))
    head = list(rows[0])
    check(head == h["summary"] + documents + h["summary_end"], f"{lang}: summary header {head}")
    check(list(next(detail.iter_rows(values_only=True))) == h["detail"], f"{lang}: detail header")
    for sheet in (summary, detail):
        check(sheet.freeze_panes == "A2", f"{lang}: {sheet.title} freezes its header ({sheet.freeze_panes})")
        last = sheet.max_row - (1 if sheet is summary else 0)  # the total row is under the filter
        want = f"A1:{sheet.cell(1, sheet.max_column).column_letter}{last}"
        check(sheet.auto_filter.ref == want, f"{lang}: {sheet.title} filter {sheet.auto_filter.ref}, expected {want}")
        widths = [sheet.column_dimensions[sheet.cell(1, c).column_letter].width for c in range(1, sheet.max_column + 1)]
        check(all(w and w >= 7 for w in widths) and max(widths) >= 28, f"{lang}: {sheet.title} column widths {widths}")

    # One row per profile, then the total row; money cells are numbers formatted #,##0.00.
    body, total_row = rows[1:-1], rows[-1]
    check(len(body) == len(records), f"{lang}: {len(body)} profile rows for {len(records)} records")
    check(total_row[0] == h["total"], f"{lang}: the last row is the total row ({total_row[0]!r})")
    money_cols = [head.index(c) for c in documents + [h["summary_end"][0], h["summary_end"][2], h["summary_end"][3]]]
    formats_ok = True
    for cells in list(summary.iter_rows(min_row=2)):
        for c in money_cols:
            cell = cells[c]
            if cell.value is not None and (not isinstance(cell.value, (int, float)) or cell.number_format != "#,##0.00"):
                formats_ok = False
    check(formats_ok, f"{lang}: summary money cells are numbers formatted #,##0.00")
    check(all(r[head.index(h["summary"][8])] == h["ok"] for r in body), f"{lang}: status in words")

    # The total row: the JSON Lines sums, column by column.
    sums = {"total": 0, "tax_relief": 0, "fee_reduction": 0}
    by_doc = {d: 0 for d in documents}
    for r in records:
        for k in sums:
            sums[k] += cents(r[k])
        for d, v in r["documents"].items():
            by_doc[d] += cents(v)
    got = {"total": cents(total_row[head.index(h["summary_end"][0])]),
           "tax_relief": cents(total_row[head.index(h["summary_end"][2])]),
           "fee_reduction": cents(total_row[head.index(h["summary_end"][3])])}
    check(got == sums, f"{lang}: total row {got} equals the JSON Lines sums {sums}")
    got_docs = {d: cents(total_row[head.index(d)]) for d in documents}
    check(got_docs == by_doc, f"{lang}: document totals {got_docs} equal the JSON Lines sums {by_doc}")

    # Detail: statuses in words, reasons, money by benefit kind; each profile's grant column sums to
    # its total of grants.
    drows = list(detail.iter_rows(values_only=True))
    dh = list(drows[0])
    statuses = {r[dh.index(h["detail"][7])] for r in drows[1:]}
    check(statuses <= h["statuses"], f"{lang}: detail statuses in words {statuses - h['statuses']}")
    reasons = [r[dh.index(h["detail"][12])] for r in drows[1:] if r[dh.index(h["detail"][7])] in
               ("不符合", "需补充信息", "not eligible", "needs information")]
    check(reasons and all(reasons), f"{lang}: every rule that does not pay has a reason ({len(reasons)})")
    grant, relief = dh.index(h["detail"][8]), dh.index(h["detail"][9])
    per_row = {}
    for r in drows[1:]:
        if r[grant] is not None:
            per_row[r[0]] = per_row.get(r[0], 0) + cents(r[grant])
        if r[dh.index("规则" if lang == "zh" else "Rule")] == "kc-11-high-tech-rate":
            check(r[grant] is None and cents(r[relief]) == 86000000,
                  f"{lang}: the 15% rate relief is in the tax relief column, not the grant column")
    want = {r["row"]: cents(r["total"]) for r in records if cents(r["total"])}
    check(per_row == want, f"{lang}: each profile's grant column sums to its total of grants")
    money_ok = all(c.number_format == "#,##0.00" for cells in detail.iter_rows(min_row=2)
                   for c in cells[8:12] if c.value is not None)
    check(money_ok, f"{lang}: detail money cells formatted #,##0.00")


def main():
    binary, root = sys.argv[1], sys.argv[2]
    profiles = os.path.join(root, "examples", "profiles.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = os.path.join(tmp, "out.jsonl")
        subprocess.run([binary, "batch", profiles, "-o", jsonl, "--quiet"], check=True)
        records = [json.loads(line) for line in open(jsonl, encoding="utf-8")]
        documents = json.loads(subprocess.run([binary, "documents", "--format", "json"], check=True,
                                              capture_output=True).stdout)["documents"]
        numbers = [d["number"] for d in documents]
        for lang in ("zh", "en"):
            path = os.path.join(tmp, f"out-{lang}.xlsx")
            env = {k: v for k, v in os.environ.items() if k != "SUBSIDY_LANG"}
            args = [binary, "batch", profiles, "-o", path, "--quiet"] + (["--lang", "en"] if lang == "en" else [])
            proc = subprocess.run(args, capture_output=True, text=True, env=env)
            check(proc.returncode == 0, f"{lang}: batch exits 0 ({proc.returncode} {proc.stderr})")
            check_workbook(path, lang, records, numbers)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
