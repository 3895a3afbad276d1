#!/usr/bin/python3
"""Reports for people carry no rule-language notation and no internal ids: every example profile
through `eval` in table, Markdown and HTML, and `compare`, in Chinese and English, must show no
snake_case id (`excellent_maker_space`), no `type =` or `∈` notation. Text in backticks is exempt:
that is a key the person wrote in their own file, quoted so they can find it (the unread-fact
warnings). A control finds the old reasons' notation in a planted line, so the scan cannot pass by
matching nothing. `explain` keeps ids by design and is not scanned.

usage: check_plain_text.py SUBSIDY_BINARY REPO_ROOT
"""
import glob
import html
import os
import re
import subprocess
import sys

ID = re.compile(r"(?<![A-Za-z0-9_./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_/.-])")
NOTATION = re.compile(r"∈|\btype = |\blevel = |\bstatus = ")


def visible(text, fmt):
    """The text a person reads: HTML without tags, styles and scripts; backticked keys dropped."""
    if fmt == "html":
        text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    return re.sub(r"`[^`\n]*`", " ", text)


def offences(text):
    return sorted(set(ID.findall(text)) | set(NOTATION.findall(text)))


def run(binary, args, lang):
    env = dict(os.environ, SUBSIDY_LANG=lang, SUBSIDY_NOW="2026-01-15")
    p = subprocess.run([binary] + args, capture_output=True, text=True, env=env)
    if p.returncode not in (0, 3, 4):
        raise SystemExit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


def main():
    binary, root = sys.argv[1], sys.argv[2]
    examples = sorted(glob.glob(os.path.join(root, "examples", "*.json")))
    failed = checked = 0
    for path in examples:
        name = os.path.basename(path)
        runs = [(["eval", path, "--format", f], f) for f in ("table", "md", "html")]
        runs.append((["compare", path], "table"))
        for args, fmt in runs:
            for lang in ("zh", "en"):
                found = offences(visible(run(binary, args, lang), fmt))
                checked += 1
                if found:
                    failed += 1
                    print(f"FAIL {name} {' '.join(args[2:])} {lang}: {', '.join(found[:12])}")
    # Control: the scan finds the notation of the old reasons in a planted line.
    planted = offences("没有符合条件的记录（certifications: type = excellent_maker_space，"
                       "level ∈ {national, provincial}）")
    if planted != ["excellent_maker_space", "type = ", "∈"]:
        print("FAIL control: the scan found nothing where ids are planted")
        failed += 1
    print(f"{checked - failed} of {checked} outputs free of ids and notation")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
