// What GitHub code scanning and GitLab read beyond the basics: rule help pages,
// security classification, Code Quality issues and JUnit under --fail-on.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "libpolicy/report.h"

namespace {

using policy::Finding;
using policy::RuleInfo;
using policy::Severity;

RuleInfo Rule(const std::string& id, Severity severity, std::vector<std::string> tags,
              const std::string& file = "builtin:readiness/x.policy") {
  RuleInfo r;
  r.id = id;
  r.title = id + " title";
  r.severity = severity;
  r.tags = std::move(tags);
  r.file = file;
  r.remedy = "Fix it.";
  r.doc = "Why it matters.";
  r.target = "compose";
  return r;
}

Finding At(const std::string& rule, Severity severity, const std::string& file, uint32_t line) {
  Finding f;
  f.rule = rule;
  f.severity = severity;
  f.file = file;
  f.line = line;
  f.column = 1;
  f.message = rule + " message";
  f.fingerprint = "00112233445566" + std::to_string(line);
  return f;
}

policy::report::Context Ctx() {
  policy::report::Context ctx;
  ctx.tool_version = "9.8.7";  // any version: the formats copy it
  ctx.rules = {Rule("RDY-IMG-001", Severity::kWarning, {"area_image"}),
               Rule("RDY-PRV-001", Severity::kError, {"area_privileges"}),
               Rule("RDY-SEC-001", Severity::kError, {"area_secrets", "secret"}),
               Rule("RDY-SEC-006", Severity::kInfo, {"area_secrets"}),
               Rule("MY-001", Severity::kError, {"secret"}, "policy/mine.policy")};
  return ctx;
}

nlohmann::json RuleById(const nlohmann::json& rules, const std::string& id) {
  for (const auto& r : rules)
    if (r["id"] == id) return r;
  return {};
}

}  // namespace

TEST_CASE("sarif: helpUri for built-in rules, help.markdown, security tags and severities") {
  auto doc = nlohmann::json::parse(policy::report::FormatSarif(policy::Report{}, Ctx()));
  const auto& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  auto sec = RuleById(rules, "RDY-SEC-001");
  CHECK(sec["helpUri"] == std::string(policy::report::kRuleDocsUrl) + "RDY-SEC-001.md");
  CHECK(sec["help"]["markdown"] == policy::report::FormatRulePage(Ctx().rules[2]));
  CHECK(sec["properties"]["security-severity"] == "9.0");
  CHECK(sec["properties"]["tags"].back() == "security");
  CHECK(RuleById(rules, "RDY-PRV-001")["properties"]["security-severity"] == "8.0");
  CHECK(RuleById(rules, "RDY-SEC-006")["properties"]["security-severity"] == "4.0");
  auto img = RuleById(rules, "RDY-IMG-001");
  CHECK_FALSE(img["properties"].contains("security-severity"));
  CHECK(img["properties"]["tags"] == nlohmann::json::array({"area_image"}));
  // A rule of the user's own has no page in docs/rules/.
  auto mine = RuleById(rules, "MY-001");
  CHECK_FALSE(mine.contains("helpUri"));
  CHECK(mine["properties"]["security-severity"] == "9.0");
  policy::report::Context no_docs = Ctx();
  no_docs.rule_docs_url.clear();
  auto bare = nlohmann::json::parse(policy::report::FormatSarif(policy::Report{}, no_docs));
  CHECK_FALSE(
      RuleById(bare["runs"][0]["tool"]["driver"]["rules"], "RDY-SEC-001").contains("helpUri"));
}

TEST_CASE("rule page: title, severity, tags, security, why and how to fix") {
  std::string page = policy::report::FormatRulePage(Ctx().rules[1]);
  CHECK(page.rfind("# RDY-PRV-001: RDY-PRV-001 title\n\n* Severity: error\n", 0) == 0);
  CHECK(page.find("* Security: yes (security-severity 8.0)\n") != std::string::npos);
  CHECK(page.find("## Why\n\nWhy it matters.\n") != std::string::npos);
  CHECK(page.find("## How to fix\n\nFix it.\n") != std::string::npos);
  CHECK(policy::report::FormatRulePage(Ctx().rules[0]).find("Security") == std::string::npos);
}

