// --max-findings on the command line: evaluation errors are listed up to the
// limit and counted past it, as failures are, on records and on compose files,
// and the summary says how many were not listed (issue 13).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/unit/cli/run_cli.h"

namespace {

using cli_test::Has;
using cli_test::Run;

// Every record and every service gives an evaluation error (text ordered
// against a number), never a failure.
constexpr const char* kRules = R"(rule T-ERR-001 {
  title "a record's id ordered against a number"
  on records
  require row.id < 5
}
rule T-ERR-002 {
  title "a service's image ordered against a number"
  on compose
  for name, svc in compose.services
  require svc.image < 5
}
)";

// A scratch directory with the rules, a CSV of `rows` records and a compose
// file of `services` services.
std::filesystem::path Fixture(int rows, int services) {
  const std::filesystem::path dir = cli_test::ScratchDir("max-findings");
  std::ofstream(dir / "errors.policy") << kRules;
  std::ofstream csv(dir / "rows.csv");
  csv << "id\n";
  for (int i = 0; i < rows; ++i) csv << "id-" << i << "\n";
  std::ofstream compose(dir / "compose.yaml");
  compose << "services:\n";
  for (int i = 0; i < services; ++i) compose << "  s" << i << ":\n    image: redis:" << i << "\n";
  return dir;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("cli: evaluation errors obey --max-findings on records and compose files") {
  const std::filesystem::path dir = Fixture(500, 30);
  const std::string args = "--no-builtin -r errors.policy --max-findings 10 ";
  for (const char* jobs : {"1", "2"}) {
    CAPTURE(jobs);
    const Run text =
        cli_test::PolicyCheckIn(dir, args + "--jobs " + jobs + " rows.csv compose.yaml");
    CHECK(text.code == 1);
    CHECK(Count(text.out, "evaluation error (type.ordering)") == 20);
    CHECK(Count(text.out, "[T-ERR-001]") == 10);
    CHECK(Count(text.out, "[T-ERR-002]") == 10);
    // 490 records and 20 services past the limit, said in the summary.
    CHECK_MESSAGE(
        Has(text.err, "20 errors, 0 warnings, 510 not listed (--max-findings) in 2 files"),
        text.err);

    const Run json =
        cli_test::PolicyCheckIn(dir, args + "--jobs " + jobs + " -f json rows.csv compose.yaml");
    CHECK(json.code == 1);
    const nlohmann::json report = nlohmann::json::parse(json.out);
    CHECK(report["findings"].size() == 20);
    for (const auto& f : report["findings"]) CHECK(f["kind"] == "evaluation_error");
    const auto& summary = report["summary"];
    CHECK(summary["truncated"] == 510);
    CHECK(summary["by_rule"]["T-ERR-001"]["errors"] == 500);
    CHECK(summary["by_rule"]["T-ERR-001"]["listed"] == 10);
    CHECK(summary["by_rule"]["T-ERR-002"]["errors"] == 30);
    CHECK(summary["by_rule"]["T-ERR-002"]["listed"] == 10);
  }
  // Unlimited: every one is listed and nothing is said to be cut.
  const Run all = cli_test::PolicyCheckIn(
      dir, "--no-builtin -r errors.policy --max-findings 0 rows.csv compose.yaml");
  CHECK(Count(all.out, "evaluation error (type.ordering)") == 530);
  CHECK_FALSE(Has(all.err, "not listed"));
  std::filesystem::remove_all(dir);
}
