#!/usr/bin/env bash
# Every pass of issue 18, side by side in one run, as a fraction of the floor (bench/floor: simdjson
# On-Demand into a flat profile over the same vocabulary), then the peer comparison.
# Usage: bench/run.sh [--1m]        (--1m: N = 1,000,000 instead of 100,000; slow)
# Env: SUBSIDY (binary, default build/subsidy), BENCH (bench build dir, default $WORK/bench-build,
#      configured against SUBSIDY's build and built when missing), WORK (scratch dir, default
#      /tmp/subsidy-bench), RUNS (runs per median, default 5), N (profiles), PEER_N (peer
#      comparison size, default 100000; PEER_N=0 skips it), BUSY_RUNS (pairs beside a busy loop,
#      default RUNS: that ratio sits at 1 and varies by ±5% from pair to pair).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
SUBSIDY=${SUBSIDY:-$ROOT/build/subsidy}
WORK=${WORK:-/tmp/subsidy-bench}
BENCH=${BENCH:-$WORK/bench-build}
RUNS=${RUNS:-5}
BUSY_RUNS=${BUSY_RUNS:-$RUNS}
N=${N:-100000}
PEER_N=${PEER_N:-100000}
[[ "${1:-}" == "--1m" ]] && N=1000000
mkdir -p "$WORK"

# The floor and parse-only programs, linked against the core library of SUBSIDY's build.
cmake -S "$HERE" -B "$BENCH" -DSUBSIDY_BUILD="$(dirname "$SUBSIDY")" >/dev/null
cmake --build "$BENCH" --target subsidy_floor subsidy_parse_only -j2 >/dev/null

input() {  # input N -> prefix of the generated JSONL and CSV (deterministic seed, same profiles)
  local p="$WORK/p$1"
  [[ -s "$p.jsonl" && -s "$p.csv" ]] ||
    /usr/bin/python3 "$ROOT/tests/batch/gen_profiles.py" "$1" "$p" --bad-every 0 >/dev/null
  echo "$p"
}

# Before every timed run: every pass writes a fresh file (replacing the previous run's output would
# add the cost of freeing its pages to the timed run), and the kernel is no longer writing back an
# earlier pass's file (on 2 cores that writeback took CPU from the next pass: 2 threads to
# /dev/null measured 1.5x beside it, 1.86x without).
fresh_start() {
  rm -f "$WORK"/out.* "$WORK/subsidy.jsonl" "$WORK/jsonlogic.tsv" "$WORK/rulesengine.tsv" "$WORK/zen.tsv"
  sync
}

# measure CMD... -> "median_wall_seconds max_rss_kb median_cpu_seconds" over $RUNS runs of
# /usr/bin/time (CPU = user + system: what a pass costs whatever else the shared machine runs)
measure() {
  local t="$WORK/time.txt" i
  : > "$WORK/runs.txt"
  for ((i = 0; i < RUNS; i++)); do
    fresh_start
    /usr/bin/time -f '%e %M %U %S' -o "$t" "$@" >/dev/null
    tail -n 1 "$t" >> "$WORK/runs.txt"
  done
  local cpu
  cpu=$(awk '{print $3 + $4}' "$WORK/runs.txt" | sort -n | awk '{c[NR]=$1} END {print c[int((NR+1)/2)]}')
  sort -n "$WORK/runs.txt" | awk -v c="$cpu" '{e[NR]=$1; if ($2>m) m=$2} END {print e[int((NR+1)/2)], m, c}'
}

row() {  # row KEY LABEL N CMD...   prints a line and records "KEY N seconds rss_kb cpu_seconds"
  local key=$1 label=$2 n=$3; shift 3
  read -r sec rss cpu < <(measure "$@")
  # /usr/bin/time's %e counts in 10 ms: a pass under that reads 0.00, and its rate is a bound.
  awk -v l="$label" -v n="$n" -v s="$sec" -v r="$rss" -v c="$cpu" \
    'BEGIN {rate = s > 0 ? sprintf("%12.0f", n / s) : sprintf(">%11.0f", n / 0.01)
            printf "%-34s %9d %8.2f %s %9.1f %8.2f\n", l, n, s, rate, r / 1024, c}'
  echo "$key $n $sec $rss $cpu" >> "$WORK/results.txt"
}

# ms_median CMD... -> median wall milliseconds of 11 runs (date +%s%N: %e has 10 ms resolution)
ms_median() {
  for i in $(seq 11); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
  done | sort -n | sed -n 6p | awk '{printf "%.2f", $1 / 1000}'
}

