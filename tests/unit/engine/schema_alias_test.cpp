// Schema column aliases (`bin | bin_no : string`) and table params (a list
// param of maps, overridden as a YAML list of flow maps): LANGUAGE.md section 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

using policy_test::CompileText;
using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;

namespace {

const char* const kRules = R"(
schema party {
  id                      : string required
  bin | bin_no | "BIN No" : string
  paid | amount_paid      : decimal
}

# The aliased cell is read under the field's name, typed.
rule ALI-001 {
  title "bin is 13 characters"
  on records(party)
  where row.bin != null
  require len(row.bin) == 13
  at row.bin
  message "bin {row.bin}"
}

rule ALI-002 {
  title "paid is below 100"
  on records(party)
  where row.paid != null
  require row.paid < 100
  at row.paid
}

# Iterating the row sees the field's name as the key.
rule ALI-003 {
  title "keys"
  on records(party)
  for key, value in row
  where value == "KEY"
  require false
  at value
  message "key {key}"
}
)";

const policy::Program& Program() {
  static const policy::CompileResult compiled = CompileText(kRules);
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

std::vector<policy::Finding> Check(const std::string& path, const std::string& text) {
  policy::Input in{path, policy::InputKind::kRecords, text};
  in.schema = "party";
  policy::CheckOptions options;
  options.max_findings = 0;
  policy::Report report = policy::Check(Program(), {in}, options);
  CHECK(report.problems.empty());
  return report.findings;
}

std::vector<std::string> Messages(const std::vector<policy::Finding>& findings) {
  std::vector<std::string> out;
  for (const policy::Finding& f : findings) out.push_back(f.rule + " " + f.message);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("schema aliases: a CSV column is read under its field's name") {
  auto findings = Check("p.csv", "id,bin_no,amount_paid\nA,123,150.5\n");
  const std::vector<std::string> expected = {
      "ALI-001 bin 123", "ALI-002 paid is below 100: row.paid (150.5) < 100 (100)"};
  CHECK_MESSAGE(Messages(findings) == expected, DescribeFindings(findings));
  // Located at the aliased cell.
  for (const policy::Finding& f : findings) {
    CHECK(f.line == 2);
    CHECK(f.column == (f.rule == "ALI-001" ? 3u : 7u));
  }
  // A quoted alias, and the typed value: "12,5" is no decimal.
  findings = Check("p.csv", "id,BIN No,amount_paid\nA,1234567890123,\"12,5\"\n");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "SCHEMA");
  CHECK(findings[0].message.find("'paid'") != std::string::npos);
}

TEST_CASE("schema aliases: the field's own name wins, then the aliases in order") {
  // Both bin and bin_no: bin is the field; bin_no stays an untyped column.
  auto findings = Check("p.csv", "id,bin_no,bin\nA,1,1234567890123\n");
  CHECK_MESSAGE(findings.empty(), DescribeFindings(findings));
  // bin_no before "BIN No" whatever the column order.
  findings = Check("p.csv", "id,BIN No,bin_no\nA,1234567890123,12\n");
  CHECK(Messages(findings) == std::vector<std::string>{"ALI-001 bin 12"});
}

TEST_CASE("schema aliases: JSON Lines keys, and iteration sees the field's name") {
  auto findings = Check("p.jsonl",
                        "{\"id\": \"A\", \"bin_no\": \"KEY\", \"amount_paid\": 5}\n"
                        "{\"id\": \"B\", \"bin\": \"1234567890123\", \"amount_paid\": 500}\n"
                        "{\"id\": \"C\", \"bin_no\": \"1234567890123\", \"other\": \"KEY\"}\n");
  const std::vector<std::string> expected = {
      "ALI-001 bin KEY", "ALI-002 paid is below 100: row.paid (500) < 100 (100)", "ALI-003 key bin",
      "ALI-003 key other"};
  CHECK_MESSAGE(Messages(findings) == expected, DescribeFindings(findings));
  findings = Check("p.csv", "id,bin_no\nA,KEY\n");
  CHECK(Messages(findings) == std::vector<std::string>{"ALI-001 bin KEY", "ALI-003 key bin"});
}

TEST_CASE("schema aliases: compile errors") {
  auto codes = [](const std::string& text) {
    std::vector<std::string> out;
    for (const policy::Diagnostic& d : CompileText(text).diagnostics) out.push_back(d.code);
    return out;
  };
  CHECK(codes("schema s {\n  a | b : string\n  c | b : string\n}\n") ==
        std::vector<std::string>{"schema.duplicate_field"});
  CHECK(codes("schema s {\n  a | a : string\n}\n") ==
        std::vector<std::string>{"schema.duplicate_field"});
  CHECK(codes("schema s {\n  a | b : string required\n}\n").empty());
  CHECK(!CompileText("schema s {\n  a | : string\n}\n").diagnostics.empty());
  CHECK(CompileText("schema s {\n  a | \"B b\" | c_d : date(\"DD/MM/YYYY\")\n}\n")
            .diagnostics.empty());
}

TEST_CASE("table params: defaults and overrides of a list of maps") {
  const std::string rules = R"(
param table: list = [{"rate": 15, "from": date("2019-07-01"), "until": null}]
rule TBL-001 {
  title "in force"
  on records
  let d = date(row.d)
  let r = decimal(row.r)
  require any p in table: p.rate == r and p.from <= d and (p.until == null or d <= p.until)
}
)";
  auto failing = [&](const std::vector<std::pair<std::string, std::string>>& params) {
    policy::CompileResult compiled = CompileText(rules, params);
    REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
    policy::Input in{"t.csv", policy::InputKind::kRecords,
                     "d,r\n2019-07-01,15\n2019-06-30,15\n2021-01-01,7.5\n2022-01-01,7.5\n"};
    policy::CheckOptions options;
    options.max_findings = 0;
    policy::Report report = policy::Check(*compiled.program, {in}, options);
    CHECK(report.problems.empty());
    std::vector<uint32_t> lines;
    for (const policy::Finding& f : report.findings) {
      CHECK_MESSAGE(f.kind == policy::FindingKind::kFinding, DescribeFindings({f}));
      lines.push_back(f.line);
    }
    return lines;
  };
  CHECK(failing({}) == std::vector<uint32_t>{3, 4, 5});
  // Plain YYYY-MM-DD scalars in the maps are dates; an absent key reads as null.
  CHECK(failing({{"table",
                  "[{rate: 15, from: 2019-07-01}, "
                  "{rate: 7.5, from: 2020-07-01, until: 2021-06-30}]"}}) ==
        std::vector<uint32_t>{3, 5});
  // Not a table: a nested list, a key written twice, a bare map.
  for (const char* bad : {"[{rate: [15]}]", "[{rate: 15, rate: 7.5}]", "{rate: 15}"}) {
    CAPTURE(bad);
    policy::CompileResult compiled = CompileText(rules, {{"table", bad}});
    CHECK(!compiled.program);
  }
}

TEST_CASE("schema aliases: a required field is present under any of its column names") {
  policy::CompileResult compiled =
      CompileText("schema party {\n  id : string required\n  bin | bin_no : string required\n}\n");
  REQUIRE(compiled.program);
  auto schema_findings = [&](const std::string& csv) {
    policy::Input in;
    in.path = "party.csv";
    in.kind = policy::InputKind::kRecords;
    in.text = csv;
    std::vector<std::string> out;
    for (const policy::Finding& f : policy::Check(*compiled.program, {in}, {}).findings)
      out.push_back(f.message);
    return out;
  };
  CHECK(schema_findings("id,bin_no\nA,1234567890123\n").empty());
  CHECK(schema_findings("id,bin\nA,1234567890123\n").empty());
  std::vector<std::string> missing = schema_findings("id,tin\nA,1\n");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].find("required column 'bin'") != std::string::npos);
}
