#pragma once
// What a rule means for security, from its tags alone (docs/CLI.md "Security
// classification"): whether it is a security rule and, for the secret and
// privilege rules, the CVSS-like score GitHub code scanning sorts alerts by.
#include <string>

#include "libpolicy/engine.h"

namespace policy::report {

struct SecurityClass {
  bool security = false;  // tagged `security` in SARIF, a security issue in Code Quality
  // GitHub's `security-severity` ("9.0"): >= 9 critical, >= 7 high, >= 4 medium,
  // else low. Empty for rules that are not secret or privilege rules.
  std::string severity;
};

SecurityClass ClassifySecurity(const RuleInfo& rule);

// Whether a rule comes from the built-in packs, so that it has a page under docs/rules/.
bool IsBuiltinRule(const RuleInfo& rule);

}  // namespace policy::report
