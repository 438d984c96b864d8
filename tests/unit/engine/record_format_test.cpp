// Record inputs whose name says nothing about their format (standard input,
// in-memory rows) say it with Input::format.
#include <doctest/doctest.h>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace {

const char* const kRules = R"(
rule FMT-001 {
  title "n is small"
  on records
  where row.n != null
  require decimal(row.n) < 10
  at row.n
}
)";

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program =
      policy_test::CompileText(kRules).program;
  return *program;
}

policy::Report CheckText(policy::RecordFormat format, std::string text) {
  policy::Input in{"<rows>", policy::InputKind::kRecords, std::move(text)};
  in.format = format;
  return policy::Check(Program(), {in}, {});
}

}  // namespace

TEST_CASE("record format: JSON Lines, CSV and TSV without a telling name") {
  policy::Report jsonl = CheckText(policy::RecordFormat::kJsonLines, "{\"n\": 3}\n{\"n\": 12}\n");
  CHECK(jsonl.problems.empty());
  REQUIRE(jsonl.findings.size() == 1);
  CHECK(jsonl.findings[0].file == "<rows>");
  CHECK(jsonl.findings[0].line == 2);

  policy::Report csv = CheckText(policy::RecordFormat::kCsv, "id,n\na,3\nb,12\n");
  REQUIRE(csv.findings.size() == 1);
  CHECK(csv.findings[0].line == 3);
  CHECK(csv.findings[0].column == 3);

  policy::Report tsv = CheckText(policy::RecordFormat::kTsv, "id\tn\na\t30\n");
  REQUIRE(tsv.findings.size() == 1);
  CHECK(tsv.findings[0].line == 2);
  CHECK(tsv.findings[0].column == 3);
}

TEST_CASE("record format: a JSON Lines line that is no record is a problem, the rest is checked") {
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::Input in{"rows.jsonl", policy::InputKind::kRecords,
                     std::string("{\"n\": 11}\n{\"n\": \n[3]\n{\"n\": 12}\n")};
    policy::CheckOptions options;
    options.jobs = jobs;
    policy::Report report = policy::Check(Program(), {in}, options);
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].line == 1);
    CHECK(report.findings[1].line == 4);
    REQUIRE(report.problems.size() == 2);
    CHECK(report.problems[0].line == 2);
    CHECK(report.problems[1].line == 3);
    CHECK(report.problems[1].message.find("must be an object") != std::string::npos);
    CHECK_FALSE(report.problems[0].warning);
  }
  // A file of garbage lists 100 of them and counts the rest, in file order for any --jobs.
  std::string garbage;
  for (int i = 0; i < 20000; ++i) garbage += "not json " + std::to_string(i) + "\n";
  garbage += "{\"n\": 50}\n";
  std::vector<std::string> first;
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::Input in{"junk.jsonl", policy::InputKind::kRecords, garbage};
    policy::CheckOptions options;
    options.jobs = jobs;
    policy::Report report = policy::Check(Program(), {in}, options);
    REQUIRE(report.problems.size() == 101);
    CHECK(report.problems[0].line == 1);
    CHECK(report.problems[99].line == 100);
    CHECK(report.problems[100].message == "19900 more records could not be read (not listed)");
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].line == 20001);
  }
}
