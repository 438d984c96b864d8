#!/usr/bin/env bash
# Runs a ThreadSanitizer build of policy-check with 2 jobs on what it checks in
# parallel: record files (chunks checked by workers, merged in file order), one
# with an input error half-way, and a directory of compose files. Any data race
# fails the run. Usage: scripts/tsan_check.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$1/cli/policy-check"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benchmarks/gen_bd_invoices.py 20000 "$work/invoices.csv"
python3 benchmarks/gen_bd_invoices.py 20000 "$work/invoices.jsonl" --jsonl
mkdir "$work/bad"
head -10000 "$work/invoices.csv" > "$work/bad/invoices.csv"
printf '"unterminated,x\n' >> "$work/bad/invoices.csv"
tail -5000 "$work/invoices.csv" >> "$work/bad/invoices.csv"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
run() {
  local rc=0
  "$bin" --jobs 2 "$@" -f json -o "$work/out.json" >/dev/null 2>"$work/err" || rc=$?
  if [ "$rc" -gt 2 ]; then
    cat "$work/err" >&2
    echo "tsan_check: policy-check $* exited with $rc" >&2
    exit 1
  fi
}
run --no-builtin --rules rules/bd "$work/invoices.csv"
run --no-builtin --rules rules/bd "$work/invoices.jsonl"
run --no-builtin --rules rules/bd "$work/bad/invoices.csv"
run ../shared/corpus/awesome-compose
run examples
echo "tsan_check: no data race in 5 runs with 2 jobs"
