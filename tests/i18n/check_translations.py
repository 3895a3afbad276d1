#!/usr/bin/python3
"""Every message exists in both languages: fails when a string is left untranslated.

Runs `subsidy` over every deliberately bad input of the test suite (tests/cli/bad-rules and
lint-rules, tests/schema/bad, tests/cli/inputs, the bad-input catalog's cases, the CLI's own
errors) in Chinese and in English, and asserts that
  - in Chinese, every diagnostic line ("file:line:col (path): 错误|警告: message [code]") has a
    CJK character in its message, and every other line of check, test and diff output and every
    "subsidy: ..." error has one too;
  - in English, no diagnostic message or error has a CJK character, once quoted values ("..."),
    numbers written with 万/亿 and the words 以上/超过 (rule vocabulary) are taken out;
  - the code in brackets is the same in both languages;
that every subcommand's --help has a Chinese description on every option line (and none in
English), and that every message pair written in src/core and src/cli (msg("en", "zh", ...),
tr(lang, "en", "zh"), {"en", "zh"}) has Chinese in its second text, triggered by a test or not. CLI11's own parse errors (exit 2 without "subsidy:") are checked on their first line.

usage: check_translations.py SUBSIDY_BINARY REPO_ROOT
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
DIAG_ZH = re.compile(r"^(.*?): (错误|警告): (.*) \[([a-z0-9-]+)\]$")
DIAG_EN = re.compile(r"^(.*?): (error|warning): (.*) \[([a-z0-9-]+)\]$")
# In English messages: values quoted from the input, amounts like 800万, and the two words of
# the rule vocabulary the interpretation warning names.
ALLOWED_EN = re.compile(r'"[^"]*"|-?[0-9.]+[万亿]|以上|超过')

failures = []
checked = {"diagnostics": 0, "lines": 0, "help": 0, "source pairs": 0}


def fail(what):
    failures.append(what)
    print("FAIL " + what)


def run(binary, args, lang, cwd):
    env = {k: v for k, v in os.environ.items() if k != "SUBSIDY_LANG"}
    proc = subprocess.run([binary] + args + ["--lang", lang], cwd=cwd, capture_output=True,
                          env=env, timeout=120)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def diagnostics_in(text):
    """Diagnostic strings in output: whole lines, and batch error records' "error" values."""
    out = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("error"), str):
                out.extend(record["error"].split("; "))
        else:
            out.append(line)
    return out


def check_run(binary, name, args, cwd, every_line_zh=False):
    codes = {}
    for lang in ("zh", "en"):
        code, out, err = run(binary, args, lang, cwd)
        if code == 2 and not err.startswith("subsidy:"):
            # A command-line syntax error CLI11 found: its first line is the error itself. (A case
            # that names its own --lang is in that language whatever this run asks for.)
            first = err.splitlines()[0] if err else ""
            if "--lang" in args:
                return
            if lang == "zh" and not CJK.search(first):
                fail(f"{name}: untranslated usage error: {first}")
            if lang == "en" and CJK.search(ALLOWED_EN.sub("", first)):
                fail(f"{name}: Chinese in an English usage error: {first}")
            if lang == "en":
                return
            continue
        pattern = DIAG_ZH if lang == "zh" else DIAG_EN
        found = []
        for line in diagnostics_in(out) + diagnostics_in(err):
            m = pattern.match(line)
            if m:
                found.append(m.group(4))
                message = m.group(3)
                checked["diagnostics"] += 1
                if lang == "zh" and not CJK.search(message):
                    fail(f"{name}: untranslated diagnostic: {line}")
                if lang == "en" and CJK.search(ALLOWED_EN.sub("", message)):
                    fail(f"{name}: Chinese in an English diagnostic: {line}")
            elif line.startswith("subsidy: "):
                checked["lines"] += 1
                rest = line[len("subsidy: "):]
                if lang == "zh" and not CJK.search(rest):
                    fail(f"{name}: untranslated error: {line}")
                if lang == "en" and CJK.search(ALLOWED_EN.sub("", rest)):
                    fail(f"{name}: Chinese in an English error: {line}")
        if lang == "zh" and every_line_zh:
            for line in (out + err).splitlines():
                if re.search(r"[^-|: ]", line) and not line.startswith("{"):  # not a table rule
                    checked["lines"] += 1
                    if not CJK.search(line):
                        fail(f"{name}: untranslated line: {line}")
        codes[lang] = found
    if codes["zh"] != codes["en"]:
        fail(f"{name}: codes differ between languages: {codes['zh']} / {codes['en']}")


