// Engine behaviour that the data-driven cases cannot express: param overrides,
// nesting limits in rule files, fingerprints and determinism.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

using policy_test::CompileText;
using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;

using policy_test::Memory;

namespace {

policy::Report Run(const policy::Program& program, const std::vector<policy::Input>& inputs,
                   unsigned jobs = 1) {
  policy::CheckOptions options;
  options.jobs = jobs;
  return policy::Check(program, inputs, options);
}

bool HasError(const std::vector<policy::Diagnostic>& diags) {
  return std::any_of(diags.begin(), diags.end(), [](const policy::Diagnostic& d) {
    return d.severity == policy::Severity::kError;
  });
}

bool IsFingerprint(const std::string& fp) {
  const std::string base = fp.substr(0, fp.find(':'));
  if (base.size() != 16) return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

const char* kVatRules = R"(package examples

param vat_rate: decimal = 15

rule EX-PARAM-001 {
  title "Rate"
  on document
  require doc.rate == vat_rate
  message "rate {vat_rate}"
}
)";

}  // namespace

TEST_CASE("params: an override replaces the default") {
  const auto compiled = CompileText(kVatRules, {{"examples.vat_rate", "7.5"}});
  INFO(DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program);
  const auto params = policy::ListParams(*compiled.program);
  REQUIRE(params.size() == 1);
  CHECK(params[0].name == "examples.vat_rate");
  CHECK(params[0].type == "decimal");
  CHECK(params[0].value == "7.5");

  const auto report =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 15\n")});
  INFO(DescribeFindings(report.findings));
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].message == "rate 7.5");
  // 7.50 == 7.5: decimals compare by value, not scale.
  const auto ok = Run(*compiled.program,
                      {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 7.50\n")});
  CHECK(ok.findings.empty());
}

TEST_CASE("params: the default holds without an override") {
  const auto compiled = CompileText(kVatRules);
  REQUIRE(compiled.program);
  const auto report =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 15\n")});
  CHECK(report.findings.empty());
  CHECK(policy::ListParams(*compiled.program).at(0).value == "15");
}

TEST_CASE("params: a wrongly typed override is an error, never a coercion") {
  for (const char* bad : {"abc", "true", "[15]", "2024-07-01"}) {
    CAPTURE(bad);
    const auto compiled = CompileText(kVatRules, {{"examples.vat_rate", bad}});
    CHECK_FALSE(compiled.program);
    CHECK(HasError(compiled.diagnostics));
  }
}

TEST_CASE("params: a string param takes the override as written") {
  const char* rules = R"(param prefix: string = "v"

rule EX-PARAM-002 {
  title "Prefix"
  on document
  require doc.s == prefix
  message "{prefix}"
}
)";
  const auto compiled = CompileText(rules, {{"prefix", "7.5"}});
  INFO(DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program);
  const auto pass = Run(*compiled.program,
                        {Memory("mem/doc.yaml", policy::InputKind::kDocument, "s: \"7.5\"\n")});
  CHECK(pass.findings.empty());
  const auto fail =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "s: \"v\"\n")});
  REQUIRE(fail.findings.size() == 1);
  CHECK(fail.findings[0].message == "7.5");
}

TEST_CASE("params: bool and list overrides are YAML flow values") {
  const char* rules = R"(param strict: bool = false
param rates: list = [15]

rule EX-PARAM-003 {
  title "Known rate"
  on document
  where strict
  require doc.rate in rates
}
)";
  const auto compiled = CompileText(rules, {{"strict", "true"}, {"rates", "[15, 7.5]"}});
  INFO(DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program);
  const auto pass =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 7.5\n")});
  CHECK(pass.findings.empty());
  const auto fail =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 5\n")});
  CHECK(fail.findings.size() == 1);

  const auto off = CompileText(rules);
  REQUIRE(off.program);
  const auto skipped =
      Run(*off.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "rate: 5\n")});
  CHECK(skipped.findings.empty());
  CHECK(skipped.by_rule.at("EX-PARAM-003").skipped == 1);
}

