#!/usr/bin/env python3
"""Deterministic generator of mixed profiles (about 70% enterprises, 30% farms, in every region
with documents, policy years 2023 and 2024), written as JSON Lines and as CSV with the same rows.
A fraction of rows is deliberately malformed (bad numbers, broken JSON, wrong legal forms).

usage: gen_profiles.py N OUT_PREFIX [--seed S] [--bad-every K]
writes OUT_PREFIX.jsonl and OUT_PREFIX.csv; prints the number of rows and of bad rows.
"""
import argparse
import csv
import json
import random

REGIONS = ["330802", "330803", "330702", "331002"]


def money(rng, low, high):
    return f"{rng.randint(low * 100, high * 100) / 100:.2f}"


def enterprise(rng, i, region, year):
    y1, y2 = str(year - 1), str(year - 2)
    facts = {
        "industry": rng.choice(["industry", "services", "construction", "other"]),
        "main_revenue": {y1: money(rng, 5_000_000, 900_000_000), y2: money(rng, 5_000_000, 900_000_000)},
        "operating_revenue": {y1: money(rng, 5_000_000, 900_000_000)},
        "rd_deductible_expense": {y1: money(rng, 0, 30_000_000), y2: money(rng, 0, 30_000_000)},
        "rd_super_deduction": {y1: money(rng, 0, 30_000_000), y2: money(rng, 0, 30_000_000)},
        "rd_expense": {y1: money(rng, 0, 35_000_000), y2: money(rng, 0, 35_000_000)},
        "tech_upgrade_investment": {str(year): money(rng, 0, 20_000_000)},
        "taxable_income": {str(year): money(rng, 0, 50_000_000)},
        "tech_loan_interest_settled": {str(year): money(rng, 0, 300_000)},
        "university_cooperation_fee": {str(year): money(rng, 0, 5_000_000)},
        "university_cooperation_industrialized": rng.random() < 0.5,
        "short_term_export_credit_premium": {str(year): money(rng, 0, 2_000_000)},
    }
    certs = []
    for _ in range(rng.randint(0, 3)):
        certs.append({"type": rng.choice(["high_tech_enterprise", "tech_sme", "tech_little_giant", "incubator",
                                          "maker_space"]),
                      "level": rng.choice(["national", "provincial", "city"]),
                      "status": rng.choice(["new", "renewed", "existing"]),
                      "year": rng.choice([year - 2, year - 1, year])})
    facts["certifications"] = certs
    # 技改 projects, one item each (kc-06 pays per project), from an rng of their own so that the
    # other facts stay as they were; tech_upgrade_investment above stays for qz-08 and qj-06.
    prng = random.Random(f"tech-upgrade-{i}")
    facts["tech_upgrade_projects"] = [
        {"investment": money(prng, 0, 12_000_000), "completed_year": prng.choice([year, year, year - 1])}
        for _ in range(prng.randint(0, 2))]
    if region == "331002":
        facts["waterway_freight_turnover"] = {str(year): money(rng, 0, 7_000_000_000),
                                              str(year - 1): money(rng, 1, 7_000_000_000)}
    return {"id": f"e{i:06d}", "name": f"企业{i}", "form": "enterprise", "region": region,
            "policy_year": year, "facts": facts}


def farm(rng, i, region, year):
    y = str(year)
    facts = {
        "large_scale_grain_grower": rng.random() < 0.8,
        "early_rice_area": {y: f"{rng.randint(0, 40000) / 100:.2f}"},
        "grain_area": {y: f"{rng.randint(0, 80000) / 100:.2f}"},
        "contract_early_rice_sold": {y: str(rng.randint(0, 200000))},
        "rice_full_cost_insured": rng.random() < 0.6,
        "rapeseed_insured": rng.random() < 0.3,
    }
    if region == "330803":
        facts["late_rice_area"] = {y: f"{rng.randint(0, 50000) / 100:.2f}"}
        facts["rapeseed_area"] = {y: f"{rng.randint(0, 20000) / 100:.2f}"}
        facts["rice_full_cost_premium"] = {y: money(rng, 0, 40000)}
        facts["rapeseed_insurance_premium"] = {y: money(rng, 0, 5000)}
    return {"id": f"f{i:06d}", "name": f"农场{i}", "form": "family_farm",
            "roles": ["agricultural_producer", "grain_grower"], "region": region, "policy_year": year,
            "facts": facts}


def flatten(profile):
    """The CSV cells of a profile, per docs/profile.md (FACT, FACT@YEAR, LIST[N].FIELD)."""
    row = {k: str(profile[k]) for k in ("id", "name", "form", "region", "policy_year")}
    row["roles"] = ";".join(profile["roles"]) if "roles" in profile else ""
    for name, value in profile["facts"].items():
        if isinstance(value, list):
            if not value:
                row[name] = "[]"
            for n, item in enumerate(value):
                for field, v in item.items():
                    row[f"{name}[{n}].{field}"] = str(v)
        elif isinstance(value, dict):
            for year, v in value.items():
                row[f"{name}@{year}"] = v if isinstance(v, str) else json.dumps(v)
        else:
            row[name] = json.dumps(value) if isinstance(value, bool) else str(value)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20231)
    ap.add_argument("--bad-every", type=int, default=97)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    profiles, bad = [], 0
    for i in range(args.n):
        region = rng.choice(REGIONS)
        year = 2024 if rng.random() < 0.15 else 2023
        p = enterprise(rng, i, region, year) if rng.random() < 0.7 else farm(rng, i, region, year)
        if args.bad_every and i % args.bad_every == args.bad_every - 1:
            bad += 1
            which = (i // args.bad_every) % 3
            if which == 0:
                p["facts"]["early_rice_area" if p["form"] == "family_farm" else "tech_upgrade_investment"] = {str(year): "12,5"}
            elif which == 1:
                p["form"] = "company"
            else:
                p["region"] = "33080"
        profiles.append(p)
    with open(args.out + ".jsonl", "w", encoding="utf-8") as f:
        for p in profiles:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    rows = [flatten(p) for p in profiles]
    columns = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    with open(args.out + ".csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    print(f"{len(profiles)} rows, {bad} bad")


if __name__ == "__main__":
    main()
