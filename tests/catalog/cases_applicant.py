"""Issue 15, item 5: who the applicant is. A profile gives its legal form (`form`) and the roles it
holds (`roles`); the old `kind` is refused with what to write instead; a rule that pays a role asks
for the roles when they are not known and lists 申请主体身份 among the missing information."""

GRAIN = ('{"id": "agri", "form": "enterprise"%s, "region": "330802", "policy_year": 2023, '
         '"facts": {"large_scale_grain_grower": true, "early_rice_area": {"2023": 100}}}')
INCUBATOR = ('{"id": "uni", "form": "institution", "roles": ["incubator_operator"], "region": "330802", '
             '"policy_year": 2023, "facts": {"certifications": [{"type": "incubator", "level": "national", '
             '"status": "new", "year": 2023}]}}')
CSV = ("id,form,roles,region,policy_year,large_scale_grain_grower,early_rice_area@2023\n"
       "a,enterprise,grain_grower;agricultural_producer,330802,2023,true,100\n"
       "b,enterprise,,330802,2023,true,100\n"
       'c,enterprise,"[""grain_grower""]",330802,2023,true,100\n'
       "d,enterprise,[],330802,2023,true,100\n")

CASES = [
    ("kind-replaced-farm", {"p.json": '{"id": "x", "kind": "farm", "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3,
     'p.json:1:21 (/kind): error: "kind" was replaced by "form" and "roles" (docs/profile.md): for kind "farm" '
     'write "form": "family_farm" or "farmer_cooperative" and "roles": ["agricultural_producer"] [replaced-key]'),
    ("kind-replaced-farm-zh", {"p.json": '{"id": "x", "kind": "farm", "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3,
     'p.json:1:21 (/kind): 错误: "kind" 已由 "form" 和 "roles" 取代（docs/profile.md）：原 kind "farm" 请写 '
     '"form": "family_farm" 或 "farmer_cooperative"，并写 "roles": ["agricultural_producer"] [replaced-key]',
     {"chinese": True}),
    ("kind-replaced-incubator-operator",
     {"p.json": '{"id": "x", "kind": "incubator_operator", "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3,
     'for kind "incubator_operator" write "form": "enterprise" (or "institution") and "roles": '
     '["incubator_operator"] [replaced-key]'),
    ("kind-replaced-csv-column", {"p.csv": "id,kind,region,policy_year\na,enterprise,330802,2023\n"},
     ["batch", "p.csv", "-o", "-", "--format", "jsonl", "--quiet"], 5,
     'p.csv:2:2 (/kind): error: \\"kind\\" was replaced by \\"form\\" and \\"roles\\" (docs/profile.md): '
     'for kind \\"enterprise\\" write \\"form\\": \\"enterprise\\" [replaced-key]'),
    ("unknown-form", {"p.json": '{"id": "x", "form": "farm", "region": "330802", "policy_year": 2023, "facts": {}}'},
     ["eval", "p.json"], 3,
     'p.json:1:21 (/form): error: unknown legal form "farm" (enterprise, farmer_cooperative, family_farm, '
     'individual_business, individual, institution) [bad-value]'),
    ("agricultural-company-growing-grain",
     {"p.json": GRAIN % ', "roles": ["grain_grower"]'}, ["eval", "p.json", "--format", "csv"], 0,
     "agri,柯政发〔2023〕16号,kc-43-early-rice,43,Early-rice subsidy for large-scale grain growers,eligible,floor,grant,35000.00,35000.00,,,"),
    ("company-holding-no-role-is-not-a-grain-grower",
     {"p.json": GRAIN % ', "roles": []'}, ["eval", "p.json", "--format", "csv"], 0,
     "agri,柯政发〔2023〕16号,kc-43-early-rice,43,Early-rice subsidy for large-scale grain growers,not_eligible,floor,grant,,,,,"
     "Not a grain grower"),
    ("institution-running-an-incubator", {"p.json": INCUBATOR}, ["eval", "p.json", "--format", "csv"], 0,
     "uni,柯政发〔2023〕16号,kc-13-incubator-national,13,Award for a newly certified national tech business "
     "incubator,eligible,exact,grant,3000000.00,3000000.00,,,"),
    ("roles-unknown-are-missing-information", {"p.json": GRAIN % ""}, ["eval", "p.json"], 0,
     "  - 告诉我们申请主体身份：11 项政策的金额取决于它", {"chinese": True}),
    ("roles-unknown-needs-info-en", {"p.json": GRAIN % ', "roles": null'}, ["eval", "p.json", "--format", "csv"], 0,
     "agri,柯政发〔2023〕16号,kc-43-early-rice,43,Early-rice subsidy for large-scale grain growers,needs_info,floor,grant,,,,,"
     "missing: roles held"),
    # A role given twice on the command line is held once: the profile written is one eval reads.
    ("role-twice-on-the-command-line", {},
     ["questionnaire", "--region", "330802", "--year", "2023", "--form", "family_farm", "--role", "grain_grower",
      "--role", "grain_grower"], 0, '"roles": [\n      "grain_grower"\n    ],'),
    ("csv-roles-cell", {"p.csv": CSV}, ["batch", "p.csv", "-o", "-", "--format", "csv", "--quiet"], 0,
     "1,2,a,,enterprise,grain_grower;agricultural_producer,330802,2023,ok,,,,35000.00,,,35000.00",
     {"check": lambda tmp, text, code: "" if (
         "2,3,b,,enterprise,,330802,2023,ok,,,,0.00,,,0.00" in text
         and "3,4,c,,enterprise,grain_grower,330802,2023,ok,,,,35000.00" in text
         and "4,5,d,,enterprise,[],330802,2023,ok,,,,0.00" in text) else "rows b, c, d: " + text}),
    ("csv-roles-cell-unknown-role",
     {"p.csv": "id,form,roles,region,policy_year\na,enterprise,grain_grower;grower,330802,2023\n"},
     ["batch", "p.csv", "-o", "-", "--format", "jsonl", "--quiet"], 5,
     'p.csv:2:3 (/roles/1): error: unknown role \\"grower\\" (incubator_operator, grain_grower, '
     'agricultural_producer) [bad-value]'),
]