TEST_CASE("rule files: 100 000 nested parentheses are syntax.too_deep, not a crash") {
  for (const auto& brackets : {std::pair{"(", ")"}, std::pair{"[", "]"}}) {
    const char* open = brackets.first;
    const char* close = brackets.second;
    CAPTURE(open);
    std::string text = "rule DEEP-001 {\n  title \"deep\"\n  on document\n  require ";
    for (int i = 0; i < 100000; ++i) text += open;
    text += "true";
    for (int i = 0; i < 100000; ++i) text += close;
    text += "\n}\n";
    const auto compiled = CompileText(text);
    CHECK_FALSE(compiled.program);
    const bool too_deep = std::any_of(
        compiled.diagnostics.begin(), compiled.diagnostics.end(),
        [](const policy::Diagnostic& d) { return d.code == "syntax.too_deep" && d.line == 4; });
    INFO(DescribeDiagnostics(compiled.diagnostics));
    CHECK(too_deep);
  }
}

TEST_CASE("rule files: nesting of 256 is still accepted") {
  std::string text = "rule DEEP-002 {\n  title \"deep\"\n  on document\n  require ";
  // The require expression itself is one level; 200 parentheses stay well inside the bound.
  for (int i = 0; i < 200; ++i) text += "(";
  text += "doc.a == 1";
  for (int i = 0; i < 200; ++i) text += ")";
  text += "\n}\n";
  const auto compiled = CompileText(text);
  INFO(DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program);
  const auto report =
      Run(*compiled.program, {Memory("mem/doc.yaml", policy::InputKind::kDocument, "a: 2\n")});
  CHECK(report.findings.size() == 1);
}

TEST_CASE("fingerprints: 16 hex digits, equal ones in a file get :2, :3") {
  const char* rules = R"(rule FP-001 {
  title "Never ok"
  on records
  require row.v == "ok"
}
)";
  const auto compiled = CompileText(rules);
  REQUIRE(compiled.program);
  const auto report =
      Run(*compiled.program,
          {Memory("mem/data.csv", policy::InputKind::kRecords, "k,v\na,1\nb,2\na,1\na,1\n")});
  INFO(DescribeFindings(report.findings));
  REQUIRE(report.findings.size() == 4);
  const std::string first = report.findings[0].fingerprint;
  CHECK(IsFingerprint(first));
  CHECK(first.size() == 16);
  CHECK(report.findings[1].fingerprint.size() == 16);
  CHECK(report.findings[1].fingerprint != first);
  CHECK(report.findings[2].fingerprint == first + ":2");
  CHECK(report.findings[3].fingerprint == first + ":3");
}

TEST_CASE("fingerprints survive lines moving and edits elsewhere") {
  const char* rules = R"(rule FP-002 {
  title "Pinned"
  on compose
  for name, svc in compose.services
  require svc.image != "nginx:latest"
  at svc.image
}
)";
  const auto compiled = CompileText(rules);
  REQUIRE(compiled.program);
  const std::string before = "services:\n  web:\n    image: nginx:latest\n";
  const std::string after =
      "# a comment moves everything down\nservices:\n  db:\n    image: postgres:16\n  web:\n"
      "    restart: always\n    image: nginx:latest\n";
  const auto a =
      Run(*compiled.program, {Memory("mem/compose.yaml", policy::InputKind::kCompose, before)});
  const auto b =
      Run(*compiled.program, {Memory("mem/compose.yaml", policy::InputKind::kCompose, after)});
  REQUIRE(a.findings.size() == 1);
  REQUIRE(b.findings.size() == 1);
  CHECK(a.findings[0].line == 3);
  CHECK(b.findings[0].line == 7);
  CHECK(IsFingerprint(a.findings[0].fingerprint));
  CHECK(a.findings[0].fingerprint == b.findings[0].fingerprint);
  // Another file is another fingerprint.
  const auto c =
      Run(*compiled.program, {Memory("other/compose.yaml", policy::InputKind::kCompose, before)});
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0].fingerprint != a.findings[0].fingerprint);
}

TEST_CASE("fingerprints of secret findings never hash the secret") {
  const char* rules = R"(rule FP-SEC-001 {
  title "No literal password"
  tags [secret]
  on compose
  for name, svc in compose.services
  require svc.environment.DB_PASSWORD == null
  at svc.environment.DB_PASSWORD
}

