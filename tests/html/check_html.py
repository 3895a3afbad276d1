#!/usr/bin/python3
"""The HTML report: self-contained (no external scripts, fonts, styles or images), and it renders.
Each example is rendered to PNG by headless Chromium (Debian's chromium) and the picture is checked
to exist, to be a real page (not blank) and to carry the chart's bar colour.

usage: check_html.py SUBSIDY_BINARY REPO_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

BAR = (0x2F, 0x80, 0xED)


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
        for example, lang in (("qujiang-little-giant-talent", "zh"), ("jiaojiang-software", "en"),
                              ("kecheng-grain-farm", "zh")):
            html = os.path.join(tmp, f"{example}-{lang}.html")
            proc = subprocess.run([binary, "eval", os.path.join(root, "examples", example + ".json"),
                                   "--format", "html", "--lang", lang], capture_output=True)
            check(proc.returncode == 0, f"{example} ({lang}): eval --format html exits 0")
            page = proc.stdout.decode("utf-8")
            open(html, "w", encoding="utf-8").write(page)
            external = re.findall(r'(?:src|href)\s*=\s*"(?!#)[^"]*"|<script|<link|@import|url\(', page)
            check(not external, f"{example}: self-contained (no external references: {external[:3]})")
            check("<svg" in page and "<rect" in page, f"{example}: has an inline SVG bar chart")
            png = os.path.join(tmp, f"{example}-{lang}.png")
            profile_dir = os.path.join(tmp, "chromium-profile")
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
