#!/usr/bin/env bash
# Builds the libFuzzer targets with Clang (ASan + UBSan, the library itself
# instrumented for coverage) and runs each for FUZZ_SECONDS (default 60),
# starting from the repository's own inputs. FUZZ_TARGETS picks some
# ("fuzz_yaml fuzz_glob"); the default is all. Prints each target's edges
# (cov) and executions; crashes are left in build-fuzz/artifacts/ and belong
# in the ordinary tests as regression inputs (see
# tests/unit/load/yaml_fuzz_regressions_test.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
command -v clang++ >/dev/null || { echo "fuzz.sh needs clang++ (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=true
all_targets="fuzz_rules fuzz_yaml fuzz_json fuzz_records fuzz_compose_rules fuzz_reports fuzz_dotenv
  fuzz_unique_log fuzz_config fuzz_glob"
targets=${FUZZ_TARGETS:-$all_targets}
# The command's library is built too (fuzz_config, fuzz_glob); not the command.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DPOLICY_FUZZ=ON -DPOLICY_SANITIZE=ON -DPOLICY_BUILD_TESTS=OFF \
  -DPOLICY_BUILD_CLI=ON -DPOLICY_BUILD_PYTHON=OFF >/dev/null
# shellcheck disable=SC2086
cmake --build build-fuzz --target $targets
seconds=${FUZZ_SECONDS:-60}
seed() {  # a corpus directory per target, seeded from files of the repository
  local dir=build-fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" ; done
  echo "$dir"
}
run() {
  local target=$1 corpus=$2
  case " $targets " in *" $target "*) ;; *) return 0 ;; esac
  echo "== $target ($seconds s)"
  mkdir -p build-fuzz/artifacts build-fuzz/logs
  local log=build-fuzz/logs/$target.log status=0
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target-" "$corpus" \
    >"$log" 2>&1 || status=$?
  # The last status line ("#N DONE cov: EDGES ft: ... corp: ...") and the executions.
  grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" || true
  if [ "$status" != 0 ]; then
    echo "$target FAILED (exit $status); see $log and build-fuzz/artifacts/" >&2
    grep -m5 -E 'ERROR|SUMMARY|deadly signal' "$log" >&2 || true
    failed=1
  fi
}
failed=0
run fuzz_rules "$(seed rules rules/*/*.policy examples/rules/*.policy tests/cases/*/rules.policy)"
run fuzz_yaml "$(seed yaml examples/*.yaml examples/erp/*.yml rules/readiness/tests/*.yaml)"
run fuzz_json "$(seed json tests/cases/*/*.json)"
run fuzz_records "$(seed records examples/*.csv examples/data/*.csv examples/data/*.jsonl)"
run fuzz_compose_rules "$(seed compose_rules examples/*.yaml examples/erp/*.yml rules/readiness/tests/*.yaml)"
run fuzz_reports "$(seed reports tests/hostile/*)"
run fuzz_dotenv "$(seed dotenv rules/readiness/tests/*.env tests/fuzz_regressions/dotenv/*)"
run fuzz_unique_log "$(seed unique_log)"
run fuzz_config "$(seed config tests/unit/cli/data/configured/.policy-check.yaml)"
glob_corpus=$(seed glob)
printf 'examples/bad/**\nexamples/bad/a/b.yaml' >"$glob_corpus/double-star"
printf 'a/**/b/**/[!x]?.y*ml\na/b/c/b/d/xy.yaml' >"$glob_corpus/classes"
run fuzz_glob "$glob_corpus"
exit "$failed"
