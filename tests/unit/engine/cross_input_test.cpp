// Version 2 of the language (LANGUAGE.md section 11): indexes over other
// inputs, grouped rules and their aggregates, and what goes wrong loudly (a
// missing source, a key seen twice, too many groups, misuse at compile time).
// Group state merges chunk by chunk: an oracle computed here checks the sums
// of an input several chunks long, for every --jobs.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
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
schema party { bin : string  name : string }
schema invoice { no : string  buyer : string  period : string  vat : decimal  branch : string  serial : decimal }
schema return { period : string  output_vat : decimal }
index party_by_bin = records(party) by row.bin
index return_by_period = records(return) by row.period
rule T-REF-001 {
  title "buyer in the master"
  on records(invoice)
  where row.buyer != null
  require party_by_bin has row.buyer
  at row.buyer
  message "buyer {row.buyer} is not in the master"
}
rule T-RET-001 {
  title "VAT per period equals the return"
  on records(invoice)
  group by period = row.period
  let vat = sum(row.vat)
  let ret = return_by_period[period]
  require ret != null and vat == ret.output_vat
  at ret.output_vat ?? argmax(row.vat)
  message "period {period}: {vat} against {ret.output_vat ?? "nothing"}"
}
rule T-SER-001 {
  title "no gaps"
  on records(invoice)
  group by branch = row.branch
  require max(row.serial) - min(row.serial) + 1 == count_distinct(row.serial)
  at argmax(row.serial)
  message "{branch}: {count()} invoices, serials {min(row.serial)} to {max(row.serial)}"
}
)";

const policy::Program& Program() {
  static const policy::CompileResult compiled = CompileText(kRules);
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

std::vector<policy::Input> DataSet() {
  return {
      Memory("parties.csv", InputKind::kRecords, "bin,name\nB1,A\nB2,B\nB1,again\n"),
      Memory("returns.csv", InputKind::kRecords, "period,output_vat\n2024-07,30\n2024-08,10\n"),
      Memory("invoices-1.csv", InputKind::kRecords,
             "no,buyer,period,vat,branch,serial\n1,B1,2024-07,15,A,1\n2,B9,2024-07,15,A,2\n"),
      Memory("invoices-2.csv", InputKind::kRecords,
             "no,buyer,period,vat,branch,serial\n3,B2,2024-08,11,A,4\n4,,2024-09,5,B,1\n"),
  };
}

std::string Line(const policy::Finding& f) {
  return f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule +
         " " + f.message;
}

std::vector<std::string> Lines(const policy::Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(Line(f));
  return out;
}

}  // namespace

TEST_CASE("cross-input: lookups, groups over a data set of two files, duplicate index keys") {
  policy::CheckOptions options;
  options.jobs = 1;
  const policy::Report report = policy::Check(Program(), DataSet(), options);
  CHECK_MESSAGE(report.problems.empty(), report.problems.front().message);
  const std::vector<std::string> expected = {
      "invoices-1.csv:3:3 T-REF-001 buyer B9 is not in the master",
      // The series spans both files: serials 1, 2 and 4 of branch A.
      "invoices-2.csv:2:19 T-SER-001 A: 3 invoices, serials 1 to 4",
      // No return for 2024-09: located at the binding with the most VAT.
      "invoices-2.csv:3:12 T-RET-001 period 2024-09: 5 against nothing",
      "parties.csv:4:1 INDEX index party_by_bin: key \"B1\" was already seen at parties.csv:2; "
      "the first entry is kept (index.duplicate_key)",
      // A finding located in the other input: the return's value.
      "returns.csv:3:9 T-RET-001 period 2024-08: 11 against 10",
  };
  CHECK_MESSAGE(Lines(report) == expected, DescribeFindings(report.findings));
  // Groups count as evaluated once each; 2024-07 passed (15 + 15 == 30).
  CHECK(report.by_rule.at("T-RET-001").evaluated == 3);
  CHECK(report.by_rule.at("T-RET-001").failed == 2);
  CHECK(report.by_rule.at("INDEX").failed == 1);
}

