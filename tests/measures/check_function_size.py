#!/usr/bin/python3
"""The function-size checker's own test: on the planted file it reports exactly the functions over
a limit, a known list lets them pass, and a list that is outgrown or stale fails.

    check_function_size.py SOURCE_DIR
"""

import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
here = os.path.join(root, "tests", "measures")
checker = os.path.join(here, "function_size.py")
planted = os.path.join(here, "planted")
EXPECTED = [
    "planted.cpp:13: too_long lines=81 complexity=1",
    "planted.cpp:178: too_complex lines=28 complexity=26",
    "planted.cpp:269: Holder::with_lambda lines=83 complexity=1",
]
failures = []


def run(known_text=None):
    args = ["/usr/bin/python3", checker, planted]
    with tempfile.TemporaryDirectory() as tmp:
        if known_text is not None:
            known = os.path.join(tmp, "known.txt")
            with open(known, "w", encoding="utf-8") as f:
                f.write(known_text)
            args += ["--known", known]
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout.splitlines()


def expect(what, got_code, code, lines, want):
    if got_code != code or not all(any(w in line for line in lines) for w in want):
        failures.append(f"{what}: exit {got_code} (want {code}), output:\n  " + "\n  ".join(lines))


code, lines = run()
expect("planted, no list", code, 1, lines, EXPECTED)
if [line for line in lines if line.startswith("planted.cpp")] != EXPECTED:
    failures.append("planted: not exactly the expected offenders:\n  " + "\n  ".join(lines))

listed = "# path function lines complexity\n" + (
    "planted.cpp too_long 81 1\nplanted.cpp too_complex 28 26\n"
    "planted.cpp Holder::with_lambda 83 1\n"
)
code, lines = run(listed)
expect("planted, all listed", code, 0, lines, ["3 known, 0 problem(s)"])

code, lines = run(listed.replace("too_long 81", "too_long 80"))
expect("planted, one outgrown", code, 1, lines, ["too_long lines=81 complexity=1: grew past"])

code, lines = run(listed + "planted.cpp complex_enough 27 25\n")
expect("planted, one stale", code, 1, lines, ["complex_enough is no longer over a limit"])

code, lines = run(listed.replace("planted.cpp too_complex 28 26\n", ""))
expect("planted, one unlisted", code, 1, lines, [EXPECTED[1]])

for f in failures:
    print(f)
print(f"function-size checker: {5 - len(failures)} of 5 checks pass")
sys.exit(1 if failures else 0)
