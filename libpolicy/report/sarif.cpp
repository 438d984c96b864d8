// SARIF 2.1.0 (CLI.md "sarif"): what GitHub code scanning and other SARIF
// viewers read. Paths in Finding::file are taken as given; the CLI rebases them
// on the git work tree's root before calling, since `%SRCROOT%` means that root.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "libpolicy/report.h"
#include "libpolicy/report/security.h"
#include "libpolicy/report/uri.h"

namespace policy::report {
namespace {

using Json = nlohmann::ordered_json;

const char* Level(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "note";
  }
  return "error";
}

Json Text(const std::string& s) { return Json{{"text", s}}; }

// GitHub shows help.markdown on the alert, links helpUri, filters by the
// `security` tag and sorts security alerts by `security-severity`.
Json RuleJson(const RuleInfo& r, const std::string& docs_url) {
  Json j;
  j["id"] = r.id;
  j["shortDescription"] = Text(r.title.empty() ? r.id : r.title);
  if (!r.doc.empty()) j["fullDescription"] = Text(r.doc);
  if (!docs_url.empty() && IsBuiltinRule(r)) j["helpUri"] = docs_url + EncodeUri(r.id) + ".md";
  std::string help = r.remedy;
  if (!r.doc.empty()) help += (help.empty() ? "" : "\n\n") + r.doc;
  if (!help.empty()) j["help"] = Json{{"text", help}, {"markdown", FormatRulePage(r)}};
  Json config;
  config["enabled"] = r.enabled;
  config["level"] = Level(r.severity);
  j["defaultConfiguration"] = std::move(config);
  SecurityClass security = ClassifySecurity(r);
  std::vector<std::string> tags = r.tags;
  if (security.security && std::find(tags.begin(), tags.end(), "security") == tags.end())
    tags.push_back("security");
  Json properties = Json::object();
  if (!tags.empty()) properties["tags"] = tags;
  if (!security.severity.empty()) properties["security-severity"] = security.severity;
  if (!properties.empty()) j["properties"] = std::move(properties);
  return j;
}

// Rules that are not in the catalogue but produce findings: SCHEMA, SUPPRESS-001.
RuleInfo SyntheticRule(const std::string& id) {
  RuleInfo r;
  r.id = id;
  if (id == "SCHEMA") {
    r.title = "Record does not match its schema";
  } else if (id == "SUPPRESS-001") {
    r.title = "Suppression without a reason";
    r.severity = Severity::kWarning;
    r.remedy = "Add `-- why` after the suppressed ids.";
  } else {
    r.title = id;
  }
  return r;
}

Json Region(uint32_t line, uint32_t column, uint32_t end_line, uint32_t end_column) {
  Json region;
  region["startLine"] = line;
  if (column) region["startColumn"] = column;
  if (end_line >= line && end_line) {
    region["endLine"] = end_line;
    // endColumn is exclusive in SARIF as in Finding; an empty region is not useful.
    if (end_column && column && (end_line > line || end_column > column)) {
      region["endColumn"] = end_column;
    }
  }
  return region;
}

Json Location(const std::string& file, uint32_t line, uint32_t column, uint32_t end_line,
              uint32_t end_column) {
  Json physical;
  physical["artifactLocation"] = Json{{"uri", EncodeUri(file)}, {"uriBaseId", "%SRCROOT%"}};
  if (line) physical["region"] = Region(line, column, end_line, end_column);
  return Json{{"physicalLocation", std::move(physical)}};
}

}  // namespace

std::string FormatSarif(const Report& report, const Context& ctx) {
  std::vector<RuleInfo> rules = ctx.rules;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < rules.size(); ++i) index.emplace(rules[i].id, i);
  for (const Finding& f : report.findings) {
    if (index.count(f.rule)) continue;
    index.emplace(f.rule, rules.size());
    rules.push_back(SyntheticRule(f.rule));
  }

  Json driver;
  driver["name"] = "policy-check";
  driver["version"] = ctx.tool_version;
  driver["semanticVersion"] = ctx.tool_version;
  Json rules_json = Json::array();
  for (const RuleInfo& r : rules) rules_json.push_back(RuleJson(r, ctx.rule_docs_url));
  driver["rules"] = std::move(rules_json);

  Json results = Json::array();
  for (const Finding& f : report.findings) {
    Json r;
    r["ruleId"] = f.rule;
    r["ruleIndex"] = index.at(f.rule);
    r["level"] = Level(EffectiveSeverity(f));
    r["message"] = Text(f.message);
    if (!f.file.empty()) {
      r["locations"] = Json::array({Location(f.file, f.line, f.column, f.end_line, f.end_column)});
    }
    if (!f.fingerprint.empty()) r["partialFingerprints"] = Json{{"policyCheck/v1", f.fingerprint}};
    if (f.suppressed == Suppression::kInline) {
      r["suppressions"] = Json::array({Json{{"kind", "inSource"}}});
    } else if (f.suppressed == Suppression::kBaseline) {
      r["suppressions"] = Json::array({Json{{"kind", "external"}}});
    }
    Json properties;
    properties["kind"] = FindingKindName(f.kind);
    if (!f.path.empty()) properties["path"] = f.path;
    r["properties"] = std::move(properties);
    results.push_back(std::move(r));
  }

  // Inputs and rule files that could not be read: the run's notifications.
  bool successful = true;
  Json notifications = Json::array();
  for (const Problem& p : report.problems) {
    if (!p.warning) successful = false;
    Json n;
    n["level"] = p.warning ? "warning" : "error";
    n["message"] = Text(p.message);
    if (!p.code.empty()) n["descriptor"] = Json{{"id", p.code}};
    if (!p.file.empty()) n["locations"] = Json::array({Location(p.file, p.line, p.column, 0, 0)});
    notifications.push_back(std::move(n));
  }
  Json invocation;
  invocation["executionSuccessful"] = successful;
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);

  Json run;
  run["tool"] = Json{{"driver", std::move(driver)}};
  run["invocations"] = Json::array({std::move(invocation)});
  // Finding columns count code points, not the UTF-16 units SARIF assumes.
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);

  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace policy::report
