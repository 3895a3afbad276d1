#!/usr/bin/python3
"""The bad-input catalog: hostile inputs, each with the exact message and exit code expected.
Every case must also finish within its time limit, end by exiting (not by a signal), and use no
more memory than a small multiple of its input.

usage: catalog.py SUBSIDY_BINARY REPO_ROOT

The expected messages are the English ones (every case runs with SUBSIDY_LANG=en), except for the
cases in CHINESE, which expect text of a report in the default language (Chinese).
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HEAD = '{"id": "x", "kind": "enterprise", "region": "330802", "policy_year": 2023, "facts": '
FARM = '{"id": "x", "kind": "farm", "region": "330802", "policy_year": 2023, "facts": '


def profile(facts):
    return HEAD + facts + "}"


FACTS = open(os.path.join(sys.argv[2], "tests", "cli", "diff", "old", "facts.json"), encoding="utf-8").read() \
    if len(sys.argv) > 2 else ""


def rule_file(rules, groups=()):
    return json.dumps({
        "format": "subsidy-rules/1",
        "document": {"id": "cat", "title": "目录", "number": "目〔2023〕1号", "issuer": "测试",
                     "region": {"code": "330802", "name": "柯城区", "parent": "330800"},
                     "issued": "2023-01-01", "valid_from": "2023-01-01", "valid_to": "2023-12-31",
                     "validity_quote": "2023年全年有效。"},
        "articles": [{"article": "1", "title": "目录"}],
        "rules": rules, "groups": list(groups)}, ensure_ascii=False)


def rule(amount, rid="cat-1", when=None, quote="投资额200万元以上的，给予补助。"):
    r = {"id": rid, "title": {"zh": "目录", "en": "Catalog"}, "article": "1", "quote": quote,
         "category": "technical_upgrade", "applicants": ["enterprise"], "amount": amount}
    if when is not None:
        r["when"] = when
    return r


INV = {"fact": "tech_upgrade_investment", "year": 0}

# name, files {name: text or bytes}, args, exit code, expected text (in stdout or stderr)
CASES = [
    # --- profiles (subsidy eval): exit 3 ---
    ("truncated-json", {"p.json": HEAD + '{"tech_upgrade_investment": {"2023": 5'}, ["eval", "p.json"], 3,
     "unexpected end of input inside an object [json-truncated]"),
    ("wrong-type-year", {"p.json": '{"kind": "farm", "region": "330802", "policy_year": "2023", "facts": {}}'},
     ["eval", "p.json"], 3, "p.json:1:53 (/policy_year): error: expected a number, found a string [type]"),
    ("number-1e400", {"p.json": profile('{"tech_upgrade_investment": {"2023": 1e400}}')}, ["eval", "p.json"], 3,
     'bad number "1e400": number out of range'),
    ("number-1e-400", {"p.json": profile('{"tech_upgrade_investment": {"2023": 1e-400}}')}, ["eval", "p.json"], 3,
     'bad number "1e-400": more than 6 decimal places'),
    ("number-huge", {"p.json": profile('{"tech_upgrade_investment": {"2023": 12345678901234567890123}}')},
     ["eval", "p.json"], 3, 'bad number "12345678901234567890123": number out of range'),
    ("number-minus-zero-is-zero", {"p.json": profile('{"tech_upgrade_investment": {"2023": -0}}')},
     ["eval", "p.json", "--format", "csv"], 0, "kc-06-tech-upgrade,6,技改项目补助,not_eligible"),
    ("number-seven-decimals", {"p.json": profile('{"tech_upgrade_investment": {"2023": 0.0000001}}')},
     ["eval", "p.json"], 3, "more than 6 decimal places [bad-number]"),
    ("negative-area", {"p.json": FARM + '{"early_rice_area": {"2023": -12.5}}}'}, ["eval", "p.json"], 3,
     '"early_rice_area" cannot be negative (-12.5) [bad-value]'),
    ("negative-revenue", {"p.json": profile('{"main_revenue": {"2022": -1}}')}, ["eval", "p.json"], 3,
     '"main_revenue" cannot be negative (-1) [bad-value]'),
    ("string-for-money", {"p.json": profile('{"tech_upgrade_investment": {"2023": "两百万"}}')},
     ["eval", "p.json"], 3, 'bad number "两百万": not a number [bad-number]'),
    ("thousands-separator", {"p.json": profile('{"tech_upgrade_investment": {"2023": "2,000,000"}}')},
     ["eval", "p.json"], 3, 'bad number "2,000,000": not a number'),
    ("invalid-utf8", {"p.json": (HEAD + '{"industry": "\xff"}}').encode("latin-1")}, ["eval", "p.json"], 3,
     "invalid UTF-8 in a string [json-utf8]"),
    ("invalid-utf8-outside-string", {"p.json": b"\xc3\x28"}, ["eval", "p.json"], 3, "unexpected byte 0xC3"),
    ("utf8-bom-accepted", {"p.json": "\ufeff" + profile('{"tech_upgrade_investment": {"2023": 2000000}}')},
     ["eval", "p.json", "--format", "csv"], 0, "kc-06-tech-upgrade,6,技改项目补助,eligible,exact,120000.00"),
    ("duplicate-keys", {"p.json": '{"kind": "farm", "kind": "enterprise", "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3, 'duplicate key "kind" (first at line 1) [json-duplicate-key]'),
    ("unknown-field", {"p.json": '{"kind": "farm", "region": "330802", "policy_year": 2023, "facts": {}, "notes": 1}'},
     ["eval", "p.json"], 3, '(/notes): error: unknown key "notes" [unknown-key]'),
    ("unknown-fact", {"p.json": profile('{"revenue": {"2022": 1}}')}, ["eval", "p.json"], 3,
     'unknown fact "revenue" (see docs/profile.md and rules/facts*.json) [unknown-fact]'),
    ("nesting-100000", {"p.json": "[" * 100000}, ["eval", "p.json"], 3,
     "nesting deeper than 256 levels [json-too-deep]"),
    ("nesting-300-in-facts", {"p.json": profile('{"certifications": ' + "[" * 300 + "]" * 300 + "}")},
     ["eval", "p.json"], 3, "nesting deeper than 256 levels"),
    ("file-200mb", {"p.json": None}, ["eval", "p.json"], 3, "p.json: larger than the limit of 16 MiB"),
    ("empty-file", {"p.json": ""}, ["eval", "p.json"], 3, "p.json:1:1: error: empty input: expected a JSON value [json-empty]"),
    ("null-fact", {"p.json": profile('{"tech_upgrade_investment": {"2023": null}}')}, ["eval", "p.json"], 3,
     "expected a number, found null [type]"),
    ("bad-year-key", {"p.json": profile('{"tech_upgrade_investment": {"20x3": 1}}')}, ["eval", "p.json"], 3,
     '"20x3" is not a year [bad-year]'),
    ("top-level-array", {"p.json": "[]"}, ["eval", "p.json"], 3, "expected an object, found an array [type]"),
    ("bool-as-string", {"p.json": profile('{"university_cooperation_industrialized": "true"}')},
     ["eval", "p.json"], 3, "expected a boolean, found a string [type]"),
    ("bad-enum", {"p.json": profile('{"industry": "mining"}')}, ["eval", "p.json"], 3,
     '"mining" is not a value of industry'),
    ("bad-escape", {"p.json": '{"kind": "\\q"}'}, ["eval", "p.json"], 3, "invalid escape sequence [json-syntax]"),
    ("control-character", {"p.json": '{"kind": "a\tb"}'}, ["eval", "p.json"], 3,
     "control character inside a string (escape it) [json-syntax]"),
    ("trailing-garbage", {"p.json": profile("{}") + " {}"}, ["eval", "p.json"], 3,
     "unexpected text after the JSON value [json-syntax]"),
    ("ratio-zero-denominator", {"p.json": profile(
        '{"main_revenue": {"2022": 0}, "rd_deductible_expense": {"2022": 100}, "rd_super_deduction": {"2022": 100, "2021": 0}}')},
     ["eval", "p.json", "--lang", "en"], 0, "the denominator is zero"),
    ("overflow-in-amount", {"p.json": profile('{"tech_upgrade_investment": {"2023": 8999999999999}}')},
     ["eval", "p.json", "--format", "csv"], 0, "kc-06-tech-upgrade,6,技改项目补助,eligible,exact,719999999999.92"),
    # --- rule files (subsidy check): exit 1 ---
    ("rule-unknown-fact", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": {"fact": "investment", "year": 0}})])},
     ["check", "r", "--year", "2023"], 1, 'unknown fact "investment" (not in the fact vocabulary, facts*.json) [unknown-fact]'),
    ("rule-overlapping-brackets", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": {"brackets": {"of": INV, "table": [
        {"at_least": "200万", "at_most": "800万", "then": "6%"}, {"at_least": "800万", "then": "8%"}]}}})])},
     ["check", "r", "--year", "2023"], 1, "bracket overlaps bracket 0 at 800万 [bracket-overlap]"),
    ("rule-bracket-gap", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": {"brackets": {"of": INV, "table": [
        {"at_least": "200万", "less_than": "800万", "then": "6%"}, {"more_than": "800万", "then": "8%"}]}}})])},
     ["check", "r", "--year", "2023"], 1, "[bracket-gap]"),
    ("rule-inverted-bounds", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": {"brackets": {"of": INV, "table": [
        {"at_least": "800万", "less_than": "200万", "then": "6%"}]}}})])},
     ["check", "r", "--year", "2023"], 1, "inverted bounds: 800万 to 200万 is empty [bad-bracket]"),
    ("rule-negative-cap", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": 1, "cap": "-5万"})])},
     ["check", "r", "--year", "2023"], 1, "a cap below zero [bad-value]"),
    ("rule-without-quote", {"r/facts.json": FACTS, "r/x.json": rule_file([{k: v for k, v in rule({"kind": "unspecified"}).items() if k != "quote"}])},
     ["check", "r", "--year", "2023"], 1, 'missing required key "quote" [missing-key]'),
    ("rule-group-unknown", {"r/facts.json": FACTS, "r/x.json": rule_file(
        [rule({"kind": "unspecified"}), rule({"kind": "unspecified"}, "cat-2")],
        [{"id": "g", "mode": "highest", "rules": ["cat-1", "cat-9"], "quote": "就高。"}])},
     ["check", "r", "--year", "2023"], 1, 'group names unknown rule "cat-9" [unknown-rule]'),
    ("rule-duplicate-id", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "unspecified"}), rule({"kind": "unspecified"})])},
     ["check", "r", "--year", "2023"], 1, 'duplicate rule id "cat-1" [duplicate-id]'),
    ("rule-truncated", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "unspecified"})])[:-20]},
     ["check", "r", "--year", "2023"], 1, "[json-truncated]"),
    ("rule-number-1e400", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": 1}).copy()]).replace('"formula": 1', '"formula": 1e400')},
     ["check", "r", "--year", "2023"], 1, 'bad number "1e400"'),
    ("rule-file-in-eval-exit-4", {"r/facts.json": FACTS, "r/x.json": rule_file([rule({"kind": "exact", "formula": {"fact": "nope"}})]),
                                  "p.json": profile("{}")},
     ["eval", "p.json", "--rules", "r"], 4, "1 problem(s) in the rule files"),
    # --- CSV and JSON Lines (subsidy batch) ---
    ("csv-ragged-rows", {"p.csv": "id,kind,region,policy_year\na,farm,330802,2023\nb,farm,330802\nc,farm,330802,2023,extra\n"},
     ["batch", "p.csv", "-o", "-", "--format", "csv", "--quiet"], 5,
     "the row has 3 cells, the header 4 columns [csv-ragged]"),
    ("csv-quoted-commas", {"p.csv": 'id,name,kind,region,policy_year\na,"某公司, 有限",enterprise,330802,2023\n'},
     ["batch", "p.csv", "-o", "-", "--format", "csv", "--quiet"], 0, '1,2,a,"某公司, 有限",enterprise,330802,2023,ok'),
    ("csv-embedded-newline", {"p.csv": 'id,name,kind,region,policy_year\na,"第一行\n第二行",enterprise,330802,2023\nb,x,farm,330802,2023\n'},
     ["batch", "p.csv", "-o", "-", "--quiet"], 0, '"row":2,"line":4,"id":"b"'),
    ("csv-repeated-header-column", {"p.csv": "id,kind,region,policy_year,region\n"},
     ["batch", "p.csv", "-o", "-", "--quiet"], 3, 'column "region" appears twice [duplicate-column]'),
    ("csv-unterminated-quote", {"p.csv": 'id,kind,region,policy_year\n"a,farm,330802,2023\n'},
     ["batch", "p.csv", "-o", "-", "--quiet"], 5, "unterminated quoted field [csv-syntax]"),
    ("csv-bom-header", {"p.csv": "\ufeffid,kind,region,policy_year\na,farm,330802,2023\n"},
     ["batch", "p.csv", "-o", "-", "--quiet"], 0, '"id":"a","status":"ok"'),
    ("jsonl-line-50mb", {"p.jsonl": None}, ["batch", "p.jsonl", "-o", "-", "--quiet"], 5,
     "line longer than the limit of 16 MiB [too-large]"),
    ("jsonl-empty-input", {"p.jsonl": ""}, ["batch", "p.jsonl", "-o", "-"], 0, "共 0 个申请主体"),
    ("batch-input-is-directory", {"d/x": "x"}, ["batch", "d", "-o", "-"], 3, "d: is a directory"),
]


CHINESE = {"number-minus-zero-is-zero", "utf8-bom-accepted", "overflow-in-amount", "jsonl-empty-input"}


def case_env(name):
    env = {k: v for k, v in os.environ.items() if k != "SUBSIDY_LANG"}
    if name not in CHINESE:
        env["SUBSIDY_LANG"] = "en"
    return env


def write_files(tmp, name, files, big_file=200 << 20, big_line=50 << 20):
    """Writes a case's files into tmp; the two huge inputs are made here, big_file and big_line
    bytes long (another script may make them just over the 16 MiB limit instead)."""
    for rel, content in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name == "file-200mb":
            with open(path, "wb") as f:
                f.truncate(big_file)
        elif name == "jsonl-line-50mb":
            with open(path, "w", encoding="utf-8") as f:
                f.write(profile("{}") + "\n")
                f.write('{"id": "big", "name": "' + "x" * big_line + '"}\n')
                f.write(profile("{}") + "\n")
        elif isinstance(content, bytes):
            open(path, "wb").write(content)
        else:
            open(path, "w", encoding="utf-8").write(content)


def run_case(binary, tmp, name, files, args, code, expected):
    write_files(tmp, name, files)
    start = time.monotonic()
    proc = subprocess.Popen([binary] + args, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=case_env(name))
    chunks = {"out": [], "err": []}
    readers = [threading.Thread(target=lambda s=stream, k=key: chunks[k].append(s.read()))
               for key, stream in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    killer = threading.Timer(60, proc.kill)
    killer.start()
    # wait4 gives this child's own peak memory.
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join()
    out, err = b"".join(chunks["out"]), b"".join(chunks["err"])
    seconds = time.monotonic() - start
    peak_mb = usage.ru_maxrss / 1024
    text = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    problems = []
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    if proc.returncode != code:
        problems.append(f"exit {proc.returncode}, expected {code}")
    if expected not in text:
        problems.append(f"message {expected!r} not in output:\n{text[:1500]}")
    if seconds > 30:
        problems.append(f"took {seconds:.1f} s")
    # A small multiple of the input: 200 MB and 50 MB inputs must not be read into memory whole
    # (the first is refused by its size, the second line is skipped unbuffered).
    if peak_mb > 256:
        problems.append(f"peak memory {peak_mb:.0f} MB")
    return "; ".join(problems)


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
    for name, files, args, code, expected in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            problem = run_case(binary, tmp, name, files, args, code, expected)
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
