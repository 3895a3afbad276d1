#!/usr/bin/env python3
"""Write a rules directory holding every rule document K times (issue 18's rule scaling).

Usage: make_copies.py RULES_DIR OUT_DIR K
Copies facts*.json once; writes each rule file K times, copy k with "-ck" after the document's
id and after every rule and group id (and the group's member ids), so that all K copies load
side by side, apply to the same applicants and are all evaluated. The tests are not copied.
"""
import glob, json, os, shutil, sys


def main(src, out, copies):
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(src, "facts*.json")):
        shutil.copy(f, out)
    for f in sorted(glob.glob(os.path.join(src, "*.json"))):
        name = os.path.basename(f)
        if name.startswith("facts") or name.endswith(".tests.json"):
            continue
        for k in range(copies):
            doc = json.load(open(f, encoding="utf-8"))
            suffix = f"-c{k}"
            doc["document"]["id"] += suffix
            for r in doc["rules"]:
                r["id"] += suffix
            for g in doc.get("groups", []):
                g["id"] += suffix
                g["rules"] = [m + suffix for m in g["rules"]]
            with open(os.path.join(out, f"{name[:-5]}-c{k}.json"), "w", encoding="utf-8") as w:
                json.dump(doc, w, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
