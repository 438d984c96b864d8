// SARIF, JUnit and GitHub annotations from a hand-made report.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"
#include "libpolicy/report/uri.h"

namespace {

using policy::Finding;
using policy::Severity;
using policy::Suppression;

Finding MakeFinding(const std::string& rule, Severity severity, const std::string& file,
                    uint32_t line, uint32_t column, const std::string& message) {
  Finding f;
  f.rule = rule;
  f.severity = severity;
  f.file = file;
  f.line = line;
  f.column = column;
  f.message = message;
  f.fingerprint = "0123456789abcdef";
  return f;
}

policy::report::Context MakeContext() {
  policy::report::Context ctx;
  ctx.tool_version = policy::Version();
  policy::RuleInfo img;
  img.id = "RDY-IMG-001";
  img.title = "Images are pinned";
  img.severity = Severity::kWarning;
  img.remedy = "Pin the tag.";
  img.doc = "Unpinned images change under you.";
  img.tags = {"area_images"};
  policy::RuleInfo sec;
  sec.id = "RDY-SEC-001";
  sec.title = "No hardcoded secrets";
  sec.severity = Severity::kError;
  policy::RuleInfo info;
  info.id = "RDY-PRV-003";
  info.title = "Capabilities dropped";
  info.severity = Severity::kInfo;
  ctx.rules = {info, img, sec};
  return ctx;
}

policy::Report MakeReport() {
  policy::Report r;
  Finding a = MakeFinding("RDY-IMG-001", Severity::kWarning, "app dir/compose.yaml", 3, 12,
                          "image 'nginx:latest' is not pinned");
  a.end_line = 3;
  a.end_column = 24;
  r.findings.push_back(a);
  Finding b = MakeFinding("RDY-SEC-001", Severity::kError, "app dir/compose.yaml", 5, 26,
                          "POSTGRES_PASSWORD is hardcoded (S3****)\nline two <&>");
  b.suppressed = Suppression::kInline;
  r.findings.push_back(b);
  Finding c =
      MakeFinding("RDY-SEC-001", Severity::kError, "other.yaml", 2, 1, "100% bad, really: yes");
  c.suppressed = Suppression::kBaseline;
  r.findings.push_back(c);
  Finding d = MakeFinding("SCHEMA", Severity::kError, "data.csv", 0, 0, "missing column 'tin'");
  d.kind = policy::FindingKind::kSchema;
  r.findings.push_back(d);
  r.findings.push_back(
      MakeFinding("RDY-PRV-003", Severity::kInfo, "other.yaml", 2, 3, "no cap_drop"));
  r.problems.push_back({"broken.yaml", 4, 2, "did not find expected key", false});
  r.files = 4;
  return r;
}

}  // namespace

TEST_CASE("sarif: one run, rules with levels, results with locations and suppressions") {
  auto doc = nlohmann::json::parse(policy::report::FormatSarif(MakeReport(), MakeContext()));
  CHECK(doc["version"] == "2.1.0");
  REQUIRE(doc["runs"].size() == 1);
  const auto& run = doc["runs"][0];
  const auto& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "policy-check");
  CHECK(driver["version"] == policy::Version());
  // The catalogue, then SCHEMA, which produces findings without being a rule.
  REQUIRE(driver["rules"].size() == 4);
  CHECK(driver["rules"][0]["defaultConfiguration"]["level"] == "note");
  CHECK(driver["rules"][1]["id"] == "RDY-IMG-001");
  CHECK(driver["rules"][1]["shortDescription"]["text"] == "Images are pinned");
  CHECK(driver["rules"][1]["help"]["text"] == "Pin the tag.\n\nUnpinned images change under you.");
  CHECK(driver["rules"][1]["defaultConfiguration"]["level"] == "warning");
  CHECK(driver["rules"][3]["id"] == "SCHEMA");

  const auto& results = run["results"];
  REQUIRE(results.size() == 5);
  CHECK(results[0]["ruleId"] == "RDY-IMG-001");
  CHECK(results[0]["ruleIndex"] == 1);
  CHECK(results[0]["level"] == "warning");
  const auto& loc = results[0]["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "app%20dir/compose.yaml");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc["region"]["startLine"] == 3);
  CHECK(loc["region"]["startColumn"] == 12);
  CHECK(loc["region"]["endLine"] == 3);
  CHECK(loc["region"]["endColumn"] == 24);
  CHECK(results[0]["partialFingerprints"]["policyCheck/v1"] == "0123456789abcdef");
  CHECK_FALSE(results[0].contains("suppressions"));
  CHECK(results[1]["suppressions"][0]["kind"] == "inSource");
  CHECK(results[2]["suppressions"][0]["kind"] == "external");
  // A finding without a line has an artifact but no region.
  CHECK(results[3]["ruleIndex"] == 3);
  CHECK(results[3]["level"] == "error");
  CHECK_FALSE(results[3]["locations"][0]["physicalLocation"].contains("region"));
  CHECK(results[4]["level"] == "note");
  CHECK(run["invocations"][0]["executionSuccessful"] == false);
  CHECK(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] ==
        "did not find expected key");
}

