#!/usr/bin/env bash
# Builds the libFuzzer targets with Clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60), starting from the repository's own inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
command -v clang++ >/dev/null || { echo "fuzz.sh needs clang++ (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=true
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DPOLICY_FUZZ=ON -DPOLICY_SANITIZE=ON -DPOLICY_BUILD_TESTS=OFF \
  -DPOLICY_BUILD_CLI=OFF -DPOLICY_BUILD_PYTHON=OFF >/dev/null
cmake --build build-fuzz --target fuzz_rules fuzz_yaml fuzz_json fuzz_records
seconds=${FUZZ_SECONDS:-60}
seed() {  # a corpus directory per target, seeded from files of the repository
  local dir=build-fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" ; done
  echo "$dir"
}
run() {
  local target=$1 corpus=$2
  echo "== $target ($seconds s)"
  mkdir -p build-fuzz/artifacts
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix=build-fuzz/artifacts/ "$corpus"
}
run fuzz_rules "$(seed rules rules/*/*.policy examples/rules/*.policy tests/cases/*/rules.policy)"
run fuzz_yaml "$(seed yaml examples/*.yaml examples/erp/*.yml rules/readiness/tests/*.yaml)"
run fuzz_json "$(seed json tests/cases/*/*.json)"
run fuzz_records "$(seed records examples/*.csv examples/data/*.csv examples/data/*.jsonl)"
