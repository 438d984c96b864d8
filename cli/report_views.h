#pragma once
// Views of a report that some formats need beyond what the engine gives.
#include <string>
#include <vector>

#include "cli/options.h"
#include "libpolicy/engine.h"

namespace policy::cli {

// A copy whose files are relative to `root` (SARIF's %SRCROOT%); files outside
// it, and standard input, keep their names.
Report RebasedOn(const Report& report, const std::string& root);

// `PATH:LINE:COL: warning: unused suppression ...` lines for --verbose.
std::string FormatUnusedSuppressions(const Report& report);

}  // namespace policy::cli
