#pragma once
// From a report to the process exit code (CLI.md "Exit codes").
#include <vector>

#include "cli/options.h"
#include "libpolicy/engine.h"
#include "libpolicy/finding.h"

namespace policy::cli {

// 2 when a problem is not a warning, else 1 when an unsuppressed finding is at
// or above `fail_on`, else 0.
int ExitCode(const Report& report, FailOn fail_on);

}  // namespace policy::cli
