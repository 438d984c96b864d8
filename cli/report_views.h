#pragma once
// Views of a report that some formats need beyond what the engine gives.
#include <string>
#include <vector>

#include "cli/options.h"
#include "libpolicy/engine.h"
#include "libpolicy/report/junit.h"

namespace policy::cli {

// A copy whose files are relative to `root` (SARIF's %SRCROOT%); files outside
// it, and standard input, keep their names.
Report RebasedOn(const Report& report, const std::string& root);

// The (rule, file) pairs that ran: every active rule whose target is the
// input's kind (and, for `records(S)`, whose schema the input binds to, by the
// configuration or by the file's stem as the engine does).
std::vector<report::JunitInput> JunitInputs(const std::vector<Input>& inputs,
                                            const std::vector<RuleInfo>& rules,
                                            const Options& options);

// `PATH:LINE:COL: warning: unused suppression ...` lines for --verbose.
std::string FormatUnusedSuppressions(const Report& report);

}  // namespace policy::cli
