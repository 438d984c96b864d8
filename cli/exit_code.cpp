#include "cli/exit_code.h"

#include <algorithm>

#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/report.h"

namespace policy::cli {
namespace {

// Severities ordered from the most severe: error 0, warning 1, info 2.
int Rank(Severity s) { return static_cast<int>(s); }

}  // namespace

bool IsInternalProblem(const Problem& problem) {
  const std::string& m = problem.message;
  return m.rfind("internal error", 0) == 0 || m.find("out of memory") != std::string::npos;
}

bool IsInternalDiagnostic(const Diagnostic& diagnostic) {
  const std::string& code = diagnostic.code;
  return code == NameOf(DiagCode::kInternal) || code == NameOf(DiagCode::kSyntaxInternal);
}

int ExitCode(const Report& report, FailOn fail_on) {
  for (const Problem& p : report.problems) {
    if (IsInternalProblem(p)) return 3;
  }
  for (const Problem& p : report.problems) {
    if (!p.warning) return 2;
  }
  if (fail_on == FailOn::kNever) return 0;
  Severity threshold = fail_on == FailOn::kError     ? Severity::kError
                       : fail_on == FailOn::kWarning ? Severity::kWarning
                                                     : Severity::kInfo;
  for (const Finding& f : report.findings) {
    if (f.suppressed != Suppression::kNone) continue;
    if (Rank(report::EffectiveSeverity(f)) <= Rank(threshold)) return 1;
  }
  return 0;
}

}  // namespace policy::cli
