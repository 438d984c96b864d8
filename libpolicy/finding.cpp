#include "libpolicy/finding.h"

#include <tuple>

namespace policy {

const char* FindingKindName(FindingKind k) {
  switch (k) {
    case FindingKind::kFinding:
      return "finding";
    case FindingKind::kEvaluationError:
      return "evaluation_error";
    case FindingKind::kSchema:
      return "schema";
  }
  return "finding";
}

const char* SuppressionName(Suppression s) {
  switch (s) {
    case Suppression::kNone:
      return nullptr;
    case Suppression::kInline:
      return "inline";
    case Suppression::kBaseline:
      return "baseline";
  }
  return nullptr;
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.file, a.line, a.column, a.rule, a.message, a.path) <
         std::tie(b.file, b.line, b.column, b.rule, b.message, b.path);
}

}  // namespace policy
