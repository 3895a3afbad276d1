#!/usr/bin/python3
"""The audit ledgers (docs/audit/NAME.md) account for every rule: each rule id of
rules/CODE-NAME-YEAR-NUMBER.json has exactly one row in docs/audit/NAME.md, in the rule file's
order, with a verdict; no row names a rule that does not exist. A rule added without being
re-read, or removed without its row, fails this test.

usage: check_ledgers.py REPO_ROOT
"""
import glob
import json
import os
import re
import sys

ROW = re.compile(r"^\|\s*`?([a-z]{2}-[0-9][^|`\s]*)`?\s*\|(.*)\|\s*$", re.M)


def main(root):
    problems = []
    files = sorted(f for f in glob.glob(os.path.join(root, "rules", "[0-9]*.json"))
                   if not f.endswith(".tests.json"))
    if not files:
        problems.append("no rule files found")
    for path in files:
        name = os.path.basename(path)[:-5].split("-")[1]
        ledger = os.path.join(root, "docs", "audit", name + ".md")
        ids = [r["id"] for r in json.load(open(path, encoding="utf-8"))["rules"]]
        if not os.path.exists(ledger):
            problems.append(f"{ledger}: missing (the ledger of {os.path.basename(path)})")
            continue
        rows = ROW.findall(open(ledger, encoding="utf-8").read())
        listed = [rule for rule, _ in rows]
        for rule in ids:
            if listed.count(rule) != 1:
                problems.append(f"{ledger}: {rule} has {listed.count(rule)} rows, expected 1")
        for rule in listed:
            if rule not in ids:
                problems.append(f"{ledger}: {rule} is not a rule of {os.path.basename(path)}")
        if [r for r in listed if r in ids] != [r for r in ids if r in listed]:
            problems.append(f"{ledger}: rows are not in the rule file's order")
        for rule, cells in rows:
            verdict = cells.split("|")[-1].strip()
            if not re.match(r"(ok|fixed|reading)\b", verdict):
                problems.append(f"{ledger}: {rule}: verdict {verdict[:40]!r} is not ok/fixed/reading")
    for p in problems:
        print(p)
    print(f"{len(files)} rule files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
