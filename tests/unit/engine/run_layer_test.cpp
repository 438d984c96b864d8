// The run layer's decisions as reports see them: which rules run (one answer
// for Check, JUnit and the CLI), the per-input summary, and record lists
// checked by the record pipeline.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/report.h"

using policy_test::Memory;

namespace {

constexpr const char* kRules = R"(
rule T-IMG-001 {
  title "images have a tag"
  on compose
  for name, svc in compose.services
  require svc.image matches /:/
  at svc.image
}
rule T-OPT-001 {
  title "opt-in: services name a restart policy"
  tags [opt_in]
  on compose
  for name, svc in compose.services
  require svc.restart != null
}
rule T-ROW-001 {
  title "rows have an id"
  on records
  require row.id != null
}
rule T-KEY-001 {
  title "ids are unique"
  on records
  unique row.id
}
)";

std::vector<std::string> Ids(const std::vector<policy::RuleInfo>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.id);
  return out;
}

}  // namespace

TEST_CASE("run: SelectedRules is the one answer to which rules run") {
  policy::CompileOptions copts;
  copts.builtin = false;
  copts.sources.push_back({"test.policy", kRules, "."});
  policy::CompileResult compiled = policy::Compile(copts);
  REQUIRE(compiled.program);
  policy::CheckOptions options;
  CHECK(Ids(policy::SelectedRules(*compiled.program, options)) ==
        std::vector<std::string>{"T-IMG-001", "T-KEY-001", "T-ROW-001"});
  options.only = {"T-OPT-001"};  // --only names an opt-in rule: it runs
  CHECK(Ids(policy::SelectedRules(*compiled.program, options)) ==
        std::vector<std::string>{"T-OPT-001"});
  options.skip = {"opt_in"};  // --skip wins, by tag
  CHECK(policy::SelectedRules(*compiled.program, options).empty());

  // A rule the configuration disables does not run even when --only names it,
  // and JUnit does not list it as a passing test.
  copts.enabled_overrides = {{"T-IMG-001", false}};
  compiled = policy::Compile(copts);
  REQUIRE(compiled.program);
  options = {};
  options.only = {"T-IMG-001", "T-ROW-001"};
  CHECK(Ids(policy::SelectedRules(*compiled.program, options)) ==
        std::vector<std::string>{"T-ROW-001"});
  policy::Report report = policy::Check(*compiled.program,
                                        {Memory("compose.yaml", policy::InputKind::kCompose,
                                                "services:\n  web:\n    image: nginx\n")},
                                        options);
  REQUIRE(report.inputs.size() == 1);
  CHECK(report.inputs[0].rules.empty());
  CHECK(report.findings.empty());
  policy::report::Context ctx;
  ctx.tool_version = "test";
  std::string xml = policy::report::FormatJunit(report, ctx);
  CHECK(xml.find("T-IMG-001") == std::string::npos);
}

TEST_CASE("run: every input has a summary: kind, schema, rules that ran, services in order") {
  policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  policy::Input compose = Memory("-", policy::InputKind::kCompose,
                                 "services:\n  zeta:\n    image: a:1\n  alpha:\n    image: b\n");
  policy::Input broken = Memory("broken.yaml", policy::InputKind::kCompose, "services: [\n");
  policy::Input rows = Memory("rows.csv", policy::InputKind::kRecords, "id\n1\n");
  policy::Input unknown = Memory("notes.txt", policy::InputKind::kAuto, "x");
  policy::Report report =
      policy::Check(*compiled.program, {compose, broken, rows, unknown}, policy::CheckOptions());
  REQUIRE(report.inputs.size() == 4);
  CHECK(report.inputs[0].file == "-");
  CHECK(report.inputs[0].kind == "compose");
  CHECK(report.inputs[0].checked);
  CHECK(report.inputs[0].services == std::vector<std::string>{"zeta", "alpha"});
  CHECK(report.inputs[0].rules == std::vector<std::string>{"T-IMG-001"});
  CHECK_FALSE(report.inputs[1].checked);
  CHECK(report.inputs[1].rules.empty());
  CHECK(report.inputs[2].kind == "records");
  CHECK(report.inputs[2].rules == std::vector<std::string>{"T-KEY-001", "T-ROW-001"});
  CHECK(report.inputs[3].kind == "unknown");
  CHECK_FALSE(report.inputs[3].checked);

  // The matrix of standard input lists both services (no file is read again).
  policy::report::Context ctx;
  std::string md = policy::report::FormatMarkdown(report, ctx);
  CHECK(md.find("Readiness: 50% (1/2 services ready)") != std::string::npos);
}

