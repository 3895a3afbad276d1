#!/usr/bin/env bash
# Batch throughput, peak RSS and the peer comparison for issue 7.
# Usage: bench/run.sh [--1m]        (--1m adds N = 1,000,000; slow)
# Env: SUBSIDY (binary, default build/subsidy), WORK (scratch dir, default /tmp/subsidy-bench),
#      RUNS (runs per median, default 3), PEER_N (peer comparison size, default 100000).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
SUBSIDY=${SUBSIDY:-$ROOT/build/subsidy}
WORK=${WORK:-/tmp/subsidy-bench}
RUNS=${RUNS:-3}
PEER_N=${PEER_N:-100000}
SIZES=(10000 100000)
[[ "${1:-}" == "--1m" ]] && SIZES+=(1000000)
mkdir -p "$WORK"

input() {  # input N -> path of the generated JSONL (deterministic seed)
  local f="$WORK/p$1.jsonl"
  [[ -s "$f" ]] || python3 "$ROOT/tests/batch/gen_profiles.py" "$1" "$WORK/p$1" --bad-every 0 >/dev/null
  echo "$f"
}

# measure CMD... -> "median_seconds max_rss_kb" over $RUNS runs of /usr/bin/time -f '%e %M'
measure() {
  local t="$WORK/time.txt" i
  : > "$WORK/runs.txt"
  for ((i = 0; i < RUNS; i++)); do
    # Every pass writes a fresh file: replacing the previous run's output would add the cost of
    # freeing its pages to the timed run (and parse-only writes nothing to replace).
    rm -f "$WORK/out.jsonl" "$WORK/subsidy.jsonl" "$WORK/jsonlogic.tsv" "$WORK/rulesengine.tsv"
    /usr/bin/time -f '%e %M' -o "$t" "$@" >/dev/null
    tail -n 1 "$t" >> "$WORK/runs.txt"
  done
  sort -n "$WORK/runs.txt" | awk '{e[NR]=$1; if ($2>m) m=$2} END {print e[int((NR+1)/2)], m}'
}

row() {  # row LABEL N CMD...
  local label=$1 n=$2; shift 2
  read -r sec rss < <(measure "$@")
  awk -v l="$label" -v n="$n" -v s="$sec" -v r="$rss" \
    'BEGIN {printf "%-28s %9d %8.2f %12.0f %9.1f\n", l, n, s, (s > 0 ? n / s : 0), r / 1024}'
  echo "${label// /_} $n $sec $rss" >> "$WORK/results.txt"
}

: > "$WORK/results.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-28s %9s %8s %12s %9s\n" "pass" "N" "median s" "profiles/s" "RSS MB"
for n in "${SIZES[@]}"; do
  f=$(input "$n")
  row "parse-only" "$n" "$SUBSIDY" batch "$f" -o "$WORK/out.jsonl" --quiet --threads 1 --parse-only
  row "batch 1 thread" "$n" "$SUBSIDY" batch "$f" -o "$WORK/out.jsonl" --quiet --threads 1
  row "batch 2 threads" "$n" "$SUBSIDY" batch "$f" -o "$WORK/out.jsonl" --quiet --threads 2
done

# ---- one profile: `subsidy eval` wall time, startup included (ms, median of 11; %e is too coarse)
eval_ms=$(for i in $(seq 11); do
  t0=$(date +%s%N); "$SUBSIDY" eval "$ROOT/examples/kecheng-manufacturer.json" >/dev/null; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
done | sort -n | sed -n 6p | awk '{printf "%.1f", $1 / 1000}')
echo
echo "subsidy eval examples/kecheng-manufacturer.json: median $eval_ms ms wall (target < 20 ms)"

# ---- peer comparison: the same file, the same 11 rules (bench/make_subset.py)
echo
echo "peer comparison, N = $PEER_N, rules of bench/make_subset.py"
if [[ ! -d "$HERE/peers/node_modules/json-rules-engine" ]]; then
  (cd "$HERE/peers" && npm install --no-audit --no-fund --silent >/dev/null)
fi
f=$(input "$PEER_N")
rm -rf "$WORK/subset" && python3 "$HERE/make_subset.py" "$ROOT/rules" "$WORK/subset"
"$SUBSIDY" batch "$f" -o "$WORK/subsidy.jsonl" --rules "$WORK/subset" --quiet --threads 1
python3 -c 'import json,sys
for l in open(sys.argv[1]): r = json.loads(l); print(r["id"] + "\t" + r["total"])' "$WORK/subsidy.jsonl" > "$WORK/subsidy.tsv"
node "$HERE/peers/jsonlogic.js" "$f" "$WORK/jsonlogic.tsv"
node "$HERE/peers/rulesengine.js" "$f" "$WORK/rulesengine.tsv"
for p in jsonlogic rulesengine; do
  if ! cmp -s "$WORK/subsidy.tsv" "$WORK/$p.tsv"; then
    echo "MISMATCH: subsidy and $p award differently (diff $WORK/subsidy.tsv $WORK/$p.tsv); no ratios" >&2
    exit 1
  fi
done
echo "awards identical to the fen for all $PEER_N profiles (subsidy, json-logic-js, json-rules-engine)"
printf "%-28s %9s %8s %12s %9s\n" "pass" "N" "median s" "profiles/s" "RSS MB"
row "subsidy subset 1 thread" "$PEER_N" "$SUBSIDY" batch "$f" -o "$WORK/subsidy.jsonl" --rules "$WORK/subset" --quiet --threads 1
row "json-logic-js" "$PEER_N" node "$HERE/peers/jsonlogic.js" "$f" "$WORK/jsonlogic.tsv"
row "json-rules-engine" "$PEER_N" node "$HERE/peers/rulesengine.js" "$f" "$WORK/rulesengine.tsv"

echo
awk -v big="${SIZES[-1]}" -v small="${SIZES[0]}" '
  { sec[$1, $2] = $3; rss[$1, $2] = $4 }
  END {
    p = sec["parse-only", big]; b1 = sec["batch_1_thread", big]; b2 = sec["batch_2_threads", big]
    printf "N = %d: batch (1 thread) / parse-only throughput = %.2f  (target >= 0.50)\n", big, p / b1
    printf "N = %d: 2 threads / 1 thread = %.2fx  (target >= 1.7x)\n", big, b1 / b2
    printf "peak RSS, batch 2 threads: N = %d / N = %d = %.2f  (target <= 1.5; <= 100 MB at 1M)\n", big, small,
      rss["batch_2_threads", big] / rss["batch_2_threads", small]
    for (k in sec) { split(k, a, SUBSEP); if (a[1] == "subsidy_subset_1_thread") s = sec[k];
      if (a[1] == "json-logic-js") jl = sec[k]; if (a[1] == "json-rules-engine") re = sec[k] }
    printf "end to end, same file and rules: %.1fx json-logic-js (target >= 3x), %.1fx json-rules-engine (target >= 10x)\n", jl / s, re / s
  }' "$WORK/results.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
