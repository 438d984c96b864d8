// `unique` over a data set (LANGUAGE.md section 11.3): a rule on records bound
// to a schema compares across every input bound to it, in input order, and
// `unique KEY within SCOPE` compares within each value of SCOPE. An input bound
// to no schema still compares within itself only.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/partition.h"
#include "libpolicy/run/unique_log.h"

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

TEST_CASE(
    "unique data set: split into tasks, key logs resolved by bucket give the one-process repeats") {
  // Three files of one data set, repeats inside and across them; each file
  // cut into partitions of 4 KB, every partition a task with defer_unique.
  std::vector<policy::Input> inputs;
  for (int file = 0; file < 3; ++file) {
    std::string text = "no,branch,fy,serial\n";
    for (int i = 0; i < 3000; ++i)
      text += "N" + std::to_string((i * 13 + file * 5) % 4001) + ",D,\"20" +
              std::to_string(24 + i % 2) + "\"," + std::to_string(i % 1700) + "\n";
    inputs.push_back(Memory("sales-" + std::to_string(file) + ".csv", InputKind::kRecords, text));
  }
  policy::CheckOptions options;
  options.jobs = 2;
  options.max_findings = 25;  // the listing limit applies per rule and input, as in one process
  const policy::Report whole = policy::Check(Program(), inputs, options);

  policy::CheckOptions task_options = options;
  task_options.defer_unique = true;
  std::vector<std::string> logs;
  std::map<std::string, policy::RuleCounters> counters;
  for (const policy::Input& in : inputs) {
    const policy::Partitions parts = policy::SplitRecords(Program(), in, 4096);
    REQUIRE(parts.ranges.size() > 5);
    for (const policy::RecordRange& r : parts.ranges) {
      policy::Input piece = in;
      piece.range = r;
      const policy::Report task = policy::Check(Program(), {piece}, task_options);
      CHECK(task.problems.empty());
      for (const auto& f : task.findings) CHECK(f.rule != "U-NO");  // nothing decided in a task
      logs.push_back(task.unique_keys);
      for (const auto& [id, c] : task.by_rule) counters[id].evaluated += c.evaluated;
    }
  }
  // Three buckets, each resolved over every log in task order.
  std::vector<std::vector<std::string>> buckets;
  for (const std::string& log : logs) buckets.push_back(policy::SplitUniqueKeys(log, 3));
  std::string repeats;
  std::vector<std::string> resolved;
  for (uint32_t b = 0; b < 3; ++b) {
    std::vector<std::string_view> in_order;
    for (const auto& split : buckets) in_order.push_back(split[b]);
    resolved.push_back(policy::ResolveUniqueKeys(in_order));
  }
  const std::vector<std::string_view> all(resolved.begin(), resolved.end());
  std::vector<std::string> got;
  uint64_t failed_no = 0, listed_no = 0, truncated = 0;
  for (const policy::Input& in : inputs) {
    const policy::Report found = policy::UniqueRepeatFindings(Program(), in, all, options);
    CHECK(found.problems.empty());
    for (const auto& f : found.findings)
      got.push_back(f.file + ":" + std::to_string(f.line) + " " + f.rule + " " + f.message);
    failed_no += found.by_rule.at("U-NO").failed;
    listed_no += found.by_rule.at("U-NO").listed;
    truncated += found.truncated;
  }
  std::vector<std::string> want;
  for (const auto& f : whole.findings)
    if (f.rule == "U-NO" || f.rule == "U-SER")
      want.push_back(f.file + ":" + std::to_string(f.line) + " " + f.rule + " " + f.message);
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  CHECK(!want.empty());
  CHECK(got == want);
  CHECK(failed_no == whole.by_rule.at("U-NO").failed);
  CHECK(listed_no == whole.by_rule.at("U-NO").listed);
  CHECK(truncated == whole.truncated);
  CHECK(counters["U-NO"].evaluated == whole.by_rule.at("U-NO").evaluated);
}

TEST_CASE("unique data set: a key log that is not one is an error, not an empty answer") {
  CHECK_THROWS_AS(policy::ResolveUniqueKeys({std::string_view("not a log")}),
                  std::invalid_argument);
  CHECK_THROWS_AS(policy::SplitUniqueKeys("PUK1\x05", 2), std::invalid_argument);
}

TEST_CASE("unique data set: a repeat whose record cannot be read again is a problem, not a guess") {
  const policy::Input in =
      Memory("sales.csv", InputKind::kRecords, "no,branch,fy,serial\nA1,D,2024,1\n");
  policy::run::UniqueLogWriter log;
  policy::run::UniqueLogEntry e;
  e.rule = "U-NO";
  e.data_set = "sale";
  e.file = "sales.csv";
  e.key = "sA1";
  e.first_file = "sales.csv";
  e.first_line = 2;
  e.line = 9;
  e.offset = 1u << 20;  // past the end
  e.length = 12;
  log.Add(e);
  e.line = 10;
  e.offset = 20;
  e.length = 0xFFFFFFF0u;  // longer than any record may be: never allocated
  log.Add(e);
  const std::string bytes = log.Finish();
  const policy::Report r = policy::UniqueRepeatFindings(Program(), in, {bytes}, {});
  CHECK(r.findings.empty());
  REQUIRE(r.problems.size() == 2);
  // In file order (by byte offset), each at its record's line.
  CHECK(r.problems[0].line == 10);
  CHECK(r.problems[0].code == "input.unreadable");
  CHECK(r.problems[0].message.find("cannot read the record at byte 20 again") != std::string::npos);
  CHECK(r.problems[1].line == 9);
}