TEST_CASE("codequality: one issue per unsuppressed finding and input error") {
  policy::Report report;
  report.findings = {At("RDY-IMG-001", Severity::kWarning, "a/compose.yaml", 3),
                     At("RDY-SEC-001", Severity::kError, "a/compose.yaml", 5),
                     At("RDY-PRV-001", Severity::kError, "b.yaml", 0),
                     At("RDY-SEC-006", Severity::kInfo, "b.yaml", 2)};
  report.findings.push_back(At("RDY-SEC-001", Severity::kError, "c.yaml", 9));
  report.findings.back().suppressed = policy::Suppression::kInline;
  report.problems.push_back({"broken.yaml", 4, 2, "did not parse", false, "input.syntax"});
  report.problems.push_back({"plain.yaml", 0, 0, "no rule applies", true, "input.no_rule"});
  auto issues = nlohmann::json::parse(policy::report::FormatCodeQuality(report, Ctx()));
  REQUIRE(issues.size() == 5);
  CHECK(issues[0]["check_name"] == "RDY-IMG-001");
  CHECK(issues[0]["severity"] == "minor");
  CHECK(issues[0]["description"] == "RDY-IMG-001 message [RDY-IMG-001]");
  CHECK(issues[0]["location"]["path"] == "a/compose.yaml");
  CHECK(issues[0]["location"]["lines"]["begin"] == 3);
  CHECK(issues[1]["severity"] == "critical");  // an error of a security rule
  CHECK(issues[2]["severity"] == "critical");
  CHECK(issues[2]["location"]["lines"]["begin"] == 1);  // GitLab needs a line
  CHECK(issues[3]["severity"] == "info");
  CHECK(issues[4]["check_name"] == "policy-check/input.syntax");
  CHECK(issues[4]["severity"] == "blocker");
  std::set<std::string> fingerprints;
  for (const auto& i : issues) fingerprints.insert(i["fingerprint"].get<std::string>());
  CHECK(fingerprints.size() == issues.size());
  CHECK(issues[0]["fingerprint"].get<std::string>().size() == 32);
  CHECK(policy::report::FormatCodeQuality(policy::Report{}, Ctx()) == "[]\n");
}

TEST_CASE("junit: findings below --fail-on pass, listed in system-out") {
  policy::Report report;
  report.findings = {At("RDY-IMG-001", Severity::kWarning, "compose.yaml", 3),
                     At("RDY-SEC-001", Severity::kError, "compose.yaml", 5)};
  policy::InputSummary in;
  in.file = "compose.yaml";
  in.kind = "compose";
  in.checked = true;
  in.rules = {"RDY-IMG-001", "RDY-SEC-001"};
  report.inputs = {in};
  policy::report::Context ctx = Ctx();
  ctx.fail_at = Severity::kError;
  std::string xml = policy::report::FormatJunit(report, ctx);
  CHECK(xml.find("failures=\"1\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"RDY-IMG-001\" classname=\"compose.yaml\">\n      "
                 "<system-out>compose.yaml:3:1: warning: RDY-IMG-001 message "
                 "[RDY-IMG-001]\n</system-out>") != std::string::npos);
  ctx.fail_at = Severity::kWarning;
  CHECK(policy::report::FormatJunit(report, ctx).find("failures=\"2\"") != std::string::npos);
  ctx.fail_at = std::nullopt;
  std::string never = policy::report::FormatJunit(report, ctx);
  CHECK(never.find("<failure") == std::string::npos);
  CHECK(never.find("RDY-SEC-001 message") != std::string::npos);
}

TEST_CASE("sarif: a run that failed before checking is notifications, not results") {
  policy::Report report;
  report.problems.push_back(
      {"rules/x.policy", 3, 7, "unknown function 'foo'", false, "name.unknown_function"});
  auto doc = nlohmann::json::parse(policy::report::FormatSarif(report, policy::report::Context{}));
  const auto& inv = doc["runs"][0]["invocations"][0];
  CHECK(inv["executionSuccessful"] == false);
  CHECK(inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "name.unknown_function");
  CHECK(doc["runs"][0]["results"].empty());
}
