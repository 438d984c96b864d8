#!/usr/bin/env bash
# Issue 15's benchmark: every BD rule, version 1 and the four opt-in
# cross-input rules of version 2, on 1M generated invoices (two fiscal years,
# four files), 100k parties and the returns, in one run (with BD-SER-002 since
# it was added). Prints wall time, CPU
# time (user + system) and peak RSS of each run:
#
#   all     every BD rule with BD-REF/RET/SER/CRN-001 and BD-SER-002 enabled (the target)
#   v1      the version-1 rules only (the opt-in ones stay off)
#   floor   --only BD-INV-002: the reading and typing of the records
#
#   benchmarks/bd_cross_input.sh [POLICY_CHECK [DATA_DIR]]
#
# POLICY_CHECK defaults to build/cli/policy-check; DATA_DIR to
# /tmp/bd_cross_input, where gen_bd_dataset.py writes the data once (about a
# minute; a directory that already holds it is reused). Reports go to
# DATA_DIR/out-*.json. Runs with the machine's cores (policy-check's default).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pc="$(realpath "${1:-$here/../build/cli/policy-check}")"
data="${2:-/tmp/bd_cross_input}"
[ -x "$pc" ] || { echo "no policy-check at $pc" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }

if [ ! -f "$data/parties.csv" ]; then
  echo "generating the data set in $data ..." >&2
  python3 "$here/gen_bd_dataset.py" "$data" --faults-json "$data/faults.json.txt" >&2
fi
# The configuration enables the opt-in rules; the v1 and floor runs name a
# config with nothing in it, so the data directory's one is not read.
cat >"$data/.policy-check.yaml" <<'YAML'
rules_config:
  BD-REF-001: { enabled: true }
  BD-RET-001: { enabled: true }
  BD-SER-001: { enabled: true }
  BD-SER-002: { enabled: true }
  BD-CRN-001: { enabled: true }
YAML
empty="$(mktemp)"
trap 'rm -f "$empty"' EXIT

run() {  # NAME ARGS...
  local name=$1
  shift
  local log="$data/time-$name.txt"
  (cd "$data" && /usr/bin/time -v "$pc" --max-findings 0 -f json -o "out-$name.json" "$@" . \
    2>"$log" >/dev/null) || true  # findings exit 1
  awk -v name="$name" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = t[n] + (n > 1 ? t[n-1] * 60 : 0) }
    /User time/ { user = $2 } /System time/ { sys = $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%-6s wall %6.2f s   cpu %6.2f s   peak %6.1f MB\n", name, wall, user + sys, rss }
  ' "$log"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run all
run v1 --config "$empty"
run floor --config "$empty" --only BD-INV-002
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
