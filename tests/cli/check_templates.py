#!/usr/bin/python3
"""Issue 15: a questionnaire template states no answer. For every region with documents (and a
region that has only its city's), every legal form (without roles, and with each role), and both formats, the template run
unchanged through the tool gives zero eligible money, nothing not_eligible, and every rule that reads
the template's facts asks for them (needs_info), every fact of the template is asked; no fact is given a value, and the JSON template is
valid against docs/schema/profile.schema.json.

usage: check_templates.py SUBSIDY_BINARY REPO_ROOT
"""
import csv
import io
import json
import os
import subprocess
import sys

import jsonschema

FORMS = ["enterprise", "farmer_cooperative", "family_farm", "individual_business", "individual",
         "institution"]
ROLES = ["incubator_operator", "grain_grower", "agricultural_producer"]
# Whom a template is for: each form with its roles unknown, and one form with each role.
APPLICANTS = [[f] for f in FORMS] + [["enterprise", r] for r in ROLES]


def who(applicant):
    return ["--form", applicant[0]] + [a for r in applicant[1:] for a in ("--role", r)]


def run(binary, root, args, stdin=None):
    env = dict(os.environ, SUBSIDY_LANG="en")
    return subprocess.run([binary] + args, cwd=root, input=stdin, capture_output=True, env=env)


def role_refused(root, applicant):
    """The rules a template with roles states an answer for: those asking only for other roles
    (not_eligible: the applicant holds none of them)."""
    held = set(applicant[1:])
    out = set()
    if not held:
        return out
    for name in sorted(os.listdir(os.path.join(root, "rules"))):
        if name[0].isdigit() and name.endswith(".json") and not name.endswith(".tests.json"):
            with open(os.path.join(root, "rules", name), encoding="utf-8") as f:
                for r in json.load(f)["rules"]:
                    if r.get("roles") and not held & set(r["roles"]):
                        out.add(r["id"])
    return out


def regions(root):
    codes = set()
    for name in sorted(os.listdir(os.path.join(root, "rules"))):
        if name[0].isdigit() and name.endswith(".json") and not name.endswith(".tests.json"):
            with open(os.path.join(root, "rules", name), encoding="utf-8") as f:
                codes.add(json.load(f)["document"]["region"]["code"])
    return sorted(codes) + ["330822"]  # 常山: the city's documents only