TEST_CASE(
    "cross-input: an index whose source has no input is a problem, and its rules do not run") {
  std::vector<policy::Input> inputs = DataSet();
  inputs.erase(inputs.begin());  // no parties
  const policy::Report report = policy::Check(Program(), inputs, {});
  REQUIRE(report.problems.size() == 1);
  const policy::Problem& p = report.problems[0];
  CHECK(p.code == "input.missing_source");
  CHECK(p.file == "test.policy");
  CHECK(p.line == 5);
  CHECK(!p.warning);
  CHECK(p.message.find("records(party): no input is bound to schema party") != std::string::npos);
  CHECK(p.message.find("parties.csv") != std::string::npos);
  CHECK(p.message.find("not run: T-REF-001") != std::string::npos);
  for (const auto& f : report.findings) CHECK(f.rule != "T-REF-001");
  CHECK(report.rules_run == 2);
}

TEST_CASE("cross-input: group state merges in input order: same report for any --jobs") {
  // Three inputs of a few hundred KB each: many chunks, merged on 1 and 2
  // threads; the sums per period are checked against an oracle here.
  std::string parties = "bin,name\n";
  for (int i = 0; i < 50; ++i) parties += "B" + std::to_string(i) + ",n\n";
  std::map<std::string, long> vat_by_period;
  std::vector<policy::Input> inputs = {Memory("parties.csv", InputKind::kRecords, parties)};
  std::string returns = "period,output_vat\n";
  long serial = 0;
  for (int file = 0; file < 3; ++file) {
    std::string text = "no,buyer,period,vat,branch,serial\n";
    for (int i = 0; i < 12000; ++i) {
      const std::string period = "2024-" + std::to_string(10 + (i * 7 + file) % 12);
      const long vat = (i * 13 + file) % 97;
      ++serial;
      if (serial % 5000 == 0) continue;  // gaps
      vat_by_period[period] += vat;
      text += std::to_string(serial) + ",B" + std::to_string((i * 3) % 53) + "," + period + "," +
              std::to_string(vat) + ".00,A," + std::to_string(serial) + "\n";
    }
    inputs.push_back(
        Memory("invoices-" + std::to_string(file) + ".csv", InputKind::kRecords, text));
  }
  // Every other period's return is off by one taka.
  int k = 0;
  for (auto& [period, vat] : vat_by_period) {
    returns += period + "," + std::to_string(vat + (k++ % 2)) + "\n";
  }
  inputs.push_back(Memory("returns.csv", InputKind::kRecords, returns));

  policy::CheckOptions one;
  one.jobs = 1;
  one.max_findings = 0;
  policy::CheckOptions two = one;
  two.jobs = 2;
  const policy::Report a = policy::Check(Program(), inputs, one);
  const policy::Report b = policy::Check(Program(), inputs, two);
  CHECK(a.problems.empty());
  CHECK(Lines(a) == Lines(b));
  // The oracle: exactly the periods whose return is off, each with its sum.
  std::vector<std::string> wrong, found;
  k = 0;
  for (const auto& [period, vat] : vat_by_period)
    if (k++ % 2 == 1)
      wrong.push_back("period " + period + ": " + std::to_string(vat) + ".00 against " +
                      std::to_string(vat + 1));
  size_t gaps = 0;
  for (const auto& f : a.findings) {
    if (f.rule == "T-RET-001") found.push_back(f.message);
    if (f.rule == "T-SER-001") {
      ++gaps;
      CHECK(f.message == "A: 35993 invoices, serials 1 to 36000");
    }
  }
  std::sort(wrong.begin(), wrong.end());
  std::sort(found.begin(), found.end());
  CHECK(found == wrong);
  CHECK(gaps == 1);
}

TEST_CASE("cross-input: keep all makes an entry a list, field reads keep only those fields") {
  const policy::CompileResult compiled = CompileText(R"(
schema party { bin : string  name : string }
schema invoice { buyer : string }
index by_bin = records(party) by row.bin keep all
rule T-NAME-001 {
  title "the master names the buyer once"
  on records(invoice)
  require len(by_bin[row.buyer] ?? []) == 1 and by_bin[row.buyer][0].name != null
  at row.buyer
  message "{row.buyer}: {len(by_bin[row.buyer] ?? [])} parties"
}
)");
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  const policy::Report report =
      policy::Check(*compiled.program,
                    {Memory("parties.csv", InputKind::kRecords, "bin,name\nB1,A\nB2,B\nB1,again\n"),
                     Memory("invoices.csv", InputKind::kRecords, "buyer\nB1\nB2\nB3\n")},
                    {});
  CHECK(report.problems.empty());
  // keep all: no INDEX finding for the second B1.
  CHECK(Lines(report) == std::vector<std::string>{"invoices.csv:2:1 T-NAME-001 B1: 2 parties",
                                                  "invoices.csv:4:1 T-NAME-001 B3: 0 parties"});
}

