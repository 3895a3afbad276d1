#!/usr/bin/env python3
"""End-to-end CLI tests: runs the built `subsidy` binary on each case in cases.json and compares its
exit code, standard output and standard error with the golden files byte for byte.

A case may set "env" (e.g. {"SUBSIDY_LANG": "en"}); SUBSIDY_LANG is otherwise removed from the
environment, so the default language (Chinese) is what the goldens show unless a case asks.
Reports say when they were produced: SUBSIDY_NOW is set to a fixed date (a case may set another),
and the rules version they name (a hash of the rule files, which changes with every rule edit) is
written as <rules-version> in the goldens, so editing a rule file does not change every golden.

usage: run_golden.py SUBSIDY_BINARY TESTS_CLI_DIR REPO_ROOT
Set UPDATE_GOLDEN=1 to rewrite the golden files from the current output (then review the diff).
"""
import json
import os
import re
import subprocess
import sys

# The rules version as reports print it (report/render.h stamp_text, the JSON key rules_version).
RULES_VERSION = re.compile("(rules_version\": \"|规则版本 |rules version )[0-9a-f]{16}".encode())
FIXED_DATE = "2026-01-15"


def normalize(out):
    return RULES_VERSION.sub(rb"\1<rules-version>", out)


def main():
    binary, here, root = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(os.path.join(here, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    golden = os.path.join(here, "golden")
    os.makedirs(golden, exist_ok=True)
    passed = failed = 0
    for case in cases:
        name = case["name"]
        stdin = case.get("stdin")
        env = {k: v for k, v in os.environ.items()
               if k not in ("SUBSIDY_LANG", "SUBSIDY_NOW", "SOURCE_DATE_EPOCH")}
        env["SUBSIDY_NOW"] = FIXED_DATE
        env.update(case.get("env", {}))
        proc = subprocess.run([binary] + case["args"], cwd=root, capture_output=True, env=env,
                              input=stdin.encode() if stdin is not None else b"", timeout=60)
        proc.stdout = normalize(proc.stdout)
        # A case may name another file as its expected stdout (e.g. docs/coverage.md, which must
        # equal what `subsidy rules --coverage` prints).
        out_path = (os.path.join(root, case["stdout_file"]) if "stdout_file" in case
                    else os.path.join(golden, name + ".out"))
        err_path = os.path.join(golden, name + ".err")
        if update:
            with open(out_path, "wb") as f:
                f.write(proc.stdout)
            with open(err_path, "wb") as f:
                f.write(proc.stderr)
        problems = []
        if proc.returncode != case["exit"]:
            problems.append(f"exit code {proc.returncode}, expected {case['exit']}")
        for path, actual, what in ((out_path, proc.stdout, "stdout"), (err_path, proc.stderr, "stderr")):
            try:
                with open(path, "rb") as f:
                    expected = f.read()
            except FileNotFoundError:
                problems.append(f"missing golden file {os.path.relpath(path, root)}")
                continue
            if actual != expected:
                problems.append(f"{what} differs from {os.path.relpath(path, root)}:\n"
                                + actual.decode("utf-8", "replace")[:4000])
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "\n  ".join(problems))
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
