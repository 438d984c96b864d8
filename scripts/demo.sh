#!/usr/bin/env bash
# Installs what is missing, builds, and checks the bundled examples with policy-check:
#   1. the rule language on a compose file and an invoice sample (examples/rules),
#   2. the built-in readiness pack on a 39-service ERP stack, as a readiness matrix,
#   3. the built-in Bangladesh data pack on invoice, party and employee samples,
#   4. its cross-input rules on a data set of five files (indexes, groups, unique across files).
# Findings are expected (exit code 1); any other failure stops the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build ./scripts/build.sh >/dev/null
bin=build/cli/policy-check

run() {
  echo
  echo "\$ policy-check $*"
  local status=0
  "$bin" "$@" || status=$?
  echo "(exit code $status)"
  [ "$status" -le 1 ]
}

run --no-builtin --rules examples/rules examples/compose.yaml examples/invoices.csv
run -f markdown examples/erp/docker-compose.yml
run examples/data
run -c examples/bd-dataset/policy-check.yaml examples/bd-dataset