TEST_CASE("run: a record list in memory goes through the record pipeline, unique included") {
  policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  const std::string json = "[\n{\"id\": 1},\n{\"id\": null},\n\"text\",\n{\"id\": 1}\n]\n";
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions options;
    options.jobs = jobs;
    policy::Report report = policy::Check(
        *compiled.program, {Memory("rows.json", policy::InputKind::kRecords, json)}, options);
    INFO("jobs " << jobs);
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].rule == "T-ROW-001");
    CHECK(report.findings[0].line == 3);
    CHECK(report.findings[1].rule == "T-KEY-001");
    CHECK(report.findings[1].line == 5);
    CHECK(report.findings[1].message.find("line 2") != std::string::npos);
    CHECK(report.findings[1].source_line == "{\"id\": 1}");
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].line == 4);
    CHECK(report.problems[0].message == "a record must be an object");
    CHECK(report.by_rule["SCHEMA"].evaluated == 3);
  }
}

TEST_CASE("run: a record input bound to an unknown schema is a problem, never an untyped pass") {
  policy::CompileResult compiled =
      policy_test::CompileText(std::string(kRules) + "schema invoice {\n  id : string\n}\n");
  REQUIRE(compiled.program);
  policy::Input in = Memory("data.csv", policy::InputKind::kRecords, "id\n1\n");
  in.schema = "invoices_typo";
  policy::Report report = policy::Check(*compiled.program, {in}, policy::CheckOptions());
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].message == "unknown schema 'invoices_typo' (known: invoice)");
  CHECK_FALSE(report.problems[0].warning);
  CHECK(report.findings.empty());
  CHECK_FALSE(report.inputs[0].checked);
}

TEST_CASE("run: a YAML document with a top-level services mapping is compose whatever its name") {
  policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  const std::string compose = "services:\n  web:\n    image: nginx\n";
  // kAuto: the name says document, the content says compose.
  for (const char* name : {"stack.yml", "pwd.yml", "prod-compose.yaml", "stack.json"}) {
    INFO(name);
    const std::string text = std::string(name).ends_with(".json")
                                 ? R"({"services": {"web": {"image": "nginx"}}})"
                                 : compose;
    policy::Report report = policy::Check(
        *compiled.program, {Memory(name, policy::InputKind::kAuto, text)}, policy::CheckOptions());
    REQUIRE(report.inputs.size() == 1);
    CHECK(report.inputs[0].kind == "compose");
    CHECK(report.inputs[0].services == std::vector<std::string>{"web"});
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].rule == "T-IMG-001");
  }
  // Kubernetes-like (apiVersion/kind), services not a mapping, a stream of two
  // documents, or a kind the caller chose: not compose.
  const std::vector<policy::Input> not_compose = {
      Memory("k8s.yml", policy::InputKind::kAuto, "apiVersion: v1\nkind: X\n" + compose),
      Memory("list.yml", policy::InputKind::kAuto, "services: [a, b]\n"),
      Memory("two.yml", policy::InputKind::kAuto, compose + "---\n" + compose),
      Memory("doc.yml", policy::InputKind::kDocument, compose),
  };
  for (const policy::Input& in : not_compose) {
    INFO(in.path);
    policy::Report report = policy::Check(*compiled.program, {in}, policy::CheckOptions());
    REQUIRE(report.inputs.size() == 1);
    CHECK(report.inputs[0].kind == "document");
    CHECK(report.findings.empty());
  }
  // --kind still overrides: records.
  policy::Report forced =
      policy::Check(*compiled.program, {Memory("stack.yml", policy::InputKind::kRecords, compose)},
                    policy::CheckOptions());
  CHECK(forced.inputs[0].kind == "records");

  // The cheap look the directory walk uses.
  CHECK(policy::MayBeCompose(compose));
  CHECK(policy::MayBeCompose("# c\nversion: '3'\nservices :\n  a: {}\n"));
  CHECK(policy::MayBeCompose("\"services\": {}\n"));
  CHECK_FALSE(policy::MayBeCompose("apiVersion: v1\n" + compose));
  CHECK_FALSE(policy::MayBeCompose("  services:\n"));
  CHECK_FALSE(policy::MayBeCompose("services_x: 1\nservicesx: 2\n"));
}

