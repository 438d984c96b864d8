#!/usr/bin/env bash
# Benchmarks, end to end: builds Release with the Google benchmarks, generates
# the invoice data once into $BUILD_DIR/bench-data/, times whole policy-check
# processes with /usr/bin/time, runs the per-stage benchmarks, runs the peer
# tools on the same inputs, and prints a table of wall times and ratios.
#
#   scripts/bench.sh                  everything
#   BENCH_SKIP_GBENCH=1 scripts/bench.sh   no Google benchmarks (the slow part)
#   BENCH_SKIP_PEERS=1  scripts/bench.sh   no pandas / dclint / ajv
#   BENCH_FILTER=Split  scripts/bench.sh   --benchmark_filter for the Google benchmarks
#
# Peers are optional: each is installed when missing (pandas from Debian,
# dclint and ajv from npm into $BUILD_DIR/node_modules) and skipped with a
# message when that fails. Results land in $BUILD_DIR/bench-out/.
#
# Read the table with its caveats: every tool does a different amount of work.
# raw_split only splits fields; the python csv pass only splits; pandas checks
# the same seven rules but has no locations or messages; ajv checks 3 of the 7
# rules (what JSON Schema can say) plus uniqueness by hand; dclint runs its own
# rule set, not ours. The machine has 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
build=$root/$BUILD_DIR
data=$build/bench-data
out=$build/bench-out
corpus=../shared/corpus/awesome-compose
rules=benchmarks/rules
compose39=benchmarks/data/compose-39.yaml

say() { printf '\n== %s\n' "$*"; }

mkdir -p "$out"
say "Build (Release, benchmarks on) into $BUILD_DIR (log: $out/build.log)"
if ! BUILD_DIR=$BUILD_DIR ./scripts/build.sh -DPOLICY_BUILD_BENCHMARKS=ON >"$out/build.log" 2>&1; then
  grep -E 'FAILED|error' "$out/build.log" | head -n 20 >&2
  echo "build failed" >&2
  exit 2
fi

say "Data into $data (generated once)"
cmake --build "$build" --target bench-data >>"$out/build.log" 2>&1 || { echo "data generation failed" >&2; exit 2; }
csv1m=$data/1m/invoices.csv
jsonl1m=$data/1m/invoices.jsonl
python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print("  planted faults in 1M rows:", c["faults"])' \
  "$data/1m/counts.json"

