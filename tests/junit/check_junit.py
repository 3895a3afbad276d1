#!/usr/bin/python3
"""Reads the JUnit XML of `subsidy test --junit` with junitparser (Debian's python3-junitparser), as
a CI system would, and checks the counts and the failure message of a known failing case.

usage: check_junit.py SUBSIDY_BINARY REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile

from junitparser import Failure, JUnitXml


def main():
    binary, root = sys.argv[1], sys.argv[2]
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("ok   " if ok else "FAIL ") + what)
        if ok:
            passed += 1
        else:
            failed += 1

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "results.xml")
        proc = subprocess.run([binary, "test", "tests/cli/failing-tests", "--junit", out, "--lang", "en"],
                              cwd=root, capture_output=True, text=True)
        check(proc.returncode == 1, "a failing case makes `subsidy test` exit 1")
        xml = JUnitXml.fromfile(out)
        suites = list(xml)
        check(len(suites) == 1, "one test suite per test file")
        suite = suites[0]
        check(suite.tests == 2 and suite.failures == 1 and suite.skipped == 0,
              f"suite counts: tests={suite.tests} failures={suite.failures} skipped={suite.skipped}")
        failures = [case for case in suite
                    if any(isinstance(r, Failure) for r in case.result)]
        check(len(failures) == 1, "exactly one failed case")
        message = failures[0].result[0].message if failures else ""
        check("kc-06-tech-upgrade: expected amount 640000.00, got 480000.00" in message,
              "the failure message names the rule, the expected and the actual amount")
        check("bracket" in (failures[0].result[0].text or "") if failures else False,
              "the failure text carries the rule's trace")

        # The same failure in Chinese (the default language): the messages are translated, the
        # XML structure and attribute names are not.
        out_zh = os.path.join(tmp, "results-zh.xml")
        env = {k: v for k, v in os.environ.items() if k != "SUBSIDY_LANG"}
        proc = subprocess.run([binary, "test", "tests/cli/failing-tests", "--junit", out_zh],
                              cwd=root, capture_output=True, text=True, env=env)
        check(proc.returncode == 1, "a failing case makes `subsidy test` exit 1 in Chinese too")
        zh_failures = [case for s in JUnitXml.fromfile(out_zh) for case in s
                       if any(isinstance(r, Failure) for r in case.result)]
        zh_message = zh_failures[0].result[0].message if zh_failures else ""
        check("kc-06-tech-upgrade：期望金额 640000.00，实际 480000.00" in zh_message,
              f"the Chinese failure message: {zh_message!r}")

        out2 = os.path.join(tmp, "all.xml")
        proc = subprocess.run([binary, "test", "rules", "--junit", out2, "--lang", "en"], cwd=root,
                              capture_output=True, text=True)
        xml = JUnitXml.fromfile(out2)
        total = sum(s.tests for s in xml)
        bad = sum(s.failures for s in xml)
        check(proc.returncode == 0 and total > 100 and bad == 0,
              f"all of rules/ passes: {total} cases, {bad} failures")
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        check(last == f"{total} passed, 0 failed", f"closing line agrees with the XML: {last!r}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