rule FP-PLAIN-001 {
  title "No literal password, not secret"
  on compose
  for name, svc in compose.services
  require svc.environment.DB_PASSWORD == null
  at svc.environment.DB_PASSWORD
}
)";
  const auto compiled = CompileText(rules);
  REQUIRE(compiled.program);
  auto doc = [](const std::string& secret) {
    return "services:\n  db:\n    environment:\n      DB_PASSWORD: " + secret + "\n";
  };
  const auto a =
      Run(*compiled.program,
          {Memory("mem/compose.yaml", policy::InputKind::kCompose, doc("FirstSecret1"))});
  const auto b =
      Run(*compiled.program,
          {Memory("mem/compose.yaml", policy::InputKind::kCompose, doc("OtherSecret2"))});
  INFO(DescribeFindings(a.findings));
  REQUIRE(a.findings.size() == 2);
  REQUIRE(b.findings.size() == 2);
  // Sorted by rule id at the same place: FP-PLAIN-001, then FP-SEC-001.
  REQUIRE(a.findings[1].rule == "FP-SEC-001");
  CHECK(a.findings[1].fingerprint == b.findings[1].fingerprint);
  CHECK(a.findings[0].fingerprint != b.findings[0].fingerprint);
  // Only the secret rule's message is redacted; the line holding the secret is masked for both.
  CHECK(a.findings[1].message.find("FirstSecret1") == std::string::npos);
  for (const auto& f : a.findings) CHECK(f.source_line.find("FirstSecret1") == std::string::npos);
}

TEST_CASE("determinism: the same findings whatever the number of jobs") {
  policy::CompileOptions copts;
  copts.builtin = false;
  const std::string dir = std::string(POLICY_SOURCE_DIR) + "/tests/cases/ex-vat-001";
  copts.sources.push_back({"rules.policy", policy_test::ReadFile(dir + "/rules.policy"), dir});
  const auto compiled = policy::Compile(copts);
  REQUIRE(compiled.program);

  // Big enough to be split across workers; every 7th row is wrong.
  std::string csv = "invoice_no,issue_date,fiscal_year,net_amount,vat_amount\n";
  for (int i = 0; i < 5000; ++i) {
    csv += "INV-" + std::to_string(i) + ",2024-07-10,2024-25,100," +
           (i % 7 == 0 ? "14.00" : "15.00") + "\n";
  }
  std::vector<policy::Input> inputs;
  for (int f = 0; f < 4; ++f) {
    policy::Input in =
        Memory("mem/invoices-" + std::to_string(f) + ".csv", policy::InputKind::kRecords, csv);
    in.schema = "invoice";
    inputs.push_back(in);
  }
  policy::CheckOptions options;
  options.max_findings = 0;
  options.jobs = 1;
  const auto one = policy::Check(*compiled.program, inputs, options);
  REQUIRE(one.findings.size() == 4 * 715);
  CHECK(std::is_sorted(one.findings.begin(), one.findings.end(), policy::FindingLess));
  for (unsigned jobs : {2u, 8u, 0u}) {
    CAPTURE(jobs);
    options.jobs = jobs;
    const auto many = policy::Check(*compiled.program, inputs, options);
    REQUIRE(many.findings.size() == one.findings.size());
    for (std::size_t i = 0; i < one.findings.size(); ++i) {
      const auto& x = one.findings[i];
      const auto& y = many.findings[i];
      CHECK_MESSAGE((x.file == y.file && x.line == y.line && x.column == y.column &&
                     x.rule == y.rule && x.message == y.message && x.fingerprint == y.fingerprint),
                    "finding " << i << " differs");
      if (x.file != y.file || x.line != y.line || x.fingerprint != y.fingerprint) break;
    }
    CHECK(many.by_rule.at("EX-VAT-001").failed == one.by_rule.at("EX-VAT-001").failed);
  }
}

TEST_CASE("max_findings: the rest are counted, not listed") {
  const char* rules = R"(rule MAXF-001 {
  title "Never ok"
  on records
  require row.v == "ok"
}
)";
  const auto compiled = CompileText(rules);
  REQUIRE(compiled.program);
  std::string csv = "v\n";
  for (int i = 0; i < 150; ++i) csv += "x" + std::to_string(i) + "\n";
  const auto report =
      Run(*compiled.program, {Memory("mem/data.csv", policy::InputKind::kRecords, csv)});
  // Default for record inputs: 100 listed.
  CHECK(report.findings.size() == 100);
  CHECK(report.by_rule.at("MAXF-001").failed == 150);
  CHECK(report.by_rule.at("MAXF-001").listed == 100);
  CHECK(report.truncated == 50);
}

