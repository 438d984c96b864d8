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