def check_json(binary, root, schema, region, applicant):
    q = run(binary, root, ["questionnaire", "--region", region] + who(applicant))
    if q.returncode != 0:
        return [f"questionnaire exited {q.returncode}: {q.stderr.decode()}"]
    questionnaire = json.loads(q.stdout)
    template = questionnaire["template"]
    problems = [f"schema: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(template)]
    for name, value in template["facts"].items():
        values = list(value.values()) if isinstance(value, dict) else [value]
        if any(v is not None for v in values):
            problems.append(f"{name} is given in the template: {value}")
    e = run(binary, root, ["eval", "-", "--format", "json"], json.dumps(template).encode())
    if e.returncode != 0:
        return problems + [f"eval exited {e.returncode}: {e.stderr.decode()}"]
    report = json.loads(e.stdout)
    if report["total"] != "0.00":
        problems.append(f"total {report['total']}, expected 0.00")
    asking = {rule for fact in questionnaire["facts"] for rule in fact["read_by"]}
    statuses = {}
    for document in report["documents"]:
        for rule in document.get("rules", []):
            statuses[rule["id"]] = rule["status"]
            if rule["status"] == "not_eligible" and rule["id"] not in role_refused(root, applicant):
                problems.append(f"{rule['id']} is not_eligible")
    for rule in sorted(asking):
        if statuses.get(rule) != "needs_info":
            problems.append(f"{rule} reads the template's facts but is {statuses.get(rule)}, not needs_info")
    # Every fact of the template is asked: those of a rule's condition and those of its amount
    # alike (a rule whose condition is open names the facts its amount reads too).
    # Who the applicant is comes first: a fact read only by rules that wait for the roles is asked
    # once the roles are known, and the roles are asked now.
    asked = {m.get("fact") for m in report.get("missing_facts", [])}
    waiting = {rule["id"] for d in report["documents"] for rule in d.get("rules", [])
               if any(m.get("fact") == "roles" for m in rule.get("missing", []))}
    for fact in questionnaire["facts"]:
        name = fact["fact"]
        if name in asked or name not in template["facts"]:
            continue
        if "roles" in asked and set(fact["read_by"]) <= waiting:
            continue
        problems.append(f"{name} is in the template but the report does not ask for it")
    # Years made visible: each year a per-year fact is asked for says which articles read it.
    for fact in questionnaire["facts"]:
        if "years" not in fact:
            continue
        why = fact.get("years_why", [])
        if [w["year"] for w in why] != fact["years"]:
            problems.append(f"{fact['fact']}: years_why {why} does not match years {fact['years']}")
        for w in why:
            if not (w["zh"].startswith(f"{w['year']}年") and "按这一年计算" in w["zh"]
                    and "read by" in w["en"] and " art. " in w["en"]):
                problems.append(f"{fact['fact']}: years_why {w} does not say which article reads it")
    return problems


def check_csv(binary, root, region, applicant):
    q = run(binary, root, ["questionnaire", "--region", region, "--format", "csv"] + who(applicant))
    if q.returncode != 0:
        return [f"questionnaire --format csv exited {q.returncode}"]
    rows = q.stdout.decode().splitlines()
    # id, name, form, roles, region, policy_year, then the facts, every one empty.
    if len(rows) != 2 or any(rows[1].split(",")[6:]):
        return [f"the CSV row fills in a fact: {rows[1:]}"]
    b = run(binary, root, ["batch", "-", "--input-format", "csv", "-o", "-", "--format", "jsonl", "--quiet"],
            q.stdout)
    if b.returncode != 0:
        return [f"batch exited {b.returncode}: {b.stderr.decode()}"]
    record = json.loads(b.stdout)
    problems = []
    if record["total"] != "0.00":
        problems.append(f"CSV total {record['total']}, expected 0.00")
    # The choices: each enum column's header offers the values the JSON questionnaire offers.
    header = next(csv.reader(io.StringIO(q.stdout.decode())))
    cells = {cell.split(" (")[0]: cell for cell in header}
    j = json.loads(run(binary, root, ["questionnaire", "--region", region] + who(applicant)).stdout)
    for fact in j["facts"]:
        enums = [(fact["fact"], fact)] if "values" in fact else []
        enums += [(f"{fact['fact']}[0].{f['field']}", f) for f in fact.get("fields", []) if "values" in f]
        for name, decl in enums:
            columns = [c for n, c in cells.items() if n == name or n.startswith(name + "@")]
            for cell in columns or [""]:
                missing = [v for v in decl["values"] if f"{v}=" not in cell]
                if missing:
                    problems.append(f"CSV header {cell!r} of {name} does not offer {missing}")
    if "grain_grower=" not in header[3]:
        problems.append(f"CSV roles header {header[3]!r} does not offer the roles")
    refused = [r for r in record["rules"].get("not_eligible", []) if r not in role_refused(root, applicant)]
    if refused:
        problems.append(f"CSV not_eligible: {refused}")
    return problems


def main():
    binary, root = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "docs", "schema", "profile.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    passed = failed = 0
    for region in regions(root):
        for applicant in APPLICANTS:
            problems = (check_json(binary, root, schema, region, applicant)
                        + check_csv(binary, root, region, applicant))
            name = "+".join(applicant)
            if problems:
                failed += 1
                print(f"FAIL {region} {name}:\n  " + "\n  ".join(problems[:20]))
            else:
                passed += 1
                print(f"ok   {region} {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
