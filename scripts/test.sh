#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs every test; then
# (unless POLICY_QUICK=1) builds and runs the tests again under ASan + UBSan, and
# runs policy-check built with ThreadSanitizer on parallel record and compose checks.
set -euo pipefail
cd "$(dirname "$0")/.."
export POLICY_WITH_TEST_TOOLS=1
BUILD_DIR=build ./scripts/build.sh -DPOLICY_WERROR=ON -DPOLICY_BUILD_BENCHMARKS=ON
if [ "${POLICY_QUICK:-0}" != 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
  BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo ./scripts/build.sh -DPOLICY_WERROR=ON -DPOLICY_SANITIZE=ON
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$(nproc)" --timeout 300)
  echo "== ThreadSanitizer: policy-check with 2 jobs =="
  BUILD_DIR=build-tsan BUILD_TYPE=RelWithDebInfo POLICY_BUILD_TARGET=policy-check \
    ./scripts/build.sh -DPOLICY_SANITIZE_THREAD=ON -DPOLICY_BUILD_TESTS=OFF
  ./scripts/tsan_check.sh build-tsan
  echo "== Release build =="
fi
cd build && ctest --output-on-failure -j "$(nproc)" --timeout 300