def check_report_frame(binary, root):
    """The lines every report for a person carries (the date and rules version, the disclaimer)
    and the line of a document not in force: Chinese in Chinese, none in English (but document
    numbers and quoted titles, which are names); and the errors of a bad SUBSIDY_NOW or
    SOURCE_DATE_EPOCH in both languages."""
    grain = os.path.join(root, "examples", "kecheng-grain-farm.json")
    markers = {"zh": ("生成于", "仅供参考", "不适用"), "en": ("Produced", "for reference only", "does not apply")}
    for fmt in ("table", "md", "html", "json"):
        for lang in ("zh", "en"):
            code, out, err = run(binary, ["eval", grain, "--format", fmt], lang, root)
            if fmt == "json":
                report = json.loads(out)
                lines = [report["disclaimer"]] + [d["reason"] for d in report["documents"] if "reason" in d]
            else:
                # (HTML's print stylesheet repeats the footer as a CSS string: the text lines say it.)
                lines = [re.sub(r"<[^>]+>", "", line) for line in out.splitlines()
                         if any(m in line for m in markers[lang]) and "content:" not in line]
                for m in markers[lang]:
                    if not any(m in line for line in lines):
                        fail(f"eval --format {fmt} ({lang}): no line with {m!r}")
            for line in lines:
                checked["lines"] += 1
                # Document numbers (衢政发〔2024〕7号) and titles, quoted, are names.
                bare = re.sub(r'\S*〔\d{4}〕\d+号|"[^"]*"|《[^》]*》|&quot;.*?&quot;', "", line)
                if lang == "zh" and not CJK.search(bare):
                    fail(f"eval --format {fmt}: untranslated line: {line}")
                if lang == "en" and CJK.search(ALLOWED_EN.sub("", bare)):
                    fail(f"eval --format {fmt}: Chinese in an English line: {line}")
    saved = {k: os.environ.get(k) for k in ("SUBSIDY_NOW", "SOURCE_DATE_EPOCH")}
    for var, value in (("SUBSIDY_NOW", "2026-02-30"), ("SOURCE_DATE_EPOCH", "yesterday")):
        os.environ[var] = value
        check_run(binary, f"bad {var}", ["eval", grain], root)
        del os.environ[var]
    for k, v in saved.items():
        if v is not None:
            os.environ[k] = v


def catalog_cases(binary, root):
    sys.argv = [sys.argv[0], binary, root]  # catalog.py reads its inputs from its arguments
    sys.path.insert(0, os.path.join(root, "tests", "catalog"))
    import catalog
    return catalog


def check_help(binary, root):
    _, out, _ = run(binary, ["--help"], "en", root)
    subcommands = [[line.split()[0]] for line in out.split("Subcommands:")[1].splitlines()
                   if line.startswith("  ")]
    for words in [[]] + subcommands + [["rules", "show"]]:
        for lang in ("zh", "en"):
            code, out, err = run(binary, words + ["--help"], lang, root)
            name = " ".join(["subsidy"] + words + ["--help", "--lang", lang])
            if code != 0 or err:
                fail(f"{name}: exit {code}: {err}")
                continue
            lines = out.splitlines()
            if lang == "en":
                if CJK.search(out):
                    fail(f"{name}: Chinese in English help")
                continue
            if not CJK.search(lines[0]):
                fail(f"{name}: untranslated description: {lines[0]}")
            for i, line in enumerate(lines):
                if not line.startswith("  ") or line.startswith("   "):
                    continue
                # CLI11 writes the option in a 30-column field, the description after it (or on
                # the next line when the option is longer).
                if len(line) > 30 and line[29] == " ":
                    description = line[30:]
                elif i + 1 < len(lines) and lines[i + 1].startswith(" " * 30):
                    description = lines[i + 1].strip()
                else:
                    description = ""
                checked["help"] += 1
                if not CJK.search(description):
                    fail(f"{name}: untranslated option: {line.strip()}")


STRING = r'"(?:[^"\\\n]|\\.)*"'
STRINGS = rf"((?:{STRING}\s*)+)"
# msg("en", "zh", ...), tr(lang, "en", "zh") and a two-string Message literal {"en", "zh"}.
PAIRS = [re.compile(rf"\bmsg\(\s*{STRINGS},\s*{STRINGS}[,)]"),
         re.compile(rf"\btr\(\s*[\w.]+,\s*{STRINGS},\s*{STRINGS}\)"),
         re.compile(rf"\{{\s*{STRINGS},\s*{STRINGS}\}}")]


