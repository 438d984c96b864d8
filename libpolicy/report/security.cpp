#include "libpolicy/report/security.h"

#include <algorithm>

namespace policy::report {
namespace {

bool HasTag(const RuleInfo& rule, const char* tag) {
  return std::find(rule.tags.begin(), rule.tags.end(), tag) != rule.tags.end();
}

// A leaked credential is usable by anyone who reads the repository: critical
// when the rule is an error. A privilege a container should not have widens
// what an intruder gets: high. Lower severities score one band lower each, so
// an `info` hint never outranks a real finding in the alert list.
std::string Score(Severity severity, double error_score) {
  double score = error_score;
  if (severity == Severity::kWarning) score -= 3.0;
  if (severity == Severity::kInfo) score -= 5.0;
  std::string text = std::to_string(score);
  return text.substr(0, text.find('.') + 2);  // "9.0"
}

}  // namespace

SecurityClass ClassifySecurity(const RuleInfo& rule) {
  SecurityClass c;
  const bool secret = HasTag(rule, "area_secrets") || HasTag(rule, "secret");
  const bool privilege = HasTag(rule, "area_privileges");
  // TLS and image provenance protect the service too, but have no score: they
  // are hardening, not an exposure found in the file.
  c.security = secret || privilege || HasTag(rule, "area_tls") || HasTag(rule, "supply-chain") ||
               HasTag(rule, "security");
  if (secret) {
    c.severity = Score(rule.severity, 9.0);
  } else if (privilege) {
    c.severity = Score(rule.severity, 8.0);
  }
  return c;
}

bool IsBuiltinRule(const RuleInfo& rule) { return rule.file.rfind("builtin:", 0) == 0; }

}  // namespace policy::report
