#include "cli/pack_test.h"

#include <doctest/doctest.h>

#include "cli/exit_code.h"

namespace {

policy::Finding At(std::string rule, uint32_t line, uint32_t column) {
  policy::Finding f;
  f.rule = std::move(rule);
  f.line = line;
  f.column = column;
  f.message = "msg " + f.rule;
  return f;
}

}  // namespace

TEST_CASE("pack test: expectations parse, bad files say why") {
  std::string error;
  auto ok = policy::cli::ParseExpected(
      R"([{"rule": "RDY-IMG-001", "line": 4, "column": 12}, {"rule": "SCHEMA", "line": 2}])",
      error);
  REQUIRE(ok.has_value());
  REQUIRE(ok->size() == 2);
  CHECK((*ok)[0].column == 12u);
  CHECK_FALSE((*ok)[1].column.has_value());
  CHECK(policy::cli::ParseExpected("[]", error)->empty());
  CHECK_FALSE(policy::cli::ParseExpected("{", error).has_value());
  CHECK(error == "not valid JSON");
  CHECK_FALSE(policy::cli::ParseExpected(R"({"rule": "A-B-1"})", error).has_value());
  CHECK_FALSE(policy::cli::ParseExpected(R"([{"rule": "A-B-1"}])", error).has_value());
  CHECK(error == "item 1: needs \"line\" (a positive integer)");
  CHECK_FALSE(policy::cli::ParseExpected(R"([{"rule": "A-B-1", "line": 0}])", error).has_value());
  CHECK_FALSE(
      policy::cli::ParseExpected(R"([{"rule": "A-B-1", "line": 1, "col": 2}])", error).has_value());
  CHECK(error == "item 1: unknown key \"col\"");
}

TEST_CASE("pack test: multiset comparison reports missing and unexpected findings") {
  using policy::cli::Expectation;
  std::vector<Expectation> expected = {
      {"A-B-1", 3, std::nullopt}, {"A-B-1", 3, 7}, {"A-B-2", 9, 1}};
  // Two findings of A-B-1 on line 3 satisfy both expectations whatever their order.
  std::vector<policy::Finding> actual = {At("A-B-1", 3, 7), At("A-B-1", 3, 2), At("A-B-3", 5, 1)};
  auto diffs = policy::cli::CompareFindings(expected, actual);
  REQUIRE(diffs.size() == 2);
  CHECK_FALSE(diffs[0].missing);
  CHECK(diffs[0].rule == "A-B-3");
  CHECK(diffs[0].message == "msg A-B-3");
  CHECK(diffs[1].missing);
  CHECK(diffs[1].rule == "A-B-2");
  CHECK(diffs[1].line == 9);

  // A repeated finding needs a repeated expectation.
  auto twice = policy::cli::CompareFindings({{"A-B-1", 3, std::nullopt}},
                                            {At("A-B-1", 3, 1), At("A-B-1", 3, 1)});
  REQUIRE(twice.size() == 1);
  CHECK_FALSE(twice[0].missing);
  // A wrong column is one missing and one unexpected.
  CHECK(policy::cli::CompareFindings({{"A-B-1", 3, 4}}, {At("A-B-1", 3, 5)}).size() == 2);
  CHECK(policy::cli::CompareFindings({}, {}).empty());
}

TEST_CASE("pack test: fixture kinds by name") {
  using policy::InputKind;
  using policy::cli::FixtureKind;
  CHECK(FixtureKind("compose-bad.yaml") == InputKind::kCompose);
  CHECK(FixtureKind("tests/docker-compose.pinned.yml") == InputKind::kCompose);
  CHECK(FixtureKind("k8s.yaml") == InputKind::kDocument);
  CHECK(FixtureKind("package.json") == InputKind::kDocument);
  CHECK(FixtureKind("invoices.csv") == InputKind::kRecords);
  CHECK(FixtureKind("rows.jsonl") == InputKind::kRecords);
  CHECK(FixtureKind("notes.txt") == InputKind::kAuto);
}

TEST_CASE("exit code: problems, fail-on levels and suppressions") {
  using policy::cli::ExitCode;
  using policy::cli::FailOn;
  policy::Report r;
  CHECK(ExitCode(r, FailOn::kError) == 0);
  policy::Finding w = At("A-B-1", 1, 1);
  w.severity = policy::Severity::kWarning;
  r.findings = {w};
  CHECK(ExitCode(r, FailOn::kError) == 0);
  CHECK(ExitCode(r, FailOn::kWarning) == 1);
  CHECK(ExitCode(r, FailOn::kInfo) == 1);
  CHECK(ExitCode(r, FailOn::kNever) == 0);
  r.findings[0].suppressed = policy::Suppression::kBaseline;
  CHECK(ExitCode(r, FailOn::kInfo) == 0);
  policy::Finding schema = At("SCHEMA", 1, 1);
  schema.kind = policy::FindingKind::kSchema;
  schema.severity = policy::Severity::kInfo;
  r.findings = {schema};
  CHECK(ExitCode(r, FailOn::kError) == 1);
  r.problems.push_back({"x.json", 1, 1, "does not parse", true});
  CHECK(ExitCode(r, FailOn::kNever) == 0);
  r.problems.push_back({"y.yaml", 0, 0, "no such file", false});
  CHECK(ExitCode(r, FailOn::kNever) == 2);
}
