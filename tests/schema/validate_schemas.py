#!/usr/bin/python3
"""Check the JSON Schemas in docs/schema/ against the files they describe.

Usage: /usr/bin/python3 tests/schema/validate_schemas.py REPO_ROOT

Needs only the standard library and Debian's python3-jsonschema (draft 7). Checks:
  - each schema against the draft-7 metaschema;
  - every rules/*.json with "format": "subsidy-rules/1" against rules.schema.json;
  - every rules/*.json with "format": "subsidy-facts/1" (rules/facts.json) against
    facts.schema.json;
  - every "profile" of the cases in rules/*.json with "format": "subsidy-tests/1", and every
    examples/*.json whose top level has "form" and "facts", against profile.schema.json;
  - every tests/schema/bad/bad-{rules,profile,facts}-*.json is REJECTED by its schema.
Prints one line per check and ends with "N passed, M failed"; exits 1 if anything failed.
"""

import json
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema import Draft7Validator
except ImportError:  # pragma: no cover
    print("python3-jsonschema is missing (apt-get install python3-jsonschema); "
          "run this with /usr/bin/python3")
    print("0 passed, 1 failed")
    sys.exit(1)

SCHEMAS = {
    "rules": "rules.schema.json",
    "facts": "facts.schema.json",
    "profile": "profile.schema.json",
}
MAX_ERRORS = 5


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            # The loader rejects duplicate keys (json-duplicate-key); Python would keep the last.
            raise DuplicateKey(f'duplicate key "{key}"')
        out[key] = value
    return out


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=_no_duplicates)


def pointer(error):
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path]
    return "/" + "/".join(parts)


def key_choice(schemas):
    """The keys of a list of {"required": [KEY]} subschemas (how the schemas say "one of these
    keys"), or None."""
    if not isinstance(schemas, list) or not schemas:
        return None
    keys = []
    for sub in schemas:
        if not (isinstance(sub, dict) and set(sub) == {"required"} and len(sub["required"]) == 1):
            return None
        keys.append(sub["required"][0])
    return keys


def quoted(keys):
    return ", ".join(f'"{k}"' for k in keys)


def message(error):
    """The error's message, in terms of keys where the schema speaks of required subschemas."""
    keys = key_choice(error.validator_value) if error.validator in ("oneOf", "anyOf") else None
    if keys is not None:
        present = [k for k in keys if isinstance(error.instance, dict) and k in error.instance]
        if len(present) > 1:
            return f"give only one of {quoted(present)}"
        return f"needs one of {quoted(keys)}"
    if error.validator == "not" and isinstance(error.validator_value, dict):
        value = error.validator_value
        if set(value) == {"required"}:
            keys = value["required"]
            return f"must not have {quoted(keys)}" + (" together" if len(keys) > 1 else "")
        keys = key_choice(value.get("anyOf")) if set(value) == {"anyOf"} else None
        if keys is not None:
            present = [k for k in keys if isinstance(error.instance, dict) and k in error.instance]
            return f"{quoted(present)} cannot be combined with the other keys here"
    text = error.message
    return text if len(text) <= 200 else text[:200] + "..."


def leaves(error):
    """The innermost errors under an error (oneOf/anyOf keep theirs in .context), stopping at a
    choice between keys, which says more as a whole."""
    if not error.context or (error.validator in ("oneOf", "anyOf")
                             and key_choice(error.validator_value) is not None):
        return [error]
    return [leaf for sub in error.context for leaf in leaves(sub)]


def cause(error):
    """The most telling innermost error: the deepest one in the instance, preferring a failed
    check of a value over a mismatch of type or of operator (a branch that did not apply)."""
    weak = ("type", "const", "additionalProperties", "required")
    return max(leaves(error),
               key=lambda e: (len(e.absolute_path), e.validator not in weak))


def describe(errors):
    """One line per error of an instance, each narrowed to its most telling cause."""
    lines = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        c = cause(error)
        lines.append(f"    at {pointer(c)}: {message(c)}")
    if len(lines) > MAX_ERRORS:
        lines = lines[:MAX_ERRORS] + [f"    ... and {len(lines) - MAX_ERRORS} more"]
    return lines