TEST_CASE("run: a broken walked YAML file that looks like compose is an error, other ones warn") {
  policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  policy::Input looks = Memory("stack.yml", policy::InputKind::kAuto, "services:\n  a: \"x\n");
  looks.named = false;
  policy::Input other = Memory("conf.yml", policy::InputKind::kAuto, "a: \"x\n");
  other.named = false;
  policy::Report report = policy::Check(*compiled.program, {looks, other}, policy::CheckOptions());
  REQUIRE(report.problems.size() == 2);
  CHECK(report.problems[0].file == "stack.yml");
  CHECK_FALSE(report.problems[0].warning);
  CHECK(report.problems[1].file == "conf.yml");
  CHECK(report.problems[1].warning);
}

TEST_CASE("run: an input read but judged by no rule is a warning in every format") {
  policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  policy::CheckOptions options;
  options.only = {"T-IMG-001"};
  policy::Report report =
      policy::Check(*compiled.program,
                    {Memory("rows.csv", policy::InputKind::kRecords, "id\n1\n"),
                     Memory("compose.yaml", policy::InputKind::kCompose, "services: {}\n")},
                    options);
  REQUIRE(report.problems.size() == 1);
  const policy::Problem& p = report.problems[0];
  CHECK(p.file == "rows.csv");
  CHECK(p.warning);
  CHECK(p.code == "input.no_rule");
  CHECK(p.message == "no selected rule applies to this records input; only its syntax was checked");

  policy::report::Context ctx;
  ctx.tool_version = "test";
  const std::string xml = policy::report::FormatJunit(report, ctx);
  CHECK(xml.find("<testcase name=\"no rule ran\" classname=\"rows.csv\">") != std::string::npos);
  CHECK(xml.find("skipped=\"1\"") != std::string::npos);
  const std::string json = policy::report::FormatJson(report, ctx);
  CHECK(json.find("\"code\": \"input.no_rule\"") != std::string::npos);
  CHECK(json.find("\"severity\": \"warning\"") != std::string::npos);
  CHECK(policy::report::FormatSarif(report, ctx).find("\"id\": \"input.no_rule\"") !=
        std::string::npos);
  CHECK(policy::report::FormatMarkdown(report, ctx).find("rows.csv") != std::string::npos);
  CHECK(policy::report::FormatSummary(report, ctx).find("1 input warning") != std::string::npos);

  // A record input with rules that ran is not one; neither is one that could not be read.
  options.only.clear();
  report = policy::Check(*compiled.program,
                         {Memory("rows.csv", policy::InputKind::kRecords, "id\n1\n"),
                          Memory("bad.yaml", policy::InputKind::kCompose, "a: [\n")},
                         options);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].code == "input.syntax");
  CHECK_FALSE(report.problems[0].warning);
}

TEST_CASE("run: evaluation errors past --max-findings are counted, not kept") {
  policy::CompileResult compiled = policy_test::CompileText(R"(
rule T-ERR-001 {
  title "ordering a CSV string with a number is an evaluation error on every record"
  on records
  require row.id < 5
}
rule T-ERR-002 {
  title "the same on every item of a document"
  on document
  for item in doc.items
  require item < "x"
}
)");
  REQUIRE(compiled.program);
  std::string csv = "id\n";
  for (int i = 0; i < 1000; ++i) csv += std::to_string(i) + "\n";
  std::string doc = "items:\n";
  for (int i = 0; i < 1000; ++i) doc += "  - " + std::to_string(i) + "\n";
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::CheckOptions options;
    options.jobs = jobs;
    options.max_findings = 5;
    policy::Report report = policy::Check(*compiled.program,
                                          {Memory("rows.csv", policy::InputKind::kRecords, csv),
                                           Memory("doc.yaml", policy::InputKind::kDocument, doc)},
                                          options);
    REQUIRE(report.findings.size() == 10);
    for (const policy::Finding& f : report.findings)
      CHECK(f.kind == policy::FindingKind::kEvaluationError);
    CHECK(report.by_rule["T-ERR-001"].errors == 1000);
    CHECK(report.by_rule["T-ERR-001"].listed == 5);
    CHECK(report.by_rule["T-ERR-002"].errors == 1000);
    CHECK(report.by_rule["T-ERR-002"].listed == 5);
    CHECK(report.truncated == 1990);
  }
}
