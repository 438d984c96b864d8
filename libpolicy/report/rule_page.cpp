// A rule's page: docs/rules/RULE-ID.md, SARIF help.markdown and
// `explain RULE-ID -f markdown` are this one text, so they cannot disagree.
#include "libpolicy/report.h"
#include "libpolicy/report/security.h"

namespace policy::report {
namespace {

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) out += (out.empty() ? "`" : ", `") + t + "`";
  return out.empty() ? "none" : out;
}

}  // namespace

std::string FormatRulePage(const RuleInfo& rule) {
  std::string out = "# " + rule.id;
  if (!rule.title.empty()) out += ": " + rule.title;
  out += "\n\n";
  out += "* Severity: " + std::string(SeverityName(rule.severity)) + "\n";
  if (!rule.target.empty()) out += "* Target: " + rule.target + "\n";
  out += "* Tags: " + JoinTags(rule.tags) + "\n";
  SecurityClass security = ClassifySecurity(rule);
  if (security.security) {
    out += "* Security: yes";
    if (!security.severity.empty()) out += " (security-severity " + security.severity + ")";
    out += "\n";
  }
  if (!rule.doc.empty()) out += "\n## Why\n\n" + rule.doc + "\n";
  if (!rule.remedy.empty()) out += "\n## How to fix\n\n" + rule.remedy + "\n";
  out += "\n`policy-check explain " + rule.id +
         "` also shows the rule's params and an example finding.\n";
  return out;
}

}  // namespace policy::report
