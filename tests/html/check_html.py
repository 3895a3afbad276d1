#!/usr/bin/python3
"""The HTML report: self-contained (no external scripts, fonts, styles or images), and it renders.
Each example is rendered to PNG by headless Chromium (Debian's chromium) and the picture is checked
to exist, to be a real page (not blank) and to carry the chart's bar colour; and printed to PDF
(A4, the print stylesheet). The page must carry the date, the rules version and the disclaimer,
show a document not in force as one line, and show each document's payer split (`by_payer` of the
JSON report) by payer name, in both languages.

Set KEEP_HTML=DIR to keep the pages, screenshots and PDFs in DIR for a look.

usage: check_html.py SUBSIDY_BINARY REPO_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

BAR = (0x2F, 0x80, 0xED)
DATE = "2026-01-15"
# The payers of the examples, by name (kPayers in src/core/model.h); "issuer" is the region's 财政.
PAYERS = {
    "zh": {"province": "省财政", "city_county": "市、县合计", "not_stated": "原文未明确"},
    "en": {"province": "provincial finance", "city_county": "city and county finance together",
           "not_stated": "not stated in the text"},
}
DISCLAIMER = {"zh": "不是政府部门的决定", "en": "not a decision of any government department"}


def money(amount):
    whole, cents = amount.split(".")
    return "¥" + f"{int(whole):,}" + "." + cents


def check_content(check, page, report, lang, example):
    """The header and footer, the not-in-force line, and the payer split against the JSON."""
    check(DATE in page and report["rules_version"] in page and DISCLAIMER[lang] in page,
          f"{example} ({lang}): date, rules version and disclaimer on the page")
    check("@bottom-left" in page and "@media print" in page and "size: A4" in page,
          f"{example} ({lang}): a print stylesheet (A4) and a footer for every printed page")
    for doc in report["documents"]:
        number = doc["number"]
        if not doc["in_force"]:
            lines = re.findall(r'<p class="not-in-force">([^<]*)</p>', page)
            check(any(number in line for line in lines) and f"<h2>{number}" not in page,
                  f"{example} ({lang}): {number}, not in force, is one line")
            continue
        section = page[page.find(f"<h2>{number}"):]
        section = section[:section.find("</section>")]
        table = re.search(r'<table class="payers">(.*?)</table>', section, re.S)
        check(table is not None, f"{example} ({lang}): {number} has a payer table")
        if table is None:
            continue
        rows = re.findall(r"<tr><td>([^<]*)</td><td class=\"amount\">([^<]*)</td></tr>", table.group(1))
        expected = []
        for payer, amount in doc["by_payer"].items():
            name = PAYERS[lang].get(payer)
            if payer == "issuer":  # the region's own finance: 衢江区财政, Qujiang government
                name = next((n for n, _ in rows if n not in PAYERS[lang].values()), "?")
                check(name.endswith("财政" if lang == "zh" else " government"),
                      f"{example} ({lang}): the issuer is named by its region ({name})")
            expected.append((name, money(amount)))
        check(sorted(rows) == sorted(expected),
              f"{example} ({lang}): {number} payer split {rows} is by_payer {expected}")


def main():
    binary, root = sys.argv[1], sys.argv[2]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("ok   " if ok else "FAIL ") + what)
        if ok:
            passed += 1
        else:
            failed += 1

    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.environ.get("KEEP_HTML") or tmp
        os.makedirs(tmp, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("SUBSIDY_LANG", "SOURCE_DATE_EPOCH")}
        env["SUBSIDY_NOW"] = DATE
        for example, lang in (("qujiang-little-giant-talent", "zh"), ("qujiang-little-giant-talent", "en"),
                              ("jiaojiang-software", "en"),
                              ("kecheng-grain-farm", "zh"), ("kecheng-grain-farm", "en")):
            html = os.path.join(tmp, f"{example}-{lang}.html")
            proc = subprocess.run([binary, "eval", os.path.join(root, "examples", example + ".json"),
                                   "--format", "html", "--lang", lang], capture_output=True, env=env)
            report = json.loads(subprocess.run(
                [binary, "eval", os.path.join(root, "examples", example + ".json"), "--format", "json",
                 "--lang", lang], capture_output=True, env=env).stdout)
            check(proc.returncode == 0, f"{example} ({lang}): eval --format html exits 0")
            page = proc.stdout.decode("utf-8")
            open(html, "w", encoding="utf-8").write(page)
            external = re.findall(r'(?:src|href)\s*=\s*"(?!#)[^"]*"|<script|<link|@import|url\(', page)
            check(not external, f"{example}: self-contained (no external references: {external[:3]})")
            check("<svg" in page and "<rect" in page, f"{example}: has an inline SVG bar chart")
            check_content(check, page, report, lang, example)
            png = os.path.join(tmp, f"{example}-{lang}.png")
            pdf = os.path.join(tmp, f"{example}-{lang}.pdf")
            profile_dir = os.path.join(tmp, "chromium-profile")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", f"--user-data-dir={profile_dir}", "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", "file://" + html],
                           capture_output=True, timeout=120)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", open(pdf, "rb").read())) if os.path.exists(pdf) else 0
            check(pages >= 1, f"{example} ({lang}): prints to PDF ({pages} A4 pages)")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", f"--user-data-dir={profile_dir}", "--hide-scrollbars",
                            "--window-size=1000,1400", f"--screenshot={png}", "file://" + html],
                           capture_output=True, timeout=120)
            check(os.path.exists(png) and os.path.getsize(png) > 10000, f"{example}: Chromium wrote a PNG")
            if not os.path.exists(png):
                continue
            image = Image.open(png).convert("RGB")
            pixels = list(image.getdata())
            non_white = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
            check(non_white > 0.02, f"{example}: the page is not blank ({non_white:.1%} of pixels drawn)")
            bar = sum(1 for p in pixels if abs(p[0] - BAR[0]) < 8 and abs(p[1] - BAR[1]) < 8 and abs(p[2] - BAR[2]) < 8)
            check(bar > 500, f"{example}: the bars are drawn ({bar} bar-coloured pixels)")
            colours = len(set(pixels[::7]))
            check(colours > 50, f"{example}: text is rendered with anti-aliasing ({colours} colours)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
