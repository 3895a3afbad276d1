#!/usr/bin/env python3
"""Write a rules directory holding only the benchmark's peer-comparison rules.

Usage: make_subset.py RULES_DIR OUT_DIR
Copies facts*.json; keeps only the chosen rules of each rule file, marks the
articles no kept rule references not_payable ("not in benchmark subset") and
drops groups whose rules are gone.
"""
import glob, json, os, shutil, sys

CHOSEN = [
    "kc-06-tech-upgrade", "kc-12-rd", "kc-12-little-giant", "kc-14-industry-university",
    "kc-43-early-rice", "kc-43-early-rice-contract", "jj-28-shipping-turnover",
    "jj-28-shipping-growth", "jj-12-rd-growth", "qj-44-other-grain", "qj-09-talent-salary",
]

def main(src, out):
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(src, "facts*.json")):
        shutil.copy(f, out)
    for f in sorted(glob.glob(os.path.join(src, "*.json"))):
        name = os.path.basename(f)
        if name.startswith("facts") or name.endswith(".tests.json"):
            continue
        doc = json.load(open(f, encoding="utf-8"))
        doc["rules"] = [r for r in doc["rules"] if r["id"] in CHOSEN]
        kept = {r["id"] for r in doc["rules"]}
        used = {r["article"] for r in doc["rules"]}
        for a in doc["articles"]:
            if a["article"] not in used and "not_payable" not in a:
                a["not_payable"] = "not in benchmark subset"
        doc["groups"] = [g for g in doc.get("groups", []) if set(g["rules"]) <= kept]
        with open(os.path.join(out, name), "w", encoding="utf-8") as w:
            json.dump(doc, w, ensure_ascii=False, indent=1)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