: > "$WORK/results.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
p=$(input "$N")
rm -rf "$WORK/rules8" && /usr/bin/python3 "$HERE/make_copies.py" "$ROOT/rules" "$WORK/rules8" 8
printf "%-34s %9s %8s %12s %9s %8s\n" "pass" "N" "median s" "profiles/s" "RSS MB" "CPU s"
row cat "cat FILE > /dev/null" "$N" bash -c 'cat "$1" > /dev/null' _ "$p.jsonl"
row floor "floor (simdjson, flat profile)" "$N" "$BENCH/subsidy_floor" "$p.jsonl"
row parse "parse-only (the tool's reader)" "$N" "$BENCH/subsidy_parse_only" "$p.jsonl"
row parse_csv "parse-only, CSV" "$N" "$BENCH/subsidy_parse_only" "$p.csv"
row b1 "batch, 1 thread" "$N" "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 1
row b2 "batch, 2 threads" "$N" "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 2
# What this machine's disk alone takes to write and sync as many bytes as the batch writes (the
# batch syncs its output before renaming it into place): a floor under every pass to a file.
out_mib=$(( ($("$SUBSIDY" batch "$p.jsonl" -o - --quiet --threads 2 | wc -c) + 1048575) / 1048576 ))
row disk "dd, the output's bytes, fsync" "$N" dd if=/dev/zero of="$WORK/out.dd" bs=1M count="$out_mib" conv=fsync status=none
# The same to /dev/null: what the tool's own work scales to. Writing 290 MB to a file on this
# 2-core VM also costs the kernel's writeback and the disk's time (row "disk" above), on the same
# two cores as the two threads.
row b1n "batch, 1 thread, to /dev/null" "$N" "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 1
row b2n "batch, 2 threads, to /dev/null" "$N" "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 2
# Beside a process that holds a core (a busy loop): 2 threads must not be slower than 1.
# busy_loop [setsid] starts one (in a session of its own with setsid), stop_busy_loop ends it.
hog=
trap '[[ -n "$hog" ]] && kill "$hog" 2>/dev/null; true' EXIT
busy_loop() { "$@" bash -c 'while :; do :; done' & hog=$!; }
stop_busy_loop() { kill "$hog"; wait "$hog" 2>/dev/null || true; hog=; }
busy_loop
row b1h "batch, 1 thread, a core busy" "$N" "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 1
row b2h "batch, 2 threads, a core busy" "$N" "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 2
stop_busy_loop
row csv1 "batch, CSV in, 1 thread" "$N" "$SUBSIDY" batch "$p.csv" -o "$WORK/out.jsonl" --quiet --threads 1
row r8 "batch, rules 8x, 1 thread" "$N" "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --rules "$WORK/rules8" --quiet --threads 1
# The rules 8x write 4.7x the bytes (every rule's id is listed in its record): to /dev/null, what
# is left is the cost per rule evaluated.
row r8n "batch, rules 8x, 1 thread, to /dev/null" "$N" "$SUBSIDY" batch "$p.jsonl" -o /dev/null --rules "$WORK/rules8" --quiet --threads 1

eval_ms=$(ms_median "$SUBSIDY" eval "$ROOT/examples/kecheng-manufacturer.json")
version_ms=$(ms_median "$SUBSIDY" --version)
echo
echo "subsidy eval examples/kecheng-manufacturer.json: median $eval_ms ms; subsidy --version: $version_ms ms"

echo
awk -v e="$eval_ms" -v v="$version_ms" '
  { sec[$1] = $3; cpu[$1] = $5 }
  END {
    f = sec["floor"]
    printf "from the medians of the blocks above, as a fraction of the floor (throughput / the floor'"'"'s),\n"
    printf "by wall time and by CPU time:\n"
    n = split("cat parse parse_csv b1 b2 b1n b2n csv1 r8 r8n", keys, " ")
    for (i = 1; i <= n; i++) {
      k = keys[i]
      wall = sec[k] > 0 ? sprintf("%6.3f", f / sec[k]) : sprintf(">%5.1f", f / 0.01)
      cputime = cpu[k] > 0 ? sprintf("%6.3f", cpu["floor"] / cpu[k]) : sprintf(">%5.1f", cpu["floor"] / 0.01)
      printf "  %-10s %s %s\n", k, wall, cputime
    }
    printf "the disk alone (dd, same bytes, fsync) / floor = %.3f: no pass to a file can do better\n", f / sec["disk"]
    printf "2 threads / 1 thread, a core busy = %.2fx (the target'"'"'s ratio is measured in pairs below)\n", sec["b1h"] / sec["b2h"]
    printf "(blocks: 1 thread / floor %.3f, 2 threads / 1 thread %.2fx, CSV / JSON Lines %.2f, rules 1/%.1f, eval %.2fx)\n",
      f / sec["b1"], sec["b1"] / sec["b2"], sec["b1"] / sec["csv1"], sec["r8"] / sec["b1"], e / v
  }' "$WORK/results.txt"