if ! [ -x /usr/bin/time ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 || true
fi

# Results: one line per measurement in $out/results.tsv: group, tool, wall
# seconds, KB, note, CPU seconds (user + system: less sensitive than wall time
# to other work on the machine, which has 2 cores).
results=$out/results.tsv
: >"$results"

# timed GROUP TOOL NOTE -- COMMAND...: runs COMMAND under /usr/bin/time with its
# output in $out/GROUP.TOOL.log. Exit codes 0 and 1 (findings) count as success.
timed() {
  local group=$1 tool=$2 note=$3
  shift 4
  local log=$out/$group.$(echo "$tool" | tr ' /' '__').log
  local tf
  tf=$(mktemp)
  # Wall time from the clock in nanoseconds: /usr/bin/time's %e has 10 ms steps,
  # too coarse for the compose runs. It keeps peak RSS and CPU time.
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%e %M %U %S" -o "$tf" "$@" >"$log" 2>&1
  local status=$?
  t1=$(date +%s%N)
  if [ "$status" -gt 1 ]; then
    echo "  $tool: exit $status (see $log)"
    tail -n 3 "$log" | sed 's/^/    /'
    rm -f "$tf"
    return 1
  fi
  local secs kb user sys cpu nrules
  read -r secs kb user sys < <(tail -n 1 "$tf")
  rm -f "$tf"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  # policy-check's summary line says how many rules were loaded: none is no figure.
  nrules=$(grep -oE '\([0-9]+ rules' "$log" | tail -n 1 | tr -d '(')
  [ -n "$nrules" ] && note="$note; $nrules loaded"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$tool" "$secs" "$kb" "$note" "$cpu" >>"$results"
  printf '  %-28s %8s s wall %8s s CPU %9s KB   %s\n' "$tool" "$secs" "$cpu" "$kb" "$note"
}

bin=$build/cli/policy-check
say "Whole process: policy-check"
if [ -x "$bin" ]; then
  timed compose39 "policy-check" "benchmarks/rules (6 compose rules)" -- \
    "$bin" --no-builtin --rules "$rules" --kind compose "$compose39"
  timed compose39 "policy-check builtin" "built-in packs" -- "$bin" --kind compose "$compose39"
  projects=$(ls -d "$corpus"/*/ | wc -l)
  timed corpus "policy-check" "benchmarks/rules, $projects projects" -- \
    "$bin" --no-builtin --rules "$rules" "$corpus"
  timed corpus "policy-check builtin" "built-in packs, $projects projects" -- "$bin" "$corpus"
  timed csv1m "policy-check" "11 fields, 7 rules, all cores" -- \
    "$bin" --no-builtin --rules "$rules" "$csv1m"
  timed csv1m "policy-check --jobs 1" "one worker" -- \
    "$bin" --no-builtin --rules "$rules" --jobs 1 "$csv1m"
  timed jsonl1m "policy-check" "11 fields, 7 rules, all cores" -- \
    "$bin" --no-builtin --rules "$rules" "$jsonl1m"
  # The summary names every rule's failure count; compare with the planted faults.
  "$bin" --no-builtin --rules "$rules" -f json -o "$out/csv1m.report.json" "$csv1m" >/dev/null 2>&1
  python3 - "$out/csv1m.report.json" "$data/1m/counts.json" <<'EOF' || true
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except Exception as e:
    sys.exit(f"  no JSON report: {e}")
want = json.load(open(sys.argv[2]))["expected_findings"]
got = {r: c.get("failed") for r, c in report.get("summary", {}).get("by_rule", {}).items()}
bad = {r: (got.get(r), n) for r, n in want.items() if got.get(r) != n}
print("  findings match counts.json" if not bad else f"  MISMATCH (got, planted): {bad}")
EOF

  # The Bangladesh pack: every rule of rules/bd/ on a million Mushak-6.3 invoices.
  bd_csv=$data/bd-1m/invoices.csv
  bd_jsonl=$data/bd-1m/invoices.jsonl
  timed bd1m "policy-check" "bd pack, CSV, all cores" -- \
    "$bin" --no-builtin --rules rules/bd -f json -o "$out/bd-csv.report.json" "$bd_csv"
  timed bd1m "policy-check --jobs 1" "bd pack, CSV, one worker" -- \
    "$bin" --no-builtin --rules rules/bd --jobs 1 -f json -o /dev/null "$bd_csv"
  timed bd1m-jsonl "policy-check" "bd pack, JSON Lines, all cores" -- \
    "$bin" --no-builtin --rules rules/bd -f json -o "$out/bd-jsonl.report.json" "$bd_jsonl"
  for report in "$out/bd-csv.report.json" "$out/bd-jsonl.report.json"; do
    python3 - "$report" "$data/bd-1m/faults.json" <<'EOF' || true
import json, sys
report = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))["findings"]
got = {r: c.get("failed") for r, c in report.get("summary", {}).get("by_rule", {}).items()}
bad = {r: (got.get(r, 0), want.get(r, 0)) for r in set(want) | set(got)
       if r != "SCHEMA" and got.get(r, 0) != want.get(r, 0)}
name = sys.argv[1].rsplit("/", 1)[-1]
print(f"  {name}: findings match faults.json" if not bad else f"  {name}: MISMATCH (got, planted): {bad}")
EOF
  done
else
  echo "  $bin not built: skipping the whole-process timings"
fi

say "Floors: field splitting without rules (1M rows)"
timed csv1m "raw_split (C++)" "RFC 4180 splitting only, 1 thread" -- "$build/benchmarks/raw_split" "$csv1m"
timed csv1m "python csv.reader" "splitting only, CPython csv module" -- \
  python3 -c 'import csv,sys
n=0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f): n += 1
print(n)' "$csv1m"

if [ "${BENCH_SKIP_PEERS:-0}" != 1 ]; then
  say "Peer: pandas (read_csv + the 7 checks vectorised)"
  pandas_py=/usr/bin/python3
  if ! "$pandas_py" -c 'import pandas' 2>/dev/null; then
    echo "  installing python3-pandas from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pandas >/dev/null 2>&1
  fi
  if "$pandas_py" -c 'import pandas' 2>/dev/null; then
    timed csv1m "pandas $("$pandas_py" -c 'import pandas; print(pandas.__version__)')" "7 checks, no locations" -- \
      "$pandas_py" benchmarks/compare/pandas_check.py "$csv1m" "$data/1m/counts.json"
    grep -E 'read_csv=|matches|MISMATCH' "$out"/csv1m.pandas*.log | sed 's/^[^:]*:/  /'
  else
    echo "  pandas unavailable: skipped"
  fi

  say "Peers from npm (into $BUILD_DIR/node_modules)"
  nm=$build/node_modules
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "  node/npm not installed: dclint and ajv skipped"
  else
    [ -x "$nm/.bin/dclint" ] || npm install --prefix "$build" --no-audit --no-fund dclint >/dev/null 2>&1 ||
      echo "  npm install dclint failed"
    [ -d "$nm/ajv" ] || npm install --prefix "$build" --no-audit --no-fund ajv >/dev/null 2>&1 ||
      echo "  npm install ajv failed"
    if [ -x "$nm/.bin/dclint" ]; then
      v=$("$nm/.bin/dclint" --version 2>/dev/null)
      timed compose39 "dclint $v" "its own rules; Node start-up included" -- "$nm/.bin/dclint" -f json "$compose39"
      timed corpus "dclint $v" "its own rules, -r" -- "$nm/.bin/dclint" -r -f json "$corpus"
    else
      echo "  dclint unavailable: skipped"
    fi
    if [ -d "$nm/ajv" ]; then
      v=$(node -p "require('$nm/ajv/package.json').version")
      timed jsonl1m "ajv $v" "3 of 7 rules (formats) + Set for duplicates" -- \
        env NODE_PATH="$nm" node benchmarks/compare/ajv_check.js "$jsonl1m"
    else
      echo "  ajv unavailable: skipped"
    fi
  fi
fi

if [ "${BENCH_SKIP_GBENCH:-0}" != 1 ]; then
  say "Per-stage Google benchmarks (JSON in $out/)"
  for b in bench_parse bench_load bench_split bench_check; do
    echo "-- $b"
    POLICY_BENCH_DATA=$data "$build/benchmarks/$b" --benchmark_counters_tabular=true \
      ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"} \
      --benchmark_out="$out/$b.json" --benchmark_out_format=json || echo "  $b failed"
  done
fi

say "Summary (wall and CPU seconds, peak RSS; ratio = wall time / policy-check's on the same input; load: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$results" <<'EOF' | tee "$out/summary.txt"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
names = {"compose39": "compose-39.yaml", "corpus": "awesome-compose",
         "csv1m": "1M invoices (CSV)", "jsonl1m": "1M invoices (JSONL)",
         "bd1m": "bd pack, 1M CSV", "bd1m-jsonl": "bd pack, 1M JSONL"}
print(f"{'input':<21} {'tool':<28} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'ratio':>6}  note")
for group in ["compose39", "corpus", "csv1m", "jsonl1m", "bd1m", "bd1m-jsonl"]:
    group_rows = [r for r in rows if r[0] == group]
    base = next((float(r[2]) for r in group_rows if r[1] == "policy-check"), None)
    for g, tool, secs, kb, note, cpu in group_rows:
        ratio = f"{float(secs) / base:.1f}" if base else "-"
        print(f"{names[g]:<21} {tool:<28} {float(secs):>7.3f} {float(cpu):>7.2f} {int(kb) / 1024:>7.0f} {ratio:>6}  {note}")
EOF
