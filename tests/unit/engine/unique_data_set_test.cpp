// `unique` over a data set (LANGUAGE.md section 11.3): a rule on records bound
// to a schema compares across every input bound to it, in input order, and
// `unique KEY within SCOPE` compares within each value of SCOPE. An input bound
// to no schema still compares within itself only.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

using policy::InputKind;
using policy_test::CompileText;
using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;
using policy_test::Memory;

namespace {

constexpr const char* kRules = R"(
schema sale { no : string  branch : string  fy : string  serial : string }
rule U-NO {
  title "numbers are unique"
  on records(sale)
  unique row.no
}
rule U-SER {
  title "serials are unique per branch and year"
  on records(sale)
  unique row.serial within [row.branch, row.fy]
}
rule U-ANY {
  title "ids are unique"
  on records
  where row.id != null
  unique row.id
  message "id {row.id} repeats"
}
)";

const policy::Program& Program() {
  static const policy::CompileResult compiled = CompileText(kRules);
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

std::vector<std::string> Lines(const policy::Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings)
    out.push_back(f.file + ":" + std::to_string(f.line) + " " + f.rule + " " + f.message);
  return out;
}

policy::Report Run(const std::vector<policy::Input>& inputs, unsigned jobs = 1) {
  policy::CheckOptions options;
  options.jobs = jobs;
  options.max_findings = 0;
  return policy::Check(Program(), inputs, options);
}

}  // namespace

TEST_CASE("unique data set: a key repeated in a later file names the file that had it first") {
  const std::vector<policy::Input> inputs = {
      Memory("sales-h1.csv", InputKind::kRecords,
             "no,branch,fy,serial\nA1,D,2024,1\nA2,D,2024,2\nA1,D,2024,3\n"),
      Memory("sales-h2.csv", InputKind::kRecords,
             "no,branch,fy,serial\nA2,D,2025,2\nA9,C,2024,2\nA8,D,2024,2\n"),
  };
  const policy::Report report = Run(inputs);
  CHECK_MESSAGE(report.problems.empty(), report.problems.front().message);
  const std::vector<std::string> expected = {
      "sales-h1.csv:4 U-NO numbers are unique: row.no \"A1\" was already seen at line 2",
      "sales-h2.csv:2 U-NO numbers are unique: row.no \"A2\" was already seen at sales-h1.csv:3",
      // Serial 2 of branch D in 2025 and of branch C are new; D 2024 had it at h1:3.
      "sales-h2.csv:4 U-SER serials are unique per branch and year: row.serial \"2\" was already "
      "seen at sales-h1.csv:3 (within [row.branch, row.fy] [\"D\",\"2024\"])",
  };
  CHECK_MESSAGE(Lines(report) == expected, DescribeFindings(report.findings));
  CHECK(report.by_rule.at("U-NO").failed == 2);
  CHECK(report.by_rule.at("U-NO").evaluated == 6);
}

TEST_CASE("unique data set: inputs bound to no schema compare within themselves only") {
  const std::vector<policy::Input> inputs = {
      Memory("users.csv", InputKind::kRecords, "id\n1\n2\n"),
      Memory("orders.csv", InputKind::kRecords, "id\n1\n1\n"),
  };
  const policy::Report report = Run(inputs);
  const std::vector<std::string> expected = {"orders.csv:3 U-ANY id 1 repeats (first at line 2)"};
  CHECK_MESSAGE(Lines(report) == expected, DescribeFindings(report.findings));
}

TEST_CASE(
    "unique data set: a null scope or key places nothing, scopes of any type compare exactly") {
  const std::vector<policy::Input> inputs = {
      Memory("sales.csv", InputKind::kRecords,
             "no,branch,fy,serial\nA1,D,,1\nA2,D,,1\nA3,D,2024,1\nA4,,2024,1\nA5,D,2024,1\n"),
  };
  const policy::Report report = Run(inputs);
  // [D, null] is a scope like any list (only a null scope is skipped), so line 3 repeats line 2;
  // [null, 2024] differs from [D, 2024].
  const std::vector<std::string> expected = {
      "sales.csv:3 U-SER serials are unique per branch and year: row.serial \"1\" was already "
      "seen at line 2 (within [row.branch, row.fy] [\"D\",null])",
      "sales.csv:6 U-SER serials are unique per branch and year: row.serial \"1\" was already "
      "seen at line 4 (within [row.branch, row.fy] [\"D\",\"2024\"])",
  };
  CHECK_MESSAGE(Lines(report) == expected, DescribeFindings(report.findings));
}

TEST_CASE(
    "unique data set: a JSON record list and CSV files share the set in input order, any --jobs") {
  // Several chunks per file, repeats across files and inside them: the report
  // is the same on 1 and 2 threads, and each repeat names the first place.
  std::vector<policy::Input> inputs;
  std::vector<std::string> expected_first;  // "file:line" of each key's first sighting
  std::string json = "[\n";
  for (int i = 0; i < 500; ++i)
    json += std::string(i ? ",\n" : "") + "{\"no\": \"N" + std::to_string(i * 7) +
            "\", \"branch\": \"D\", \"fy\": \"2024\", \"serial\": \"" + std::to_string(i) + "\"}";
  json += "\n]\n";
  inputs.push_back(Memory("sales-0.json", InputKind::kRecords, json));
  for (int file = 1; file <= 2; ++file) {
    std::string text = "no,branch,fy,serial\n";
    for (int i = 0; i < 20000; ++i)
      text += "N" + std::to_string(i * 7 + file * 3) + ",D,2024," + std::to_string(i) + "\n";
    inputs.push_back(Memory("sales-" + std::to_string(file) + ".csv", InputKind::kRecords, text));
  }
  const policy::Report a = Run(inputs, 1);
  const policy::Report b = Run(inputs, 2);
  CHECK_MESSAGE(a.problems.empty(), a.problems.front().message);
  CHECK(Lines(a) == Lines(b));
  // Every serial 0..499 of sales-1 repeats the JSON file's; those of sales-2
  // repeat sales-1's (500 and up) or the JSON file's (below 500).
  uint64_t from_json = 0, from_csv = 0;
  for (const auto& f : a.findings) {
    if (f.rule != "U-SER") continue;
    if (f.message.find("sales-0.json:") != std::string::npos) ++from_json;
    if (f.message.find("sales-1.csv:") != std::string::npos) ++from_csv;
  }
  CHECK(from_json == 1000);
  CHECK(from_csv == 19500);
  CHECK(a.by_rule.at("U-SER").failed == 40000 - 20000 + 500);
  // Numbers: N(7i + 3) of sales-1 and N(7i + 6) of sales-2 meet N(7j) of the
  // JSON list and one another where the arithmetic says so: checked one by one.
  std::vector<uint64_t> seen(20000 * 7 + 7, 0);
  uint64_t repeats = 0;
  for (int i = 0; i < 500; ++i) seen[static_cast<size_t>(i) * 7]++;
  for (int file = 1; file <= 2; ++file)
    for (int i = 0; i < 20000; ++i)
      if (seen[static_cast<size_t>(i * 7 + file * 3)]++ > 0) ++repeats;
  CHECK(a.by_rule.at("U-NO").failed == repeats);
}

TEST_CASE("unique data set: within is a word only after unique, a version-1 name still compiles") {
  const policy::CompileResult compiled = CompileText(R"(
rule V-1 {
  title "a let named within"
  on records
  let within = row.a
  unique within
}
)");
  CHECK_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
}
