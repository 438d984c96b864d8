#pragma once
// From a report to the process exit code (CLI.md "Exit codes").
#include <vector>

#include "cli/options.h"
#include "libpolicy/engine.h"
#include "libpolicy/finding.h"

namespace policy::cli {

// 3 when a problem is an internal error (out of memory included), else 2 when
// a problem is not a warning, else 1 when an unsuppressed finding is at or
// above `fail_on`, else 0.
int ExitCode(const Report& report, FailOn fail_on);

// Problems and diagnostics the library reports for its own failures (a bug,
// an exhausted allocator) rather than for the input or the rules: exit 3.
bool IsInternalProblem(const Problem& problem);
bool IsInternalDiagnostic(const Diagnostic& diagnostic);

}  // namespace policy::cli
