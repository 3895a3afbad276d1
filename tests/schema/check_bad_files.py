#!/usr/bin/python3
"""Every deliberately broken file in tests/schema/bad/ must be rejected by `subsidy` too, not only
by the JSON Schema: bad rule and fact files by `subsidy check` (exit 1), bad profiles by
`subsidy eval` (exit 3). Controls: the same runs on good files succeed.

usage: check_bad_files.py SUBSIDY_BINARY REPO_ROOT
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def bad_cases(root, tmp):
    """Each file of tests/schema/bad set up for subsidy in a directory under `tmp`: yields its name
    and the arguments that must reject it (`check` for rule and fact files, `eval` for profiles)."""
    facts = os.path.join(root, "tests", "cli", "diff", "old", "facts.json")
    for path in sorted(glob.glob(os.path.join(root, "tests", "schema", "bad", "bad-*.json"))):
        name = os.path.basename(path)
        case = os.path.join(tmp, name)
        os.mkdir(case)
        if name.startswith("bad-rules-"):
            shutil.copy(facts, case)
            shutil.copy(path, case)
            yield name, ["check", case, "--year", "2023"]
        elif name.startswith("bad-facts-"):
            shutil.copy(path, os.path.join(case, "facts.json"))
            yield name, ["check", case, "--year", "2023"]
        elif name.startswith("bad-profile-"):
            yield name, ["eval", path]


def main():
    binary, root = sys.argv[1], sys.argv[2]
    facts = os.path.join(root, "tests", "cli", "diff", "old", "facts.json")
    passed = failed = 0

    def run(args):
        return subprocess.run([binary] + args, capture_output=True, text=True).returncode

    def check(ok, what):
        nonlocal passed, failed
        print(("ok   " if ok else "FAIL ") + what)
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)

    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good")
        os.mkdir(good)
        shutil.copy(facts, good)
        check(run(["check", good, "--year", "2023"]) == 0, "control: a valid vocabulary alone passes check")
        check(run(["eval", os.path.join(root, "examples", "kecheng-grain-farm.json")]) == 0,
              "control: a valid profile evaluates")
        for name, args in bad_cases(root, tmp):
            code = run(args)
            expected = 1 if args[0] == "check" else 3
            check(code == expected, f"subsidy {args[0]} rejects {name} (exit {code})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
