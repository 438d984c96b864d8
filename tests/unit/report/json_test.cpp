#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"

namespace {

std::vector<std::string> Keys(const nlohmann::ordered_json& j) {
  std::vector<std::string> out;
  for (const auto& [key, value] : j.items()) out.push_back(key);
  return out;
}

policy::Report SampleReport() {
  policy::Report r;
  policy::Finding f;
  f.rule = "RDY-IMG-001";
  f.severity = policy::Severity::kWarning;
  f.message = "image is not pinned";
  f.file = "app/compose.yaml";
  f.line = 3;
  f.column = 12;
  f.end_line = 3;
  f.end_column = 24;
  f.path = "services.web.image";
  f.fingerprint = "0123456789abcdef";
  r.findings.push_back(f);
  policy::Finding schema;
  schema.rule = "SCHEMA";
  schema.kind = policy::FindingKind::kSchema;
  schema.severity = policy::Severity::kInfo;
  schema.message = "missing column";
  schema.file = "data/invoices.csv";
  schema.fingerprint = "fedcba9876543210";
  schema.suppressed = policy::Suppression::kBaseline;
  r.findings.push_back(schema);
  policy::Finding eval = f;
  eval.kind = policy::FindingKind::kEvaluationError;
  eval.suppressed = policy::Suppression::kInline;
  r.findings.push_back(eval);
  r.problems.push_back({"nope.yaml", 0, 0, "no such file or directory", false});
  r.by_rule["RDY-IMG-001"] = {4, 1, 2, 1, 2};
  r.by_rule["SCHEMA"] = {0, 0, 1, 0, 1};
  r.files = 2;
  r.truncated = 5;
  return r;
}

}  // namespace

TEST_CASE("json: top-level, finding, summary and by_rule keys in the documented order") {
  policy::report::Context ctx;
  ctx.tool_version = policy::Version();
  std::string text = policy::report::FormatJson(SampleReport(), ctx);
  CHECK(text.back() == '\n');
  auto j = nlohmann::ordered_json::parse(text);
  CHECK(Keys(j) ==
        std::vector<std::string>{"version", "tool_version", "findings", "summary", "problems"});
  CHECK(j["version"] == 1);
  CHECK(j["tool_version"] == policy::Version());
  REQUIRE(j["findings"].size() == 3);
  CHECK(Keys(j["findings"][0]) ==
        std::vector<std::string>{"rule", "severity", "kind", "message", "file", "line", "column",
                                 "end_line", "end_column", "path", "fingerprint", "suppressed"});
  CHECK(Keys(j["summary"]) == std::vector<std::string>{"files", "findings", "errors", "warnings",
                                                       "infos", "suppressed", "baselined",
                                                       "truncated", "by_rule"});
  CHECK(Keys(j["summary"]["by_rule"]["RDY-IMG-001"]) ==
        std::vector<std::string>{"evaluated", "skipped", "failed", "errors", "listed"});
  CHECK(Keys(j["problems"][0]) ==
        std::vector<std::string>{"file", "line", "column", "message", "severity"});
}

TEST_CASE("json: values, nulls for unknown places and suppression names") {
  auto j = nlohmann::json::parse(policy::report::FormatJson(SampleReport(), {}));
  const auto& f = j["findings"][0];
  CHECK(f["severity"] == "warning");
  CHECK(f["kind"] == "finding");
  CHECK(f["line"] == 3);
  CHECK(f["end_column"] == 24);
  CHECK(f["path"] == "services.web.image");
  CHECK(f["suppressed"].is_null());
  const auto& schema = j["findings"][1];
  CHECK(schema["kind"] == "schema");
  CHECK(schema["severity"] == "error");
  CHECK(schema["line"].is_null());
  CHECK(schema["column"].is_null());
  CHECK(schema["end_line"].is_null());
  CHECK(schema["suppressed"] == "baseline");
  CHECK(j["findings"][2]["kind"] == "evaluation_error");
  CHECK(j["findings"][2]["severity"] == "error");
  CHECK(j["findings"][2]["suppressed"] == "inline");
  CHECK(j["problems"][0]["line"].is_null());
  CHECK(j["problems"][0]["message"] == "no such file or directory");
}

TEST_CASE("json: summary counts unsuppressed findings by effective severity") {
  auto s = nlohmann::json::parse(policy::report::FormatJson(SampleReport(), {}))["summary"];
  CHECK(s["files"] == 2);
  CHECK(s["findings"] == 1);
  CHECK(s["errors"] == 0);
  CHECK(s["warnings"] == 1);
  CHECK(s["infos"] == 0);
  CHECK(s["suppressed"] == 1);
  CHECK(s["baselined"] == 1);
  CHECK(s["truncated"] == 5);
  CHECK(s["by_rule"]["RDY-IMG-001"]["evaluated"] == 4);
  CHECK(s["by_rule"]["RDY-IMG-001"]["skipped"] == 1);
  CHECK(s["by_rule"]["SCHEMA"]["failed"] == 1);
}

TEST_CASE("json: an empty report still has every key, and invalid UTF-8 does not throw") {
  policy::Report r;
  policy::Finding f;
  f.rule = "A-B-1";
  f.message = "bad \xFF byte";
  r.findings.push_back(f);
  auto j = nlohmann::json::parse(policy::report::FormatJson(r, {}));
  CHECK(j["findings"][0]["message"] == "bad \xEF\xBF\xBD byte");
  auto empty = nlohmann::json::parse(policy::report::FormatJson(policy::Report{}, {}));
  CHECK(empty["findings"].is_array());
  CHECK(empty["problems"].is_array());
  CHECK(empty["summary"]["by_rule"].is_object());
}

TEST_CASE("json: WriteJson writes a large report in pieces, the document a JSON tree would print") {
  policy::Report r = SampleReport();
  const policy::Finding one = r.findings.front();
  for (uint32_t i = 1; i <= 8000; ++i) {
    policy::Finding f = one;
    f.line = i;
    r.findings.push_back(f);
  }
  std::string joined;
  int pieces = 0;
  policy::report::WriteJson(r, policy::report::Context{}, [&](std::string_view piece) {
    joined += piece;
    ++pieces;
    return true;
  });
  CHECK(joined.size() > (2u << 20));
  CHECK(pieces > 1);  // about 1 MB each
  // Byte for byte what nlohmann prints for the whole tree, with a newline.
  const nlohmann::ordered_json tree = nlohmann::ordered_json::parse(joined);
  CHECK(tree["findings"].size() == r.findings.size());
  CHECK(joined == tree.dump(2) + "\n");
  // A writer that fails stops the writing.
  int calls = 0;
  policy::report::WriteJson(r, policy::report::Context{}, [&](std::string_view) {
    ++calls;
    return false;
  });
  CHECK(calls == 1);
}
