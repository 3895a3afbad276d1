"""Issue 13: exit codes that tell the truth about overflow, and what `check` says about rule files
that a careless author or an attacker writes (splits that cannot add up, rates out of range,
documents that double a total). Each rule directory is the catalog's vocabulary plus rule files
built with rule_file()/rule(); a second document is rule_file() json-loaded and changed."""
import json
import os

from common import FACTS, INV, profile, rule, rule_file

BIG = profile('{"tech_upgrade_investment": {"2023": 8999999999999}}')
SUM_EXPR = {"item": "upper_award"}


def rules_dir(*documents, tests=None):
    """A rule directory r/: the vocabulary and one rule file per document text."""
    files = {"r/facts.json": FACTS}
    for i, text in enumerate(documents):
        files[f"r/d{i}.json"] = text
    return files


def document(rules, groups=(), **changes):
    """rule_file() with document fields changed: id, region, valid_from, valid_to, parent."""
    doc = json.loads(rule_file(rules, groups))
    meta = doc["document"]
    for key in ("id", "valid_from", "valid_to", "number"):
        if key in changes:
            meta[key] = changes[key]
    if "region" in changes:
        meta["region"] = {"code": changes["region"], "name": "某地"}
        if changes.get("parent"):
            meta["region"]["parent"] = changes["parent"]
    return json.dumps(doc, ensure_ascii=False)


def exact(formula, **more):
    return dict({"kind": "exact", "formula": formula}, **more)


def times(factor, of=INV):
    return {"mul": [factor, of]}


def with_payers(r, payers):
    r = dict(r)
    r["payers"] = payers
    return r


def rules_of(n, amount):
    return [rule(amount, rid=f"cat-{i}") for i in range(n)]


def record_check(expected):
    """A check that out.jsonl's single record holds `expected` (a dict of key → value)."""
    def check(tmp, text, code):
        path = os.path.join(tmp, "out.jsonl")
        if not os.path.exists(path):
            return "no out.jsonl"
        record = json.loads(open(path, encoding="utf-8").readline())
        for key, value in expected.items():
            if record.get(key) != value:
                return f"record {key} = {record.get(key)!r}, expected {value!r}"
        return ""
    return check


def stdout_has(text):
    def check(tmp, out, code):
        return "" if text in out else f"{text!r} not in the output"
    return check


OVERFLOW_RULE = rules_dir(rule_file([rule(exact(times("1000")))]))
THREE_BIG = rules_dir(rule_file(rules_of(3, exact(times("0.6")))))
CITY_TOO = rules_dir(rule_file([rule(exact(times("0.6")))]),
                     document([rule(exact(times("0.6")), rid="city-1")], id="city", region="330800"))
PAYERS_2_2_3 = rules_dir(rule_file([with_payers(rule(exact(times("3"))), [
    {"payer": "province", "formula": times("2")}, {"payer": "city", "formula": times("2")},
    {"payer": "district", "rest": True}])]))
PROVINCE_PAYS_ALL = rules_dir(rule_file([
    with_payers(rule(exact(times("0.6")), rid=f"cat-{i}"), [{"payer": "province", "share": "100%"}])
    for i in range(2)]))
CERTS = '"certifications": [{"type": "high_tech_enterprise", "upper_award": 5000000000000}, ' \
        '{"type": "high_tech_enterprise", "upper_award": 5000000000000}]'

