#pragma once
// The last steps on one input's findings before they enter the report:
// inline suppressions, masking of secrets on shared source lines, and
// fingerprints (stable across runs, ":N" for repeats in a file).
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/run/input_result.h"

namespace policy::run {

// Marks findings suppressed by inline directives; a directive without a reason
// adds a SUPPRESS-001 warning, an unused one goes to `unused` (--verbose).
void ApplyDirectives(const Program& program, InputResult& result, std::vector<Problem>& unused);

// Sorts the findings, masks every secret of a finding on the source lines of
// the others at the same line, fingerprints them (paths relative to
// `repo_root`, "" = the working directory) and moves them to `out`.
void FinishFindings(InputResult& result, const std::string& repo_root, std::vector<Finding>& out);

}  // namespace policy::run