class Run:
    def __init__(self, root):
        self.root = root
        self.passed = 0
        self.failed = 0

    def rel(self, path):
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    def result(self, ok, text, details=()):
        print(f"{'PASS' if ok else 'FAIL'} {text}")
        for line in details:
            print(line)
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    def accept(self, validator, instance, what, schema_name):
        errors = list(validator.iter_errors(instance))
        self.result(not errors, f"{what} is valid against {schema_name}", describe(errors))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip())
        return 2
    root = Path(argv[1]).resolve()
    run = Run(root)
    schema_dir = root / "docs" / "schema"

    # 1. The schemas themselves.
    validators = {}
    for kind, name in SCHEMAS.items():
        path = schema_dir / name
        try:
            schema = load_json(path)
            Draft7Validator.check_schema(schema)
        except (OSError, ValueError) as e:
            run.result(False, f"{run.rel(path)} is a draft-7 schema", [f"    {e}"])
            continue
        except jsonschema.exceptions.SchemaError as e:
            run.result(False, f"{run.rel(path)} is a draft-7 schema",
                       [f"    at {'/'.join(str(p) for p in e.absolute_path)}: {e.message}"])
            continue
        run.result(True, f"{run.rel(path)} is a draft-7 schema")
        validators[kind] = Draft7Validator(schema)

    def check(kind, instance, what):
        if kind not in validators:
            run.result(False, f"{what}: {SCHEMAS[kind]} is unusable")
            return
        run.accept(validators[kind], instance, what, SCHEMAS[kind])

    # 2. Rule files, the fact vocabulary and the profiles of rule test cases.
    saw_facts = False
    for path in sorted((root / "rules").glob("*.json")):
        what = run.rel(path)
        try:
            doc = load_json(path)
        except (OSError, ValueError) as e:
            run.result(False, f"{what} parses", [f"    {e}"])
            continue
        fmt = doc.get("format") if isinstance(doc, dict) else None
        if fmt == "subsidy-rules/1":
            check("rules", doc, what)
        elif fmt == "subsidy-facts/1":
            saw_facts = True
            check("facts", doc, what)
        elif fmt == "subsidy-tests/1":
            cases = doc.get("cases")
            if not isinstance(cases, list):
                run.result(False, f'{what} has a "cases" list')
                continue
            for i, case in enumerate(cases):
                profile = case.get("profile") if isinstance(case, dict) else None
                if isinstance(profile, dict):
                    check("profile", profile, f"{what} /cases/{i}/profile")
        else:
            run.result(False, f'{what} has a known "format"', [f"    format: {fmt!r}"])
    if not saw_facts:
        run.result(False, "rules/ holds a fact vocabulary (format subsidy-facts/1)")

    # 3. Example profiles (other example files, such as expected outputs, are skipped).
    for path in sorted((root / "examples").glob("*.json")):
        what = run.rel(path)
        try:
            doc = load_json(path)
        except (OSError, ValueError) as e:
            run.result(False, f"{what} parses", [f"    {e}"])
            continue
        if isinstance(doc, dict) and "form" in doc and "facts" in doc:
            check("profile", doc, what)

    # 4. Deliberately broken files must be rejected.
    bad_dir = root / "tests" / "schema" / "bad"
    bad_files = sorted(bad_dir.glob("*.json"))
    if not bad_files:
        run.result(False, f"{run.rel(bad_dir)} holds broken files")
    for path in bad_files:
        what = run.rel(path)
        kind = next((k for k in SCHEMAS if path.name.startswith(f"bad-{k}-")), None)
        if kind is None:
            run.result(False, f"{what} is named bad-rules-*, bad-profile-* or bad-facts-*")
            continue
        if kind not in validators:
            run.result(False, f"{what}: {SCHEMAS[kind]} is unusable")
            continue
        try:
            doc = load_json(path)
        except (OSError, ValueError) as e:
            run.result(False, f"{what} parses (it must fail the schema, not the JSON syntax)",
                       [f"    {e}"])
            continue
        errors = list(validators[kind].iter_errors(doc))
        if errors:
            first = describe(errors)[0].strip()
            run.result(True, f"{what} is rejected by {SCHEMAS[kind]} ({first})")
        else:
            run.result(False, f"{what} is rejected by {SCHEMAS[kind]}",
                       ["    the schema accepts it"])

    print(f"{run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
