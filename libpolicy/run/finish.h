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
// A finding that already has a fingerprint (FingerprintNow) keeps it.
void FinishFindings(InputResult& result, const std::string& repo_root, std::vector<Finding>& out);

// `path` as fingerprints name it: relative to `root` ("" = the working
// directory) with `/`, or as given when it is outside.
std::string RelativeToRoot(const std::string& path, const std::string& root);

// Gives `p` its fingerprint now, `rel` being RelativeToRoot(p.finding.file),
// and lets go of the text it hashes (a record's canonical JSON): a million
// record findings then keep 16 hex digits each until FinishFindings numbers
// the repeats, not a copy of each record.
void FingerprintNow(eval::PendingFinding& p, const std::string& rel);

}  // namespace policy::run