# ---- the targets' ratios, measured in pairs. This shared VM's speed drifts by a third within
# minutes (the same binary took 0.55 s and 0.74 s to /dev/null ten minutes apart), so two medians
# of blocks of runs taken minutes apart compare two machines. Here each run of a pass follows a
# run of what it is compared with, and the ratio is the median of the per-pair ratios.
pass() {  # pass NAME -> runs that pass once, its output discarded
  case "$1" in
    floor) "$BENCH/subsidy_floor" "$p.jsonl" ;;
    floor2) "$BENCH/subsidy_floor" "$p.jsonl" & "$BENCH/subsidy_floor" "$p.jsonl"; wait ;;
    b1) "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 1 ;;
    b2) "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --quiet --threads 2 ;;
    b1n) "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 1 ;;
    b2n) "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 2 ;;
    b1n2) "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 1 &
      "$SUBSIDY" batch "$p.jsonl" -o /dev/null --quiet --threads 1; wait ;;
    csv1) "$SUBSIDY" batch "$p.csv" -o "$WORK/out.jsonl" --quiet --threads 1 ;;
    r8) "$SUBSIDY" batch "$p.jsonl" -o "$WORK/out.jsonl" --rules "$WORK/rules8" --quiet --threads 1 ;;
    r8n) "$SUBSIDY" batch "$p.jsonl" -o /dev/null --rules "$WORK/rules8" --quiet --threads 1 ;;
    eval) "$SUBSIDY" eval "$ROOT/examples/kecheng-manufacturer.json" ;;
    version) "$SUBSIDY" --version ;;
  esac >/dev/null
}
seconds() {  # seconds NAME -> the wall time of one run of the pass, after the same preparation
  fresh_start
  local t0 t1
  t0=$(date +%s%N); pass "$1"; t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", (b - a) / 1e9}'
}
paired() {  # paired A B [RUNS] -> the median over alternating runs of time(A) / time(B)
  local i a b n=${3:-$RUNS}
  for ((i = 0; i < n; i++)); do
    a=$(seconds "$1"); b=$(seconds "$2")
    awk -v a="$a" -v b="$b" 'BEGIN {printf "%.6f\n", a / b}'
  done | sort -g | awk '{r[NR] = $1} END {print r[int((NR + 1) / 2)]}'
}
echo
echo "the targets' ratios, each the median of $RUNS alternating pairs of runs:"
pf1=$(paired floor b1); pf1n=$(paired floor b1n)
p21=$(paired b1 b2); p21n=$(paired b1n b2n)
pcsv=$(paired b1 csv1); pr8=$(paired r8 b1); pr8n=$(paired r8n b1n); pev=$(paired eval version 11)
# What this VM's two cores give two independent processes: on a host that shares them, 2 threads
# cannot do better, whatever the tool does (2.0 would be two whole cores).
pcores=$(paired floor floor2)
# The same for this workload, which leans on the caches where the floor streams: two 1-thread
# batches at once. At times one vCPU ran the batch 1.5x slower than the other while the floor ran
# alike on both; a 2-thread batch cannot beat two independent ones.
pbatches=$(paired b1n b1n2)
# Beside a process that holds a core (a busy loop), in pairs too: the blocks above run the
# 1-thread passes a minute before the 2-thread ones, and beside the loop this VM's speed drifted
# by more than the difference measured (one 1-thread run took 4.1 s, the next 5.1 s, 1M profiles).
# Twice: a loop in the batch's own session, and one in a session of its own, as another user's
# job would be. This kernel weighs sessions alike (autogroups): beside the second the batch's two
# threads share one core; beside the first they may get 3/2 of one (see docs/performance.md).
busy_loop
pbusy=$(paired b1 b2 "$BUSY_RUNS")
stop_busy_loop
busy_loop setsid
pbusy2=$(paired b1 b2 "$BUSY_RUNS")
stop_busy_loop
printf "batch 1 thread / floor = %.3f  (target >= 0.35)\n" "$pf1"
printf "batch 1 thread to /dev/null / floor = %.3f\n" "$pf1n"
printf "2 threads / 1 thread = %.3fx  (target >= 1.8x)\n" "$p21"
printf "2 threads / 1 thread, to /dev/null = %.3fx\n" "$p21n"
printf "2 threads / 1 thread, a core busy = %.3fx  (target >= 1: never slower; %d pairs)\n" "$pbusy" "$BUSY_RUNS"
printf "2 threads / 1 thread, a core busy in another session = %.3fx  (target >= 1: never slower; %d pairs)\n" "$pbusy2" "$BUSY_RUNS"
awk -v r="$pcores" 'BEGIN {printf "two floors at once / one floor = %.2fx: what this machine'"'"'s two cores give\n", 2 * r}'
awk -v r="$pbatches" 'BEGIN {printf "two 1-thread batches at once / one, to /dev/null = %.2fx: what they give this workload\n", 2 * r}'
printf "CSV / JSON Lines per profile = %.3f  (target >= 1)\n" "$pcsv"
printf "rules 8x / rules 1x = 1/%.1f  (target >= 1/6)\n" "$pr8"
printf "rules 8x / rules 1x, to /dev/null = 1/%.1f: per rule, apart from writing 4.7x the bytes\n" "$pr8n"
printf "eval / --version = %.3fx  (target <= 2x)\n" "$pev"

