#!/usr/bin/python3
"""`subsidy ask` end to end, beyond the goldens:
  - the profile an interview writes (-o) evaluates with `eval` to the total the interview showed
    last, in both languages;
  - --profile starts from a profile, asks only what it does not give, and keeps what it gives;
  - -o naming the --profile file is refused (exit 3) and the file is left as it was.

usage: check_ask.py SUBSIDY_BINARY REPO_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(binary, args, stdin, lang, cwd):
    env = {k: v for k, v in os.environ.items() if k != "SUBSIDY_LANG"}
    env["SUBSIDY_LANG"] = lang
    proc = subprocess.run([binary] + args, cwd=cwd, input=stdin.encode(), capture_output=True,
                          env=env, timeout=60)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def last_total(out, lang):
    pattern = (r"eligible so far: (?:at least )?¥([0-9,.]+)" if lang == "en"
               else r"目前可获：(?:至少 )?¥([0-9,.]+)")
    found = re.findall(pattern, out)
    return found[-1].replace(",", "") if found else None


def eval_total(binary, path, cwd):
    proc = subprocess.run([binary, "eval", path, "--format", "json"], cwd=cwd, capture_output=True,
                          timeout=60)
    return json.loads(proc.stdout)["total"] if proc.returncode == 0 else None


def known(value):
    """What a profile's facts state: null is the same unknown as leaving a value out, so nulls,
    and year tables or items left with nothing known, are dropped (list items are kept)."""
    if isinstance(value, dict):
        out = {k: known(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in out.items() if v != {}}
    if isinstance(value, list):
        return [known(v) for v in value]
    return value


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        # 1. The interview's last total is eval's total of the profile it wrote.
        answers = "2000万\n\n是\n300万\n?\nn\n5000万\n1亿\ny\n\n150万\n否\n80万\n"
        for region, kind in (("330802", "enterprise"), ("331002", "enterprise"),
                             ("330702", "family_farm")):
            for lang in ("zh", "en"):
                out_path = os.path.join(tmp, f"{region}-{kind}-{lang}.json")
                code, out, err = run(binary, ["ask", "--region", region, "--form", kind,
                                              "-o", out_path], answers, lang, tmp)
                shown = last_total(out, lang)
                total = eval_total(binary, out_path, tmp) if code == 0 else None
                check(code == 0 and shown is not None and total == shown,
                      f"ask {region} {kind} ({lang}): the interview showed {shown}, eval of the "
                      f"written profile gives {total} (exit {code}) {err.strip()}")
        # 2. --profile: asks only the gaps and keeps what the profile gives.
        start = os.path.join(tmp, "start.json")
        # A profile that leaves questions open (the manufacturer example answers all that pay).
        shutil.copy(os.path.join(root, "examples", "jiaojiang-partly-known.json"), start)
        with open(start, encoding="utf-8") as f:
            given = json.load(f)["facts"]
        before = eval_total(binary, start, tmp)
        code, out, err = run(binary, ["ask", "--profile", "start.json", "-o", "filled.json",
                                      "--lang", "en"], "", "en", tmp)
        with open(os.path.join(tmp, "filled.json"), encoding="utf-8") as f:
            filled = json.load(f)
        check(code == 0 and known(filled["facts"]) == known(given)
              and eval_total(binary, "filled.json", tmp) == before,
              f"--profile with no answers writes the same facts and the same total {before}")
        vocabulary = {}
        for path in sorted(os.listdir(os.path.join(root, "rules"))):
            if path.startswith("facts"):
                with open(os.path.join(root, "rules", path), encoding="utf-8") as f:
                    for fact in json.load(f)["facts"]:
                        vocabulary[fact["en"]] = fact["name"]
        vocabulary["roles held"] = "roles"  # the profile's roles, asked as one question
        first = re.search(r"\n\[1\] (.*?)(?: \(\d{4}\))?\n", out)
        asked = vocabulary.get(first.group(1)) if first else None
        with open(start, encoding="utf-8") as f:
            start_profile = json.load(f)
        check(asked is not None and (asked not in given and asked != "roles"
                                     or asked == "roles" and start_profile.get("roles") is None
                                     or isinstance(given.get(asked), dict)),
              f"--profile asks first a fact the profile does not give: {asked}")
        code, out, err = run(binary, ["ask", "--profile", "start.json", "-o", "start.json"],
                             "", "en", tmp)
        with open(start, encoding="utf-8") as f:
            unchanged = json.load(f)["facts"] == given
        check(code == 3 and unchanged and "start.json" in err,
              f"-o naming the --profile file is refused (exit {code}): {err.strip()}")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
