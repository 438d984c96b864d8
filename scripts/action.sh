#!/usr/bin/env bash
# The script of action.yml: runs policy-check with the action's inputs, as the
# runner passes them (INPUT_PATHS, INPUT_FORMAT, INPUT_FAIL_ON, INPUT_ARGS,
# INPUT_SARIF_FILE), and writes the output `sarif-file` to $GITHUB_OUTPUT.
# The exit code is policy-check's: 1 fails the step on findings at or above
# fail-on, 2 on a usage, rule or input error (the SARIF file is written anyway).
#
# The binary: $POLICY_CHECK, else policy-check on PATH, else built from this
# checkout by hooks/policy-check-hook (which says so on stderr first).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
format="${INPUT_FORMAT:-sarif}"
fail_on="${INPUT_FAIL_ON:-error}"
sarif_file="${INPUT_SARIF_FILE:-policy-check.sarif}"
# Blank- or newline-separated lists, as a `with:` block writes them.
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true
[ ${#paths[@]} -eq 0 ] && paths=(.)

args=(-f "$format" --fail-on "$fail_on")
if [ "$format" = sarif ]; then
  mkdir -p "$(dirname "$sarif_file")"
  args+=(-o "$sarif_file")
fi
status=0
"$here/hooks/policy-check-hook" "${args[@]}" ${extra[@]+"${extra[@]}"} -- "${paths[@]}" || status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  if [ "$format" = sarif ] && [ -f "$sarif_file" ]; then
    echo "sarif-file=$sarif_file" >>"$GITHUB_OUTPUT"
  else
    echo "sarif-file=" >>"$GITHUB_OUTPUT"
  fi
fi
exit "$status"
