"""What the catalog's case files share: profile and rule-file builders."""
import json
import os

HEAD = '{"id": "x", "form": "enterprise", "region": "330802", "policy_year": 2023, "facts": '
FARM = '{"id": "x", "form": "family_farm", "roles": ["agricultural_producer", "grain_grower"], "region": "330802", "policy_year": 2023, "facts": '


def profile(facts):
    return HEAD + facts + "}"


FACTS = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli", "diff", "old", "facts.json"),
             encoding="utf-8").read()


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
