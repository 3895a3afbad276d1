#!/usr/bin/python3
"""One-off migration of profiles from `kind` to `form` and `roles` (issue 15, item 5): examples/,
rules/*.tests.json, tests/ (catalog cases, golden inputs, schema examples) and bench/.

  enterprise, individual, institution   → the same form
  farm                                  → family_farm (farmer_cooperative when its name says
                                          合作社), roles agricultural_producer and grain_grower
  incubator_operator                    → enterprise, roles incubator_operator

A test case of rules/*.tests.json whose profile has no roles gets the roles its expected rules
now ask for (so that its expected result is unchanged).

usage: migrate_profiles.py REPO_ROOT FILE...
"""
import csv
import io
import json
import os
import re
import sys

KIND = re.compile(r'"kind"(\s*):(\s*)"(enterprise|individual|institution|farm|incubator_operator)"')


def farm_roles(context):
    """A farm is an agricultural producer; it grows grain unless the profile shows otherwise.
    Nothing in the old profiles does (the kind farm was paid by every grain rule), so a farm keeps
    both roles: the results stay what they were."""
    del context  # what a farm grows was never recorded apart from its facts
    return ["agricultural_producer", "grain_grower"]


def replace_text(text):
    """Text-level: every "kind": "X" of a profile, formatting kept."""
    out, last = [], 0
    matches = list(KIND.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        start = matches[i - 1].end() if i else 0
        context = text[m.end():end]
        sp1, sp2, kind = m.group(1), m.group(2), m.group(3)
        if kind == "farm":
            form = "farmer_cooperative" if "合作社" in text[start:end] else "family_farm"
            roles = farm_roles(context)
        elif kind == "incubator_operator":
            form, roles = "enterprise", ["incubator_operator"]
        else:
            form, roles = kind, None
        new = f'"form"{sp1}:{sp2}"{form}"'
        if roles:
            new += f', "roles"{sp1}:{sp2}' + json.dumps(roles)
        out.append(text[last:m.start()] + new)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def migrate_profile(p):
    """Object-level, key order kept: kind → form (+ roles after it)."""
    if "kind" not in p:
        return p
    text = json.dumps(p, ensure_ascii=False)
    return json.loads(replace_text(text))


def rule_roles(root):
    roles = {}
    for name in os.listdir(os.path.join(root, "rules")):
        if name.startswith("33") and name.endswith(".json") and not name.endswith(".tests.json"):
            for r in json.load(open(os.path.join(root, "rules", name), encoding="utf-8"))["rules"]:
                if r.get("roles"):
                    roles[r["id"]] = r["roles"]
    return roles


def migrate_tests_file(path, roles_of):
    text = open(path, encoding="utf-8").read()
    doc = json.loads(text)
    if json.dumps(doc, ensure_ascii=False, indent=2) + "\n" != text:
        return migrate_text_file(path)
    for case in doc.get("cases", []):
        was_farm = case["profile"].get("kind") == "farm"
        p = migrate_profile(case["profile"])
        if was_farm:  # a farm grows what its expected rules pay for
            for rid in case.get("expect", {}):
                wanted = roles_of.get(rid, [])
                if wanted and not set(wanted) & set(p["roles"]):
                    p["roles"].append(wanted[0])
        if "roles" not in p and p.get("form"):
            wanted = []
            for rid in case.get("expect", {}):
                for role in roles_of.get(rid, [])[:1]:
                    if role not in wanted:
                        wanted.append(role)
            if wanted:
                p = {k: v for k, v in p.items()}
                items = list(p.items())
                at = [k for k, _ in items].index("form") + 1
                items.insert(at, ("roles", wanted))
                p = dict(items)
        case["profile"] = p
    open(path, "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def migrate_text_file(path):
    text = open(path, encoding="utf-8").read()
    new = replace_text(text)
    if new != text:
        open(path, "w", encoding="utf-8").write(new)


def migrate_csv(path):
    text = open(path, encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "kind" not in rows[0]:
        return
    k = rows[0].index("kind")
    out = []
    for i, row in enumerate(rows):
        if len(row) <= k:
            pass  # a short row stays as it is
        elif i == 0:
            row = row[:k] + ["form", "roles"] + row[k + 1:]
        else:
            kind = row[k]
            roles = ""
            if kind == "farm":
                name = " ".join(row)
                kind = "farmer_cooperative" if "合作社" in name else "family_farm"
                roles = ";".join(farm_roles(" ".join(c for j, c in enumerate(rows[0]) if row[j])))
            elif kind == "incubator_operator":
                kind, roles = "enterprise", "incubator_operator"
            row = row[:k] + [kind, roles] + row[k + 1:]
        out.append(row)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    open(path, "w", encoding="utf-8").write(buf.getvalue())


def main(root, files):
    roles_of = rule_roles(root)
    for path in files:
        if path.endswith(".tests.json"):
            migrate_tests_file(path, roles_of)
        elif path.endswith(".csv"):
            migrate_csv(path)
        else:
            migrate_text_file(path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