def check_sources(root):
    """Every pair of texts written in the C++ sources has Chinese in its second text: this covers
    the messages that no test input triggers."""
    pairs = 0
    for path in sorted(glob.glob(os.path.join(root, "src", "core", "*.cpp")) +
                       glob.glob(os.path.join(root, "src", "cli", "*.cpp"))):
        text = open(path, encoding="utf-8").read()
        for pattern in PAIRS:
            for m in pattern.finditer(text):
                en = "".join(re.findall(STRING, m.group(1)))
                zh = "".join(re.findall(STRING, m.group(2)))
                if pattern is PAIRS[2] and " " not in en:
                    continue  # a list of keys or values ({"of", "table"}), not a message
                pairs += 1
                if not CJK.search(zh):
                    line = text.count("\n", 0, m.start()) + 1
                    fail(f"{os.path.relpath(path, root)}:{line}: no Chinese in {zh}")
    if pairs < 200:
        fail(f"only {pairs} message pairs found in the sources: is the pattern still right?")
    checked["source pairs"] = pairs


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    check_sources(root)
    facts = os.path.join(root, "tests", "cli", "diff", "old", "facts.json")
    cli = os.path.join(root, "tests", "cli")

    # Rule, vocabulary and test files: errors and every kind of lint warning.
    check_run(binary, "check bad-rules", ["check", os.path.join(cli, "bad-rules")], root, True)
    for year in ("2023", "2030", "2000"):
        check_run(binary, f"check lint-rules {year}",
                  ["check", os.path.join(cli, "lint-rules"), "--year", year], root, True)
    check_run(binary, "test failing-tests", ["test", os.path.join(cli, "failing-tests")], root, True)
    check_run(binary, "diff", ["diff", os.path.join(cli, "diff", "old"), os.path.join(cli, "diff", "new"),
                               "--profiles", os.path.join(cli, "diff", "profiles.jsonl")], root, True)
    check_run(binary, "diff md", ["diff", os.path.join(cli, "diff", "old"), os.path.join(cli, "diff", "new"),
                                  "--profiles", os.path.join(cli, "diff", "profiles.csv"), "--format", "md"],
              root, True)

    with tempfile.TemporaryDirectory() as tmp:
        # tests/schema/bad, each as check_bad_files.py runs it.
        sys.path.insert(0, os.path.join(root, "tests", "schema"))
        import check_bad_files
        for name, args in check_bad_files.bad_cases(root, tmp):
            check_run(binary, name, args, root, args[0] == "check")
        for path in ("bad-facts.json", "malformed.json"):
            check_run(binary, path, ["eval", os.path.join(cli, "inputs", path)], root)

        # The CLI's own errors.
        grain = os.path.join(root, "examples", "kecheng-grain-farm.json")
        empty_csv = os.path.join(tmp, "empty.csv")
        open(empty_csv, "w").close()
        for name, args in [
                ("missing file", ["eval", os.path.join(tmp, "no-such.json")]),
                ("directory as profile", ["eval", tmp]),
                ("rules not a directory", ["eval", grain, "--rules", grain]),
                ("bad rules", ["eval", grain, "--rules", os.path.join(cli, "bad-rules")]),
                ("test with bad rules", ["test", os.path.join(cli, "bad-rules")]),
                ("no such rule path", ["check", os.path.join(tmp, "nothing")]),
                ("explain unknown rule", ["explain", grain, "no-such-rule"]),
                ("rules show unknown", ["rules", "show", "no-such-rule"]),
                ("compare bad region", ["compare", grain, "--regions", "3308"]),
                ("questionnaire no documents", ["questionnaire", "--region", "110101", "--kind", "farm"]),
                ("xlsx to stdout", ["batch", grain, "-o", "-", "--format", "xlsx"]),
                ("batch empty csv", ["batch", empty_csv, "-o", "-"]),
                # Command-line syntax errors found by CLI11, one of each kind we translate.
                ("usage: no subcommand", []),
                ("usage: missing positional", ["eval"]),
                ("usage: missing option", ["batch", grain]),
                ("usage: unexpected argument", ["eval", grain, "--bogus"]),
                ("usage: not in the set", ["eval", grain, "--format", "xml"]),
                ("usage: out of range", ["batch", grain, "-o", "-", "--threads", "0"]),
                ("usage: not a number", ["batch", grain, "-o", "-", "--threads", "two"]),
        ]:
            check_run(binary, name, args, root)

        # The bad-input catalog: each case's files, in a directory of its own (the two huge
        # inputs are made just over the limit instead).
        catalog = catalog_cases(binary, root)
        for entry in catalog.CASES:
            name, files, args = entry[:3]
            opts = catalog.options(entry)
            if opts.get("i18n", True) is False:
                continue
            case = os.path.join(tmp, "catalog-" + name)
            os.mkdir(case)
            catalog.write_files(case, name, files, 17 << 20, 17 << 20, opts)
            check_run(binary, "catalog " + name, args, case)

    check_report_frame(binary, root)
    check_help(binary, root)
    print(f"checked {checked['source pairs']} message pairs in the sources, "
          f"{checked['diagnostics']} diagnostics, {checked['lines']} other lines, "
          f"{checked['help']} help entries; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
