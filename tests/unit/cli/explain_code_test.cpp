// `policy-check explain CODE`: diagnostic codes explained from the table, and
// "did you mean" among rule ids and codes for an unknown word.
#include "cli/explain_code.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/suggest.h"
#include "libpolicy/diagnostic_codes.h"
#include "tests/unit/cli/run_cli.h"

namespace {

using cli_test::Has;
using cli_test::Run;

Run PolicyCheck(const std::string& args) { return cli_test::PolicyCheckIn(cli_test::kData, args); }

// RunExplain in-process, as main() would call it.
Run ExplainInProcess(const std::string& word) {
  std::ostringstream out, err;
  std::istringstream in;
  policy::cli::Streams io{out, err, in};
  policy::cli::Options options;
  options.command = policy::cli::Command::kExplain;
  options.rule_id = word;
  Run run;
  run.code = policy::cli::RunExplain(options, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace

TEST_CASE("explain: a diagnostic code prints its severity, message form and help") {
  Run r = PolicyCheck("explain syntax.expected");
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(Has(r.out, "syntax.expected (error)\n"));
  CHECK(Has(r.out, "message: expected WHAT, found TOKEN\n"));
  CHECK(Has(r.out, std::string(policy::InfoOf(policy::DiagCode::kSyntaxExpected).help)));
  // The warning's severity is its own, not a fixed "error".
  CHECK(Has(PolicyCheck("explain name.unused_let").out, "name.unused_let (warning)\n"));
  // A code needs no rules, so broken rule files do not stop it.
  CHECK(PolicyCheck("explain type.mismatch --no-builtin -r bad_rules").code == 0);
}

TEST_CASE("explain: every code of the table is explained") {
  for (const policy::DiagCodeInfo& info : policy::AllDiagCodes()) {
    INFO(info.name);
    Run r = ExplainInProcess(info.name);
    CHECK(r.code == 0);
    CHECK(r.out == policy::cli::FormatCodeExplanation(info));
    CHECK(r.out.rfind(std::string(info.name) + " (" + policy::SeverityName(info.severity) + ")",
                      0) == 0);
  }
}

TEST_CASE("explain: an unknown word exits 2 and suggests rule ids and codes") {
  Run code_typo = PolicyCheck("explain syntax.expectd --no-builtin -r rules");
  CHECK(code_typo.code == 2);
  CHECK(code_typo.out.empty());
  CHECK(Has(code_typo.err, "unknown rule or diagnostic code 'syntax.expectd'"));
  CHECK(Has(code_typo.err, "did you mean syntax.expected"));

  Run id_typo = PolicyCheck("explain CLI-IMG-01 --no-builtin -r rules");
  CHECK(id_typo.code == 2);
  CHECK(Has(id_typo.err, "did you mean CLI-IMG-001?"));

  Run nothing_close = PolicyCheck("explain zzzzzzzzzzzz --no-builtin -r rules");
  CHECK(nothing_close.code == 2);
  CHECK_FALSE(Has(nothing_close.err, "did you mean"));
}

TEST_CASE("suggest: closest words within a third of the length") {
  using policy::cli::ClosestWords;
  using policy::cli::EditDistance;
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("type.mismatch", "type.mismatch") == 0);
  const std::vector<std::string> words = {"name.unknown", "name.unknown_function", "type.ordering",
                                          "name.shadowed"};
  CHECK(ClosestWords("name.unknwn", words) == std::vector<std::string>{"name.unknown"});
  CHECK(ClosestWords("typ.ordering", words) == std::vector<std::string>{"type.ordering"});
  CHECK(ClosestWords("banana", words).empty());
  CHECK(ClosestWords("name.unknown", {"name.unknown", "name.unknown"}).size() == 1);
}