TEST_CASE("max_findings: over many chunks and workers, the first failures in file order") {
  // About 50 chunks: workers stop building findings for a rule once the merged
  // list is full, and what is listed must still be the first N of the file.
  const char* rules = R"(rule MAXF-002 {
  title "Multiples of seven"
  on records
  require decimal(row.n) % 7 != 0
}
)";
  const auto compiled = CompileText(rules);
  REQUIRE(compiled.program);
  std::string csv = "n,pad\n";
  for (int i = 1; i <= 300000; ++i) csv += std::to_string(i) + ",abcdefghij\n";
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions options;
    options.jobs = jobs;
    options.max_findings = 5;
    policy::Input in{"mem/sevens.csv", policy::InputKind::kRecords, csv};
    const policy::Report report = policy::Check(*compiled.program, {in}, options);
    REQUIRE(report.findings.size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(report.findings[i].line == 1 + 7 * (i + 1));
    CHECK(report.by_rule.at("MAXF-002").failed == 300000 / 7);
    CHECK(report.by_rule.at("MAXF-002").listed == 5);
    CHECK(report.truncated == 300000 / 7 - 5);
  }
}

TEST_CASE("InferKind follows the file names of CLI.md") {
  CHECK(policy::InferKind("compose.yaml") == policy::InputKind::kCompose);
  CHECK(policy::InferKind("a/compose.prod.yml") == policy::InputKind::kCompose);
  CHECK(policy::InferKind("docker-compose.override.yml") == policy::InputKind::kCompose);
  CHECK(policy::InferKind("data/invoices.csv") == policy::InputKind::kRecords);
  CHECK(policy::InferKind("x.tsv") == policy::InputKind::kRecords);
  CHECK(policy::InferKind("x.jsonl") == policy::InputKind::kRecords);
  CHECK(policy::InferKind("x.ndjson") == policy::InputKind::kRecords);
  CHECK(policy::InferKind("x.json") == policy::InputKind::kDocument);
  CHECK(policy::InferKind("values.yaml") == policy::InputKind::kDocument);
  CHECK(policy::InferKind("README.md") == policy::InputKind::kAuto);
  // dotenv: .env, *.env, .env.* (templates too: RDY-SEC-008 knows their placeholders).
  CHECK(policy::InferKind(".env") == policy::InputKind::kDotenv);
  CHECK(policy::InferKind("deploy/app.env") == policy::InputKind::kDotenv);
  CHECK(policy::InferKind("a/.env.production") == policy::InputKind::kDotenv);
  CHECK(policy::InferKind(".env.example") == policy::InputKind::kDotenv);
  CHECK(policy::InferKind(".envrc") == policy::InputKind::kAuto);
  CHECK(policy::InferKind("environment.yaml") == policy::InputKind::kDocument);
  CHECK(policy::InferKind(".env.yaml") == policy::InputKind::kDocument);
}

TEST_CASE("engine: an on dotenv rule sees doc, one map per .env file, values located") {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources = {{"mem/env.policy",
                      "rule T-ENV-001 {\n"
                      "  title \"no debug\"\n"
                      "  on dotenv\n"
                      "  for key, value in doc\n"
                      "  where key == \"DEBUG\"\n"
                      "  require value != \"true\"\n"
                      "  at value\n"
                      "  message \"{file}: {key}={value}\"\n"
                      "}\n",
                      "mem"}};
  policy::CompileResult compiled = policy::Compile(options);
  REQUIRE(compiled.program != nullptr);
  CHECK(policy::ListRules(*compiled.program)[0].target == "dotenv");
  const std::string text = "# app\nexport DEBUG=true\nDEBUG=\"true\"\n";
  policy::Report report =
      Run(*compiled.program, {Memory("mem/app.env", policy::InputKind::kAuto, text)});
  REQUIRE(report.findings.size() == 1);  // the later DEBUG wins, as in compose
  CHECK(report.findings[0].line == 3);
  CHECK(report.findings[0].column == 7);
  CHECK(report.findings[0].path == "DEBUG");
  CHECK(report.findings[0].message == "mem/app.env: DEBUG=true");
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].warning);
  CHECK(report.problems[0].code == "input.duplicate_variable");
  CHECK(report.problems[0].line == 3);
  REQUIRE(report.inputs.size() == 1);
  CHECK(report.inputs[0].kind == "dotenv");
  // A compose input is not a dotenv subject.
  policy::Report compose =
      Run(*compiled.program, {Memory("compose.yaml", policy::InputKind::kAuto, "services: {}\n")});
  CHECK(compose.findings.empty());
}