TEST_CASE(
    "cross-input: the limit on groups is a param, and one error at the first binding past it") {
  const policy::CompileResult compiled = CompileText(R"(
param max_groups: decimal = 2
schema invoice { period : string }
rule T-GRP-001 {
  title "each period has two invoices"
  on records(invoice)
  group by period = row.period
  require count() == 2
}
)");
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  const policy::Report report = policy::Check(
      *compiled.program,
      {Memory("invoices.csv", InputKind::kRecords, "period\na\nb\nb\nc\na\nd\n")}, {});
  CHECK(Lines(report) ==
        std::vector<std::string>{
            "invoices.csv:5:1 T-GRP-001 evaluation error (limit.groups): more than 2 groups (param "
            "max_groups); the bindings past it are left out, the groups already open are judged"});
}

TEST_CASE("cross-input: a grouped rule's findings and its group-limit error obey --max-findings") {
  const policy::CompileResult compiled = CompileText(R"(
param max_groups: decimal = 3
schema invoice { period : string }
rule T-GRP-001 {
  title "each period has two invoices"
  on records(invoice)
  group by period = row.period
  require count() == 2
}
)");
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  const std::vector<policy::Input> inputs = {
      Memory("invoices.csv", InputKind::kRecords, "period\na\nb\nc\nd\ne\n")};
  policy::CheckOptions options;
  options.max_findings = 2;
  const policy::Report report = policy::Check(*compiled.program, inputs, options);
  // Three groups fail and the fourth period is past max_groups: four found, two listed.
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].line == 2);
  CHECK(report.findings[1].line == 3);
  for (const policy::Finding& f : report.findings) CHECK(f.kind == policy::FindingKind::kFinding);
  CHECK(report.by_rule.at("T-GRP-001").failed == 3);
  CHECK(report.by_rule.at("T-GRP-001").errors == 1);
  CHECK(report.by_rule.at("T-GRP-001").listed == 2);
  CHECK(report.truncated == 2);
  // With room for every finding, the limit error is listed and nothing is cut.
  options.max_findings = 0;
  const policy::Report all = policy::Check(*compiled.program, inputs, options);
  CHECK(all.findings.size() == 4);
  CHECK(all.findings.back().kind == policy::FindingKind::kEvaluationError);
  CHECK(all.truncated == 0);
}

TEST_CASE("cross-input: misuse is a compile error at the place") {
  struct Case {
    const char* body;
    const char* code;
  };
  const Case cases[] = {
      {"require idx == null", "index.misuse"},
      {"require row.a has 1", "index.misuse"},
      {"require count() == 1", "group.misuse"},
      {"group by k = row.a\n  for x in [1]\n  require true", "group.misuse"},
      {"group by k = row.a\n  require row.a != null", "name.unknown"},
      {"group by k = row.a\n  require sum(row.a) > 0 mostly 50%", "group.misuse"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    const std::string text = std::string(
                                 "schema s { a : decimal }\nindex idx = records(s) by row.a\n"
                                 "rule T-X-001 {\n  title \"t\"\n  on records(s)\n  ") +
                             c.body + "\n}\n";
    const policy::CompileResult compiled = CompileText(text);
    CHECK(!compiled.program);
    bool seen = false;
    for (const auto& d : compiled.diagnostics) seen = seen || d.code == c.code;
    CHECK_MESSAGE(seen, DescribeDiagnostics(compiled.diagnostics));
  }
  const policy::CompileResult twice = CompileText(
      "schema s { a : string }\nindex i = records(s) by row.a\nindex i = records(s) by row.a\n");
  CHECK(!twice.program);
  CHECK(twice.diagnostics.size() == 1);
  CHECK(twice.diagnostics[0].code == "index.duplicate_name");
  CHECK(twice.diagnostics[0].line == 3);
  const policy::CompileResult unknown = CompileText("index i = records(nope) by row.a\n");
  CHECK(!unknown.program);
  CHECK(unknown.diagnostics[0].code == "schema.unknown");
}

TEST_CASE("cross-input: a version-1 rule may still name things by, group, keep, has and index") {
  const policy::CompileResult compiled = CompileText(R"(
rule T-OLD-001 {
  title "old names"
  on records
  let by = 1
  let group = 2
  let keep = has(row, "x")
  let index = by + group
  require index == 3 and (keep or true)
}
)");
  CHECK_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
}
