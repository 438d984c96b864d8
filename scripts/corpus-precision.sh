#!/usr/bin/env bash
# Precision per rule of the readiness pack's error findings on the external
# compose corpus, from the hand review in tests/corpus/external/REVIEW.tsv:
# correct / total error findings, per rule and overall.
#
#   scripts/corpus-precision.sh [REVIEW.tsv]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
review="${1:-$root/tests/corpus/external/REVIEW.tsv}"
# POSIX awk (mawk has no asorti): per-rule lines sorted by sort, the total last.
awk -F'\t' '
  /^#/ || $1 == "rule" || NF < 5 { next }
  { total[$1]++; all++; if ($5 == "correct") { ok[$1]++; good++ } }
  END {
    for (r in total) printf "%-12s %4d/%-4d\n", r, ok[r] + 0, total[r] | "sort"
    close("sort")
    printf "%-12s %4d/%-4d (%.1f%%)\n", "total", good, all, 100 * good / all
  }' "$review"
