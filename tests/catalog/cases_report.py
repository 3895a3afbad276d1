"""Reports a client can read (issue 16): money paid is kept apart from tax relief and fee
reductions. In every format the column of amounts that a subtotal sums holds grants only, and adds
up to that subtotal; reliefs and reductions have their own table or columns and subtotals."""
import csv
import io
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# A manufacturer with a high-tech title: ¥860,000 of tax relief at the 15% rate.
MANUFACTURER = open(os.path.join(ROOT, "examples", "kecheng-manufacturer.json"), encoding="utf-8").read()
RELIEF_TITLE = {"zh": "高新技术企业减按15%税率", "en": "15% income-tax rate for high-tech"}
MONEY = re.compile(r"(?:不低于|at least )?¥([0-9,]+\.[0-9]{2})$")


def cents(text):
    return int(text.replace(",", "").replace(".", ""))


def sum_cells(cells):
    """The sum, in cents, of the cells that are an amount counted as money (not "not counted",
    not "up to", not "not specified")."""
    total = 0
    for cell in cells:
        m = MONEY.match(cell.strip())
        if m:
            total += cents(m.group(1))
    return total


def table_sums(lang):
    """For eval's table: each document's cash table (from its header to its subtotal) summed, and
    the subtotal it states."""
    subtotal = re.compile(r"  (?:资金奖补小计|Total of grants)：?:? ?(?:不低于|at least )?¥([0-9,]+\.[0-9]{2})")

    def check(tmp, text, code):
        problems, tables, cells, inside, relief_seen = [], 0, [], False, False
        for previous, line in zip([""] + text.splitlines(), text.splitlines()):
            if line.strip().startswith("-----"):
                # Under a header with a kind column: the table of reliefs, not a cash table.
                inside, cells = not re.search(r"类型|Kind", previous), []
                continue
            m = subtotal.match(line)
            if m:
                if not inside:
                    continue
                tables += 1
                if sum_cells(cells) != cents(m.group(1)):
                    problems.append(f"cash column sums to {sum_cells(cells)} cents, subtotal {m.group(1)}")
                inside = False
                continue
            if inside:
                if RELIEF_TITLE[lang] in line:
                    problems.append(f"a tax relief in the cash table: {line.strip()}")
                cells.append(re.split(r"\s{2,}", line.strip())[-1])
            elif RELIEF_TITLE[lang] in line and "¥860,000.00" in line:
                relief_seen = True
        if not tables:
            problems.append("no cash table with a subtotal")
        if not relief_seen:
            problems.append("the tax relief is not listed apart")
        return "; ".join(problems)
    return check


def markdown_sums(lang):
    subtotal = re.compile(r"\*\*(?:资金奖补小计：|Total of grants: )(?:不低于|at least )?¥([0-9,]+\.[0-9]{2})\*\*")

    def check(tmp, text, code):
        problems, tables, cells, relief_seen = [], 0, [], False
        in_cash = False
        for line in text.splitlines():
            if line.startswith("| 条款 | 政策 | 结果") or line.startswith("| Article | Rule | Result"):
                in_cash, cells = True, []
                continue
            m = subtotal.match(line)
            if m:
                tables += 1
                if sum_cells(cells) != cents(m.group(1)):
                    problems.append(f"cash column sums to {sum_cells(cells)} cents, subtotal {m.group(1)}")
                in_cash, cells = False, []
                continue
            if line.startswith("|") and not line.startswith("|---"):
                parts = [p.strip() for p in line.strip("|").split(" | ")]
                if in_cash:
                    if RELIEF_TITLE[lang] in line:
                        problems.append(f"a tax relief in the cash table: {line}")
                    cells.append(parts[3])
                elif RELIEF_TITLE[lang] in line and "¥860,000.00" in line:
                    relief_seen = True
        if not tables:
            problems.append("no cash table with a subtotal")
        if not relief_seen:
            problems.append("the tax relief is not listed apart")
        return "; ".join(problems)
    return check


def csv_sums(tmp, text, code):
    """eval --format csv: the grant column sums to the JSON report's total, tax_relief to its tax
    relief; the relief's row says so in its benefit column."""
    rows = list(csv.DictReader(io.StringIO(text)))
    grant = sum(cents(r["grant"]) for r in rows if r["grant"])
    relief = sum(cents(r["tax_relief"]) for r in rows if r["tax_relief"])
    problems = []
    if grant != cents("905355.46"):  # the report's total of grants (柯政发〔2023〕16号 alone)
        problems.append(f"grant column sums to {grant}")
    if relief != cents("860000.00"):
        problems.append(f"tax_relief column sums to {relief}")
    if any(r["benefit"] != "grant" and r["grant"] for r in rows):
        problems.append("a relief in the grant column")
    return "; ".join(problems)


CASES = [
    ("report-cash-column-table-zh", {"p.json": MANUFACTURER}, ["eval", "p.json"], 0,
     "税收减免与费用减免（非资金拨付，不计入合计）", {"check": table_sums("zh"), "chinese": True}),
    ("report-cash-column-table-en", {"p.json": MANUFACTURER}, ["eval", "p.json"], 0,
     "Tax relief and fee reductions (not money paid, not in the total)", {"check": table_sums("en")}),
    ("report-cash-column-md-zh", {"p.json": MANUFACTURER}, ["eval", "p.json", "--format", "md"], 0,
     "### 税收减免与费用减免", {"check": markdown_sums("zh"), "chinese": True}),
    ("report-cash-column-md-en", {"p.json": MANUFACTURER}, ["eval", "p.json", "--format", "md"], 0,
     "### Tax relief and fee reductions", {"check": markdown_sums("en")}),
    ("report-cash-column-csv", {"p.json": MANUFACTURER}, ["eval", "p.json", "--format", "csv"], 0,
     ",benefit,amount,grant,tax_relief,fee_reduction,reason", {"check": csv_sums}),
]

CHINESE = {"report-cash-column-table-zh", "report-cash-column-md-zh"}
