#!/usr/bin/python3
"""One-off migration of the rule files from applicant kinds to legal forms and roles (issue 15,
item 5). Rewrites rules/*.json in place; each file must round-trip exactly through
json.dumps(obj, ensure_ascii=False, indent=2) + "\\n". Only `applicants`, the new `roles` and
new interpretation strings are touched.

usage: migrate_applicants.py REPO_ROOT [--literal] [RULE_FILE...]   (default: rules/33*.json)
"""
import glob
import json
import os
import sys

GROWER_FORMS = ["enterprise", "farmer_cooperative", "family_farm", "individual"]
FARM = ["farmer_cooperative", "family_farm"]

# Rules that pay grain growers (规模种粮, 粮油, 早稻, 水稻/油菜/小麦保险, 种粮奖补).
GRAIN = {
    "wc-38-routine-grain-subsidies", "wc-38-fertilizer-pesticide-matching",
    "qz-52-rice-full-cost-insurance", "qz-54-scale-grain-oil", "qz-54-provincial-grain-award",
    "kc-43-early-rice", "kc-43-early-rice-contract", "kc-43-scale-grain-subsidy",
    "kc-43-rice-insurance", "kc-43-crop-insurance",
    "qj-44-early-rice", "qj-44-other-grain", "qj-44-rice-insurance", "qj-44-rapeseed-insurance",
    "jj-45-scale-grain", "jj-45-rice-supplementary-insurance",
}

# Where the text names the forms itself.
NAMED_FORMS = {
    "wc-36-agri-loan-interest": ["enterprise", "family_farm"],
}
# 农户 (farm households): the former kind farm and the individual grower, not companies.
HOUSEHOLDS = {"qz-52-rice-full-cost-insurance", "qj-44-rice-insurance", "qj-44-rapeseed-insurance"}

INCUBATOR_NOTE = (
    "Q: Who may apply, now that applicants are legal forms and roles? Reading: whoever runs the "
    "incubator, maker space or 星创天地 (role incubator_operator), as an enterprise or as an "
    "institution (a university science park, a public institution): the text pays the certified "
    "carrier and excludes neither form. 解读: 申请主体为孵化载体运营主体(身份 incubator_operator), "
    "企业或事业单位、高校均可; 原文补助的是获认定的载体, 未排除任一法律形式。")
GRAIN_NOTE = (
    "Q: Which legal forms may claim? Reading: the text pays whoever grows the crop (role "
    "grain_grower), whatever the form: agricultural companies (enterprise), farmer cooperatives, "
    "family farms and individuals such as 种粮大户. 解读: 本条补助种粮主体(身份 grain_grower), "
    "不论法律形式: 农业企业(enterprise)、农民专业合作社、家庭农场、个人(含种粮大户)均可。")
AGRI_NOTE = (
    "Q: Who may apply? Reading: a farming operator (role agricultural_producer: farming, forestry, "
    "livestock, fishery or agricultural services; or a grain_grower) in one of the forms the text "
    "names; the former kind farm is both farmer cooperatives and family farms. 解读: 申请主体须为"
    "农业生产经营主体或种粮主体(身份 agricultural_producer 或 grain_grower), 法律形式按原文; "
    "原 farm 类型即农民专业合作社和家庭农场。")
HOUSEHOLD_NOTE = (
    "Q: Which legal forms are 农户? Reading: farm households: family farms, farmer cooperatives "
    "and individual growers (种粮大户, 农户) holding the role grain_grower; not companies, as "
    "before. 解读: 农户指家庭农场、农民专业合作社和个人种植户(身份 grain_grower), 不含企业, "
    "与原解读一致。")
NAMED_NOTE = (
    "Q: Which legal forms? Reading: the text names 农(林)业龙头企业 and 家庭农(林)场 only: forms "
    "enterprise and family_farm, not cooperatives or individuals, each as a farming operator. "
    "解读: 原文只列农(林)业龙头企业和家庭农(林)场: 法律形式为企业和家庭农场, 不含农民专业合作社"
    "和个人。")


def forms_of(applicants):
    out = []
    for a in applicants:
        for f in (FARM if a == "farm" else [] if a == "incubator_operator" else [a]):
            if f not in out:
                out.append(f)
    return out


def migrate(rule, literal=False):
    """Returns the new applicants, roles (or None) and an interpretation to add (or None). A
    literal migration (a test's copy of an older rule file) keeps the forms as they were (farm:
    both farm forms) and adds the roles, no interpretation."""
    old = rule["applicants"]
    rid = rule["id"]
    if literal:
        applicants, roles, _ = migrate(rule)
        return forms_of(old), roles, None
    if rid in HOUSEHOLDS:
        return FARM + ["individual"], ["grain_grower"], HOUSEHOLD_NOTE
    if rid in GRAIN:
        return GROWER_FORMS, ["grain_grower"], GRAIN_NOTE
    if rid in NAMED_FORMS:
        return NAMED_FORMS[rid], ["agricultural_producer", "grain_grower"], NAMED_NOTE
    if rule["category"] == "incubator" and "incubator_operator" in old:
        return ["enterprise", "institution"], ["incubator_operator"], INCUBATOR_NOTE
    forms = forms_of(old)
    if "farm" in old and rule["category"] in ("agriculture", "finance", "insurance"):
        return forms, ["agricultural_producer", "grain_grower"], AGRI_NOTE
    return forms, None, None


def main(root, files, literal=False):
    for path in files or sorted(glob.glob(os.path.join(root, "rules", "33*.json"))):
        if path.endswith(".tests.json"):
            continue
        text = open(path, encoding="utf-8").read()
        doc = json.loads(text)
        # The repository's files use 2 spaces; a test's copies may use another indent.
        indent, end = next((i, e) for i in (2, 1, 4, 8) for e in ("\n", "")
                           if json.dumps(doc, ensure_ascii=False, indent=i) + e == text)
        for i, rule in enumerate(doc["rules"]):
            applicants, roles, note = migrate(rule, literal)
            new = {}
            for key, value in rule.items():
                if key == "applicants":
                    new[key] = applicants
                    if roles:
                        new["roles"] = roles
                elif key == "interpretations" and note:
                    new[key] = value + [note]
                else:
                    new[key] = value
            if note and "interpretations" not in rule:
                new["interpretations"] = [note]
            doc["rules"][i] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=indent) + end)


if __name__ == "__main__":
    literal = "--literal" in sys.argv
    main(sys.argv[1], [a for a in sys.argv[2:] if a != "--literal"], literal)
