"""Issue 15: unknown is a value. `null` in JSON (a fact, a year's value, a list item's field) and an
empty CSV cell mean "not known": the rule that needs it is needs_info, never not_eligible, never
zero. A `false` that is given still decides, so each null case has its given-value twin."""
from common import HEAD, profile

JJ = '{"id": "x", "form": "enterprise", "region": "331002", "policy_year": 2023, "facts": '
RD = '"rd_deductible_expense": {"2021": 1000000, "2022": 2000000}'
GIANT = '{"type": "tech_little_giant", "level": %s, "status": "new", "year": 2023}'
CSV_HEAD = ("id,form,region,policy_year,rd_reported_to_statistics,rd_deductible_expense@2021,"
            "rd_deductible_expense@2022,rd_deductible_expense@2023,certifications[0].type,"
            "certifications[0].level,certifications[0].status,certifications[0].year\n")

CASES = [
    ("null-year-value-is-unknown", {"p.json": profile('{"tech_transfer_income": {"2023": null}}')},
     ["eval", "p.json", "--format", "csv"], 0,
     "kc-11-tech-transfer,11,Income-tax relief on technology-transfer income,needs_info,exact,tax_relief,,,,,"
     "missing: Qualifying technology-transfer income"),
    ("null-year-value-zh", {"p.json": profile('{"tech_transfer_income": {"2023": null}}')},
     ["eval", "p.json", "--format", "csv"], 0, "kc-11-tech-transfer,11,技术转让所得减免企业所得税,needs_info,exact,tax_relief,,,,,缺少：",
     {"chinese": True}),
    ("null-per-year-fact-is-unknown", {"p.json": profile('{"tech_transfer_income": null}')},
     ["eval", "p.json", "--format", "csv"], 0,
     "kc-11-tech-transfer,11,Income-tax relief on technology-transfer income,needs_info"),
    ("null-item-field-is-unknown",
     {"p.json": profile('{"tech_upgrade_projects": [{"investment": null, "completed_year": 2023}]}')},
     ["eval", "p.json", "--format", "csv"], 0,
     "kc-06-tech-upgrade,6,Technical upgrade subsidy,needs_info,exact,grant,,,,,\"missing: New equipment"),
    ("null-bool-is-unknown", {"p.json": JJ + '{"rd_reported_to_statistics": null, ' + RD + '}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-12-rd-growth,12,Subsidy for growing deductible R&D expenses,needs_info,exact,grant,,,,,missing: R&D "
     "expenses were reported in time", {"absent": "jj-12-rd-growth,12,Subsidy for growing deductible "
                                                  "R&D expenses,not_eligible"}),
    ("given-false-decides", {"p.json": JJ + '{"rd_reported_to_statistics": false, ' + RD + '}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-12-rd-growth,12,Subsidy for growing deductible R&D expenses,not_eligible"),
    ("null-list-is-unknown", {"p.json": JJ + '{"certifications": null}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-13-tech-little-giant,13,Award for a newly certified provincial tech little-giant enterprise,"
     "needs_info"),
    ("null-list-field-is-unknown", {"p.json": JJ + '{"certifications": [' + GIANT % "null" + ']}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-13-tech-little-giant,13,Award for a newly certified provincial tech little-giant enterprise,"
     "needs_info,exact,grant,,,,,\"missing: Level of the awarding authority"),
    ("given-list-field-decides", {"p.json": JJ + '{"certifications": [' + GIANT % '"provincial"' + ']}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-13-tech-little-giant,13,Award for a newly certified provincial tech little-giant enterprise,"
     "eligible,exact,grant,800000.00,800000.00"),
    ("null-is-not-zero", {"p.json": JJ + '{"rd_reported_to_statistics": true, "rd_deductible_expense": '
                                        '{"2021": null, "2022": 2000000}}}'},
     ["eval", "p.json", "--format", "csv"], 0,
     "jj-12-rd-growth,12,Subsidy for growing deductible R&D expenses,needs_info,exact,grant,,,,,\"missing: "
     "Deductible R&D expenses"),
    # Still refused: a list item that is null (an item is known to exist or it is left out), a bad
    # year key even with a null value, and null for the profile's own keys.
    ("null-list-item-refused", {"p.json": JJ + '{"certifications": [null]}}'}, ["eval", "p.json"], 3,
     "(/facts/certifications/0): error: expected an object, found null [type]"),
    ("null-bad-year-key-refused", {"p.json": profile('{"tech_upgrade_investment": {"20x3": null}}')},
     ["eval", "p.json"], 3, '(/facts/tech_upgrade_investment/20x3): error: "20x3" is not a year [bad-year]'),
    ("null-form-refused", {"p.json": '{"form": null, "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3, "(/form): error: expected a string, found null [type]"),
    ("null-unknown-fact-refused", {"p.json": profile('{"revenue": null}')}, ["eval", "p.json"], 3,
     'unknown fact "revenue"'),
    # Batch reads valid profiles on a fast path: null is unknown there too.
    ("null-in-jsonl", {"in.jsonl": JJ + '{"rd_reported_to_statistics": null, ' + RD + '}}\n'},
     ["batch", "in.jsonl", "-o", "-", "--format", "jsonl", "--quiet"], 0, '"needs_info":["jj-08',
     {"check": lambda tmp, text, code: "" if "jj-12-rd-growth" in
      text.split('"needs_info"')[1].split("]")[0] else "jj-12-rd-growth is not needs_info"}),
    # CSV: an empty cell is unknown (a fact, a year, a list field), "null" in a JSON list cell too;
    # the same row with false is not_eligible.
    ("csv-empty-cells-are-unknown",
     {"in.csv": CSV_HEAD + "x,enterprise,331002,2023,,1000000,2000000,,tech_little_giant,,new,2023\n"},
     ["batch", "in.csv", "-o", "-", "--format", "jsonl", "--quiet"], 0, '"needs_info":["jj-08',
     {"check": lambda tmp, text, code: "" if all(
         r in text.split('"needs_info"')[1].split("]")[0] for r in ("jj-12-rd-growth", "jj-13-tech-little-giant"))
      else "jj-12 and jj-13 should be needs_info"}),
    ("csv-false-cell-decides",
     {"in.csv": CSV_HEAD + "x,enterprise,331002,2023,false,1000000,2000000,,tech_little_giant,,new,2023\n"},
     ["batch", "in.csv", "-o", "-", "--format", "jsonl", "--quiet"], 0, '"not_eligible":[',
     {"check": lambda tmp, text, code: "" if "jj-12-rd-growth" in text.split('"not_eligible"')[1].split("]")[0]
      else "jj-12 should be not_eligible"}),
    ("csv-null-list-cell-is-unknown",
     {"in.csv": "id,form,region,policy_year,certifications\nx,enterprise,331002,2023,null\n"},
     ["batch", "in.csv", "-o", "-", "--format", "jsonl", "--quiet"], 0, '"needs_info":["jj-08',
     {"check": lambda tmp, text, code: "" if "jj-13-tech-little-giant" in
      text.split('"needs_info"')[1].split("]")[0] else "jj-13 should be needs_info"}),
    # A null fact gives nothing, so it is no fact "no rule reads" either, even under --strict.
    ("null-fact-no-rule-reads-is-no-warning", {"p.json": profile('{"waterway_freight_turnover": null}')},
     ["eval", "p.json", "--strict", "--format", "csv"], 0, "kc-06-tech-upgrade", {"absent": "unread-fact"}),
    ("given-fact-no-rule-reads-warns", {"p.json": profile('{"waterway_freight_turnover": {"2023": 5}}')},
     ["eval", "p.json", "--strict"], 3, "is read by no rule in force for this applicant"),
]
