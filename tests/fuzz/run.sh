#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS, seeded from rules/ and examples/.
# usage: tests/fuzz/run.sh BUILD_DIR TARGET SECONDS
# Crashing inputs are written to BUILD_DIR/fuzz-artifacts/TARGET/; copy each into
# tests/fuzz/regressions/TARGET/ so the unit tests replay it forever after.
set -euo pipefail
build=$1 target=$2 seconds=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$build/fuzz-corpus/$target
artifacts=$build/fuzz-artifacts/$target
mkdir -p "$corpus" "$artifacts"
case $target in
  fuzz_rules|fuzz_json) seeds=("$root"/rules/*.json) ; max_len=262144 ;;
  fuzz_profile) seeds=("$root"/examples/*.json "$root"/tests/cli/inputs/*.json) ; max_len=65536 ;;
  fuzz_profile_fast) seeds=("$root"/tests/fuzz/regressions/fuzz_profile_fast/*) ; max_len=65536 ;;
  fuzz_csv) seeds=("$root"/examples/profiles.csv "$root"/tests/cli/diff/profiles.csv) ; max_len=65536 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cp -n "${seeds[@]}" "$corpus"/ 2>/dev/null || true
if [ -d "$root/tests/fuzz/regressions/$target" ]; then cp -n "$root/tests/fuzz/regressions/$target"/* "$corpus"/ 2>/dev/null || true; fi
exec "$build/tests/fuzz/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1