# ---- peer comparison: the same file, the same 11 rules (bench/make_subset.py)
if [[ "$PEER_N" != 0 ]]; then
  echo
  echo "peer comparison, N = $PEER_N, rules of bench/make_subset.py"
  if [[ ! -d "$HERE/peers/node_modules/json-rules-engine" || ! -d "$HERE/peers/node_modules/@gorules/zen-engine" ]]; then
    (cd "$HERE/peers" && npm install --no-audit --no-fund --silent >/dev/null)
  fi
  f=$(input "$PEER_N").jsonl
  rm -rf "$WORK/subset" && /usr/bin/python3 "$HERE/make_subset.py" "$ROOT/rules" "$WORK/subset"
  "$SUBSIDY" batch "$f" -o "$WORK/subsidy.jsonl" --rules "$WORK/subset" --quiet --threads 1
  /usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]): r = json.loads(l); print(r["id"] + "\t" + r["total"])' "$WORK/subsidy.jsonl" > "$WORK/subsidy.tsv"
  node "$HERE/peers/jsonlogic.js" "$f" "$WORK/jsonlogic.tsv"
  node "$HERE/peers/rulesengine.js" "$f" "$WORK/rulesengine.tsv"
  node "$HERE/peers/zen.js" "$f" "$WORK/zen.tsv"
  for peer in jsonlogic rulesengine zen; do
    if ! cmp -s "$WORK/subsidy.tsv" "$WORK/$peer.tsv"; then
      echo "MISMATCH: subsidy and $peer award differently (diff $WORK/subsidy.tsv $WORK/$peer.tsv); no ratios" >&2
      exit 1
    fi
  done
  echo "awards identical to the fen for all $PEER_N profiles (subsidy, json-logic-js, json-rules-engine, ZEN)"
  row subset "subsidy subset 1 thread" "$PEER_N" "$SUBSIDY" batch "$f" -o "$WORK/subsidy.jsonl" --rules "$WORK/subset" --quiet --threads 1
  row jsonlogic "json-logic-js" "$PEER_N" node "$HERE/peers/jsonlogic.js" "$f" "$WORK/jsonlogic.tsv"
  row rulesengine "json-rules-engine" "$PEER_N" node "$HERE/peers/rulesengine.js" "$f" "$WORK/rulesengine.tsv"
  row zen "ZEN evaluateExpressionSync" "$PEER_N" node "$HERE/peers/zen.js" "$f" "$WORK/zen.tsv"
  awk '{ sec[$1] = $3; cpu[$1] = $5 } END {
    printf "end to end, same file and rules: %.1fx json-logic-js (target >= 5x), %.1fx ZEN (target >= 10x), %.1fx json-rules-engine\n",
      sec["jsonlogic"] / sec["subset"], sec["zen"] / sec["subset"], sec["rulesengine"] / sec["subset"]
    printf "by CPU time: %.1fx json-logic-js, %.1fx ZEN, %.1fx json-rules-engine\n",
      cpu["jsonlogic"] / cpu["subset"], cpu["zen"] / cpu["subset"], cpu["rulesengine"] / cpu["subset"] }' "$WORK/results.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
