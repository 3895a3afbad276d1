#!/usr/bin/env bash
# Gate a change to a rule repository: check, test, and diff against the main branch.
# usage: check-rules.sh RULES_DIR PROFILES.jsonl [BASE_REF]
# Needs `subsidy` on PATH. Writes the Markdown diff to subsidy-diff.md (for a pull-request comment)
# and exits non-zero when check or test fails. A changed amount is reported, not failed: pass
# --fail-on-change to `subsidy diff` below to make every change need a deliberate override.
set -euo pipefail
rules=${1:?rules directory}
profiles=${2:?profiles file (JSON Lines)}
base=${3:-origin/main}

subsidy check "$rules" --strict
subsidy test "$rules" --junit subsidy-test.xml

old=$(mktemp -d)
trap 'rm -rf "$old"' EXIT
git archive "$base" "$rules" | tar -x -C "$old"
subsidy diff "$old/$rules" "$rules" --profiles "$profiles" --format md > subsidy-diff.md
cat subsidy-diff.md
