// GitLab Code Quality: the JSON artifact (`artifacts: reports: codequality`)
// the merge-request widget reads.
#include <map>
#include <nlohmann/json.hpp>

#include "libpolicy/report.h"
#include "libpolicy/report/security.h"
#include "libpolicy/sha256.h"

namespace policy::report {
namespace {

using Json = nlohmann::ordered_json;

const char* CodeQualitySeverity(Severity severity, bool security) {
  switch (severity) {
    case Severity::kError:
      return security ? "critical" : "major";
    case Severity::kWarning:
      return "minor";
    case Severity::kInfo:
      return "info";
  }
  return "major";
}

Json Issue(const std::string& description, const std::string& check, const std::string& severity,
           const std::string& identity, const std::string& file, uint32_t line) {
  Json j;
  j["description"] = description;
  j["check_name"] = check;
  // GitLab compares fingerprints across pipelines and wants them unique.
  j["fingerprint"] = Sha256::HexPrefix(identity, 32);
  j["severity"] = severity;
  j["location"] = Json{{"path", file}, {"lines", Json{{"begin", line ? line : 1}}}};
  return j;
}

}  // namespace

std::string FormatCodeQuality(const Report& report, const Context& ctx) {
  std::map<std::string, bool> security;
  for (const RuleInfo& r : ctx.rules) security[r.id] = ClassifySecurity(r).security;
  Json issues = Json::array();
  for (const Finding& f : report.findings) {
    if (f.suppressed != Suppression::kNone) continue;
    auto it = security.find(f.rule);
    const bool is_security = it != security.end() && it->second;
    // The finding's own fingerprint is stable under edits elsewhere in the file;
    // the rule and file make it unique in the artifact.
    std::string identity =
        f.rule + "\n" + f.file + "\n" +
        (f.fingerprint.empty() ? f.message + "\n" + std::to_string(f.line) : f.fingerprint);
    issues.push_back(Issue(f.message + " [" + f.rule + "]", f.rule,
                           CodeQualitySeverity(EffectiveSeverity(f), is_security), identity, f.file,
                           f.line));
  }
  for (const Problem& p : report.problems) {
    if (p.warning) continue;  // not judged is not a quality issue
    std::string check = "policy-check/" + (p.code.empty() ? std::string("input") : p.code);
    issues.push_back(Issue(p.message, check, "blocker", check + "\n" + p.file + "\n" + p.message,
                           p.file, p.line));
  }
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace policy::report
