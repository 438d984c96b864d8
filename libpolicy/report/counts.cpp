#include "libpolicy/report.h"

namespace policy::report {

Severity EffectiveSeverity(const Finding& f) {
  if (f.kind != FindingKind::kFinding) return Severity::kError;
  return f.severity;
}

Counts CountFindings(const Report& report) {
  Counts c;
  for (const Finding& f : report.findings) {
    if (f.suppressed == Suppression::kInline) {
      ++c.suppressed;
      continue;
    }
    if (f.suppressed == Suppression::kBaseline) {
      ++c.baselined;
      continue;
    }
    ++c.findings;
    switch (EffectiveSeverity(f)) {
      case Severity::kError:
        ++c.errors;
        break;
      case Severity::kWarning:
        ++c.warnings;
        break;
      case Severity::kInfo:
        ++c.infos;
        break;
    }
  }
  return c;
}

}  // namespace policy::report
