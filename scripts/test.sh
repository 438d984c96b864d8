#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs every test; then
# (unless POLICY_QUICK=1) builds and runs the tests again under ASan + UBSan, and
# runs policy-check built with ThreadSanitizer on parallel record and compose checks.
# POLICY_WITH_STATIC=1 also builds the portable binary (build-static/) and tests it
# and its OCI image.
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
if [ "${POLICY_WITH_STATIC:-0}" = 1 ]; then
  # The portable binary and its OCI image: a second build of the library (mostly
  # ccache hits after the Release build), policy-check only.
  echo "== Static build: the portable binary and the OCI image =="
  BUILD_DIR=build-static POLICY_BUILD_TARGET=policy-check ./scripts/build.sh -DPOLICY_WERROR=ON -DPOLICY_STATIC=ON
  (cd build-static && ctest --output-on-failure -L 'package:(static|image)' --timeout 300)
fi
cd build && ctest --output-on-failure -j "$(nproc)" --timeout 300