CASES = [
    # --- overflow: a rule's amount ---------------------------------------------------------------
    ("rules-overflow-rule-eval-exit-3", dict(OVERFLOW_RULE, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r"], 3,
     "subsidy: rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)",
     {"check": stdout_has("(error): arithmetic overflow")}),
    ("rules-overflow-rule-eval-chinese", dict(OVERFLOW_RULE, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r", "--format", "json"], 3,
     "subsidy: 文件 cat 的规则 cat-1：算术溢出（超出 9,000,000,000,000）",
     {"chinese": True, "check": stdout_has('"status": "error"')}),
    ("rules-overflow-rule-explain-exit-3", dict(OVERFLOW_RULE, **{"p.json": BIG}),
     ["explain", "p.json", "cat-1", "--rules", "r"], 3,
     "subsidy: rule cat-1 in document cat: arithmetic overflow",
     {"check": stdout_has("Result: error")}),
    ("rules-overflow-rule-batch-error-row", dict(OVERFLOW_RULE, **{"p.jsonl": BIG + "\n"}),
     ["batch", "p.jsonl", "-o", "out.jsonl", "--rules", "r"], 5, "1 profiles, 1 with errors",
     {"records": ("out.jsonl", 1), "check": record_check({
         "status": "error",
         "error": "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"})}),
    # --- an object that is no operator of the rule language: the message lists them all (kOps) ---
    ("rules-not-an-expression", rules_dir(rule_file([rule(exact({"times": [INV, "6%"]}))])),
     ["check", "r"], 1,
     "not an expression: expected one of fact, item, policy_year, add, sub, mul, min, max, ratio, "
     "growth, brackets, steps, marginal, sum, count, case, lookup, round [bad-expression]"),
    ("rules-not-an-expression-zh", rules_dir(rule_file([rule(exact({"times": [INV, "6%"]}))])),
     ["check", "r"], 1,
     "不是表达式：应为 fact、item、policy_year、add、sub、mul、min、max、ratio、growth、brackets、"
     "steps、marginal、sum、count、case、lookup、round 之一 [bad-expression]", {"chinese": True}),
    ("rules-overflow-product-of-two-facts",
     dict(rules_dir(rule_file([rule(exact({"mul": [INV, INV]}))])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 10000000}}')}),
     ["eval", "p.json", "--rules", "r"], 3,
     "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"),
    ("rules-overflow-rate-1e6-percent",
     dict(rules_dir(rule_file([rule(exact(times("1e6%")))])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 1000000000}}')}),
     ["eval", "p.json", "--rules", "r"], 3,
     "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"),
    ("rules-overflow-sum-over-items",
     dict(rules_dir(rule_file([rule(exact({"sum": {"over": "certifications", "value": SUM_EXPR}}))])),
          **{"p.json": profile("{" + CERTS + "}")}),
     ["eval", "p.json", "--rules", "r"], 3,
     "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"),
    ("rules-overflow-cap-expression",
     dict(rules_dir(rule_file([rule(exact(times("1%"), cap={"mul": [INV, INV]}))])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 10000000}}')}),
     ["eval", "p.json", "--rules", "r"], 3,
     "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"),
    ("rules-overflow-payer-parts",
     dict(rules_dir(rule_file([with_payers(rule(exact(times("1"))), [
         {"payer": "province", "formula": {"mul": ["1", {"fact": "rd_super_deduction", "year": 0}]}},
         {"payer": "city", "formula": {"fact": "rd_super_deduction", "year": 0}}])])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 8000000000000}, '
                               '"rd_super_deduction": {"2023": 5000000000000}}')}),
     ["eval", "p.json", "--rules", "r"], 3,
     "rule cat-1 in document cat: arithmetic overflow (beyond 9,000,000,000,000)"),
    # Each rule's part fits; the province's sum over the two does not. A payer's sum is never
    # more than the document's total (its parts add up to at most each amount), so the overflow
    # is the total's: an error in both languages, exit 3, never a partial sum shown as a payer's.
    ("rules-overflow-payer-sums-eval", dict(PROVINCE_PAYS_ALL, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r", "--format", "json"], 3,
     "subsidy: the total of document cat overflowed (beyond 9,000,000,000,000); no report printed",
     {"absent": "10799999999998.80"}),
    ("rules-overflow-payer-sums-eval-zh", dict(PROVINCE_PAYS_ALL, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r"], 3,
     "subsidy: 文件 cat 的合计溢出（超出 9,000,000,000,000）", {"chinese": True}),
    ("rules-overflow-payer-sums-batch", dict(PROVINCE_PAYS_ALL, **{"p.jsonl": BIG + "\n"}),
     ["batch", "p.jsonl", "-o", "out.jsonl", "--rules", "r"], 5, "1 profiles, 1 with errors",
     {"records": ("out.jsonl", 1), "check": record_check({
         "status": "error",
         "error": "the total of document cat overflowed (beyond 9,000,000,000,000)"})}),
    # The loader cannot know the facts: parts of two other values that exceed the amount.
    ("rules-payer-parts-exceed-amount-at-evaluation",
     dict(rules_dir(rule_file([with_payers(rule(exact(times("1"))), [
         {"payer": "province", "formula": {"fact": "rd_super_deduction", "year": 0}},
         {"payer": "city", "formula": {"fact": "rd_deductible_expense", "year": 0}},
         {"payer": "district", "rest": True}])])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 100}, '
                               '"rd_super_deduction": {"2023": 60}, '
                               '"rd_deductible_expense": {"2023": 60}}')}),
     ["eval", "p.json", "--rules", "r"], 3,
     "subsidy: rule cat-1 in document cat: the payers' parts add up to more than the amount",
     {"absent": "-20.00"}),
    # Rounding each half of 100.01 gives 50.01 twice: a fen of rounding, not an excess.
    ("rules-payer-half-and-half-of-an-odd-fen",
     dict(rules_dir(rule_file([with_payers(rule(exact(times("1"))), [
         {"payer": "province", "share": "50%"}, {"payer": "city", "share": "50%"}])])),
          **{"p.json": profile('{"tech_upgrade_investment": {"2023": 100.01}}')}),
     ["eval", "p.json", "--rules", "r"], 0, "Paid by: city finance ¥50.00, provincial finance ¥50.01"),
    # --- overflow: totals of rules that each fit --------------------------------------------------
    ("rules-overflow-document-total-eval", dict(THREE_BIG, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r"], 3,
     "subsidy: the total of document cat overflowed (beyond 9,000,000,000,000); no report printed",
     {"absent": "5,399,999,999,999.40"}),
    ("rules-overflow-document-total-batch", dict(THREE_BIG, **{"p.jsonl": BIG + "\n"}),
     ["batch", "p.jsonl", "-o", "out.jsonl", "--rules", "r"], 5, "1 profiles, 1 with errors",
     {"records": ("out.jsonl", 1), "check": record_check({
         "status": "error",
         "error": "the total of document cat overflowed (beyond 9,000,000,000,000)"})}),
    ("rules-overflow-grand-total-over-city-layer", dict(CITY_TOO, **{"p.json": BIG}),
     ["eval", "p.json", "--rules", "r"], 3,
     "subsidy: the grand total overflowed (beyond 9,000,000,000,000); no report printed"),
    ("rules-overflow-compare-total", dict(THREE_BIG, **{"p.json": BIG}),
     ["compare", "p.json", "--rules", "r"], 3,
     "subsidy: region 330802: the total of document cat overflowed (beyond 9,000,000,000,000)",
     {"check": stdout_has("1. Kecheng (330802)  overflow (beyond ¥9,000,000,000,000)")}),
    ("rules-overflow-compare-json", dict(THREE_BIG, **{"p.json": BIG}),
     ["compare", "p.json", "--rules", "r", "--format", "json"], 3,
     '"total": null,\n      "overflow": true'),
    # Every row fits; their sum in the closing summary does not.
    ("rules-overflow-batch-summary-sum",
     dict(rules_dir(rule_file([rule(exact(times("0.6")))])), **{"p.jsonl": (BIG + "\n") * 2}),
     ["batch", "p.jsonl", "-o", "out.jsonl", "--rules", "r"], 0,
     "2 profiles, 0 with errors; total of grants overflow (beyond ¥9,000,000,000,000)",
     {"records": ("out.jsonl", 2), "check": record_check({"status": "ok", "total": "5399999999999.40"})}),
    # diff: an overflow under either rule directory is listed like an unreadable row (exit 3).
    ("rules-overflow-diff-new-rules",
     dict({"old/facts.json": FACTS, "old/d0.json": rule_file([rule(exact(times("0.6")))]),
           "p.jsonl": BIG + "\n"},
          **{"new/" + k[2:]: v for k, v in THREE_BIG.items()}),
     ["diff", "old", "new", "--profiles", "p.jsonl"], 3,
     "p.jsonl:1:1: error: under new: the total of document cat overflowed (beyond "
     "9,000,000,000,000) [overflow]"),
    ("rules-overflow-cap-9e12-refused",
     rules_dir(rule_file([rule(exact(times("6%"), cap="9e12"))])),
     ["check", "r", "--year", "2023"], 1, '(/rules/0/amount/cap): error: bad number "9e12"'),
    # --- check: warnings -----------------------------------------------------------------------
    ("rules-lint-overlapping-documents",
     rules_dir(rule_file([rule({"kind": "unspecified"})]),
               document([rule({"kind": "unspecified"}, rid="dup-1")], id="cat-again",
                        valid_from="2023-07-01", valid_to="2024-06-30")),
     ["check", "r", "--year", "2023"], 0,
     "r/d1.json:1:43 (/document): warning: region 330802 has two documents in force from "
     "2023-07-01 to 2023-12-31: cat-again and cat (r/d0.json); a profile gets the total of both "
     "[overlapping-documents]"),
    ("rules-lint-overlapping-documents-strict",
     rules_dir(rule_file([rule({"kind": "unspecified"})]),
               document([rule({"kind": "unspecified"}, rid="dup-1")], id="cat-again")),
     ["check", "r", "--year", "2023", "--strict"], 1, "[overlapping-documents]"),
    ("rules-lint-city-over-district-is-no-overlap",
     rules_dir(rule_file([rule({"kind": "unspecified"})]),
               document([rule({"kind": "unspecified"}, rid="city-1")], id="city", region="330800")),
     ["check", "r", "--year", "2023"], 0, "0 error(s), 2 warning(s)",
     {"absent": "overlapping-documents"}),
    ("rules-lint-disjoint-years-no-overlap",
     rules_dir(rule_file([rule({"kind": "unspecified"})]),
               document([rule({"kind": "unspecified"}, rid="next-1")], id="next",
                        valid_from="2024-01-01", valid_to="2024-12-31")),
     ["check", "r", "--year", "2024"], 0, "[expired]", {"absent": "overlapping-documents"}),
    ("rules-lint-zero-cap", rules_dir(rule_file([rule(exact(times("6%"), cap="0万"))])),
     ["check", "r", "--year", "2023"], 0,
     "(/rules/0/amount/cap): warning: a cap of 0: the rule can never pay [zero-cap]"),
    ("rules-lint-rate-above-100", rules_dir(rule_file([rule(exact(times("150%")))])),
     ["check", "r", "--year", "2023"], 0,
     "(/rules/0/amount/formula/mul/0): warning: rate 150% is above 100% [rate-out-of-range]"),
    ("rules-lint-rate-1e6-percent", rules_dir(rule_file([rule(exact(times("1e6%")))])),
     ["check", "r", "--year", "2023", "--strict"], 1,
     "warning: rate 1e6% is above 100% [rate-out-of-range]"),
    ("rules-lint-rate-below-zero", rules_dir(rule_file([rule(exact(times("-5%")))])),
     ["check", "r", "--year", "2023"], 0,
     "(/rules/0/amount/formula/mul/0): warning: rate -5% is below 0% [rate-out-of-range]"),
    ("rules-lint-bracket-then-zero-percent",
     rules_dir(rule_file([rule(exact({"mul": [INV, {"brackets": {"of": INV, "table": [
         {"less_than": "200万", "then": "0%"}, {"at_least": "200万", "then": "6%"}]}}]}))])),
     ["check", "r", "--year", "2023"], 0,
     "(/rules/0/amount/formula/mul/1/brackets/table/0/then): warning: a rate of 0% pays nothing: "
     "leave the bracket out (\"gaps\": true) where the text gives nothing [zero-rate]"),
    ("rules-lint-marginal-band-rate-2",
     rules_dir(rule_file([rule(exact({"marginal": {"of": INV, "bands": [
         {"up_to": "500万", "rate": "25%"}, {"rate": 2}]}}))])),
     ["check", "r", "--year", "2023"], 0,
     "(/rules/0/amount/formula/marginal/bands/1/rate): warning: rate 2 (200%) is above 100% "
     "[rate-out-of-range]"),
    ("rules-lint-growth-threshold-150-percent-is-no-rate",
     rules_dir(rule_file([rule(exact("10万"), when={"value": {"growth": [
         INV, {"fact": "tech_upgrade_investment", "year": -1}]}, "at_least": "150%"})])),
     ["check", "r", "--year", "2023"], 0, "0 error(s), 1 warning(s)",
     {"absent": "rate-out-of-range"}),
    # --- load errors: check exits 1, eval 4 ----------------------------------------------------
    ("rules-payer-two-2x-on-3x-check", PAYERS_2_2_3, ["check", "r", "--year", "2023"], 1,
     "(/rules/0/payers): error: the payers' parts add up to 4 × tech_upgrade_investment, more "
     "than the amount, 3 × tech_upgrade_investment [payer-split]"),
    ("rules-payer-two-2x-on-3x-eval",
     dict(PAYERS_2_2_3, **{"p.json": profile('{"tech_upgrade_investment": {"2023": 100}}')}),
     ["eval", "p.json", "--rules", "r"], 4, "1 problem(s) in the rule files",
     {"absent": "-100.00"}),
    ("rules-payer-shares-above-100",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "province", "share": "60%"}, {"payer": "city", "share": "0.5"}])])),
     ["check", "r", "--year", "2023"], 1,
     "(/rules/0/payers): error: the payers' shares add up to 110%, more than the whole amount "
     "[payer-split]"),
    ("rules-payer-share-and-part-above-amount",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "province", "share": "50%"}, {"payer": "city", "formula": times("4%")},
         {"payer": "district", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "error: the payers' parts add up to 0.07 × tech_upgrade_investment, more than the amount, "
     "0.06 × tech_upgrade_investment [payer-split]"),
    ("rules-payer-negative-share",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "province", "share": "-10%"}, {"payer": "city", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "(/rules/0/payers/0/share): error: a share below zero [bad-payer]"),
    ("rules-payer-negative-constant",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "province", "formula": "-5万"}, {"payer": "city", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "(/rules/0/payers/0/formula): error: a payer's amount below zero [bad-payer]"),
    ("rules-payer-constant-above-amount",
     rules_dir(rule_file([with_payers(rule(exact("10万")), [
         {"payer": "province", "formula": "20万"}, {"payer": "city", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "error: the payers' parts add up to 200000, more than the amount, 100000 [payer-split]"),
    ("rules-payer-constant-above-cap",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"), cap="10万")), [
         {"payer": "province", "formula": "20万"}, {"payer": "city", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "error: the payers' parts add up to 200000, more than the cap, 100000 [payer-split]"),
    ("rules-payer-whole-share-and-a-constant",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "province", "share": "100%"}, {"payer": "city", "formula": "1万"}])])),
     ["check", "r", "--year", "2023"], 1,
     "error: the payers' parts add up to 0.06 × tech_upgrade_investment + 10000, more than the "
     "amount, 0.06 × tech_upgrade_investment [payer-split]"),
    ("rules-payer-named-twice",
     rules_dir(rule_file([with_payers(rule(exact(times("6%"))), [
         {"payer": "city", "share": "50%"}, {"payer": "city", "rest": True}])])),
     ["check", "r", "--year", "2023"], 1,
     "(/rules/0/payers/1/payer): error: payer \"city\" is named twice [bad-payer]"),
    ("rules-group-id-twice",
     rules_dir(rule_file([rule({"kind": "exact", "formula": 1}), rule({"kind": "exact", "formula": 2}, rid="cat-2")],
                         [{"id": "g", "mode": "highest", "rules": ["cat-1", "cat-2"], "quote": "就高。"},
                          {"id": "g", "mode": "highest", "rules": ["cat-2", "cat-1"], "quote": "就高。"}])),
     ["check", "r", "--year", "2023"], 1,
     "(/groups/1/id): error: duplicate group id \"g\" [duplicate-id]"),
    ("rules-group-id-equals-rule-id",
     rules_dir(rule_file([rule({"kind": "exact", "formula": 1}), rule({"kind": "exact", "formula": 2}, rid="cat-2")],
                         [{"id": "cat-1", "mode": "highest", "rules": ["cat-1", "cat-2"], "quote": "就高。"}])),
     ["check", "r", "--year", "2023"], 1,
     "(/groups/0/id): error: group id \"cat-1\" is also a rule id [duplicate-id]"),
    ("rules-group-id-in-two-files-eval",
     dict(rules_dir(
         rule_file([rule({"kind": "exact", "formula": 1}), rule({"kind": "exact", "formula": 2}, rid="cat-2")],
                   [{"id": "g", "mode": "highest", "rules": ["cat-1", "cat-2"], "quote": "就高。"}]),
         document([rule({"kind": "exact", "formula": 1}, rid="o-1"), rule({"kind": "exact", "formula": 2}, rid="o-2")],
                  [{"id": "g", "mode": "highest", "rules": ["o-1", "o-2"], "quote": "就高。"}],
                  id="other", region="330803", parent="330800")),
          **{"p.json": profile("{}")}),
     ["eval", "p.json", "--rules", "r"], 4,
     "(/groups/0): error: group id \"g\" is also used in r/d0.json [duplicate-id]"),
    ("rules-document-id-twice",
     rules_dir(rule_file([rule({"kind": "unspecified"})]),
               document([rule({"kind": "unspecified"}, rid="dup-1")], region="330803")),
     ["check", "r", "--year", "2023"], 1, "error: document id \"cat\" is also used in r/d0.json [duplicate-id]"),
]


def only_region_types(tmp, text, code):
    """The questionnaire's certification types are those the region's rules read, each named."""
    import json
    facts = json.loads(text[text.index("{"):])["facts"]
    certs = [f for f in facts if f["fact"] == "certifications"][0]
    field = [x for x in certs["fields"] if x["field"] == "type"][0]
    if "time_honored_brand" not in field["values"]:
        return "婺城's time_honored_brand is not offered"
    for other in ("provincial_key_lab", "driver_home", "modern_agri_service_centre"):
        if other in field["values"]:
            return other + " (another region's type) is offered"
    if set(field["labels"]) != set(field["values"]):
        return "a value offered has no label"
    if field["labels"]["time_honored_brand"]["zh"].find("中华老字号") < 0:
        return "time_honored_brand is not named as the document writes it"
    return ""


# The catalogue of titles (issue 15, item 6): a region's questionnaire offers only its own types.
CASES += [
    ("questionnaire-offers-only-the-regions-types", {},
     ["questionnaire", "--region", "婺城", "--form", "enterprise", "--year", "2023"], 0,
     '"time_honored_brand"', {"check": only_region_types, "absent": '"provincial_key_lab"'}),
]