TEST_CASE("junit: suites per input, testcases per rule, failures list unsuppressed findings") {
  policy::Report report = MakeReport();
  auto input = [](std::string file, std::vector<std::string> rules) {
    policy::InputSummary in;
    in.file = std::move(file);
    in.kind = "compose";
    in.checked = true;
    in.rules = std::move(rules);
    return in;
  };
  report.inputs = {input("app dir/compose.yaml", {"RDY-IMG-001", "RDY-PRV-003", "RDY-SEC-001"}),
                   input("clean.yaml", {"RDY-IMG-001"})};
  std::string xml = policy::report::FormatJunit(report, MakeContext());
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  CHECK(xml.find(
            "<testsuite name=\"app dir/compose.yaml\" tests=\"3\" failures=\"1\" errors=\"0\"") !=
        std::string::npos);
  CHECK(xml.find("<testcase name=\"RDY-SEC-001\" classname=\"app dir/compose.yaml\"/>") !=
        std::string::npos);
  CHECK(xml.find("<testsuite name=\"clean.yaml\" tests=\"1\" failures=\"0\"") != std::string::npos);
  CHECK(xml.find("app dir/compose.yaml:3:12: warning: image &apos;nginx:latest&apos; is not pinned "
                 "[RDY-IMG-001]") != std::string::npos);
  // Files only the report knows, sorted after the inputs; problems are <error>s.
  CHECK(xml.find("<testsuite name=\"broken.yaml\"") < xml.find("<testsuite name=\"data.csv\""));
  CHECK(xml.find("<error message=\"did not find expected key\" type=\"input\">") !=
        std::string::npos);
  CHECK(xml.find(std::string("<testsuites name=\"policy-check ") + policy::Version() +
                 "\" tests=\"8\" failures=\"3\" errors=\"1\"") != std::string::npos);
  // The suppressed secret is not printed, only counted.
  CHECK(xml.find("line two") == std::string::npos);
}

TEST_CASE("xml escaping: markup, controls, invalid UTF-8") {
  using policy::report::EscapeXml;
  CHECK(EscapeXml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(EscapeXml("tab\tnl\n") == "tab\tnl\n");
  CHECK(EscapeXml(std::string("x\x01y", 3)) == "x\xEF\xBF\xBDy");
  CHECK(EscapeXml("\xC3\xA9") == "\xC3\xA9");
  CHECK(EscapeXml("\xC3") == "\xEF\xBF\xBD");
  CHECK(EscapeXml("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(policy::report::EncodeUri("a b/c#d%.yaml") == "a%20b/c%23d%25.yaml");
}

TEST_CASE("github: workflow commands with escaped data and properties") {
  policy::report::Context ctx = MakeContext();
  std::string out = policy::report::FormatGithub(MakeReport(), ctx);
  CHECK(out ==
        "::warning file=app dir/compose.yaml,line=3,col=12,title=RDY-IMG-001::image 'nginx:latest' "
        "is not pinned\n"
        "::error file=data.csv,title=SCHEMA::missing column 'tin'\n"
        "::notice file=other.yaml,line=2,col=3,title=RDY-PRV-003::no cap_drop\n"
        "::error file=broken.yaml,line=4,col=2,title=policy-check::did not find expected key\n");
  ctx.verbose = true;
  policy::Report r;
  r.findings.push_back(MakeFinding("X-1", Severity::kError, "a,b:c%.yaml", 1, 1, "50%\r\nnext"));
  r.findings.back().suppressed = Suppression::kBaseline;
  CHECK(policy::report::FormatGithub(r, ctx) ==
        "::notice file=a%2Cb%3Ac%25.yaml,line=1,col=1,title=X-1::50%25%0D%0Anext (baseline)\n");
}
