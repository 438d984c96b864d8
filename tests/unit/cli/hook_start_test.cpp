// A hook's start: a run on named files compiles only the built-in packs whose
// rules are on those files' kinds, and never loses a rule it needs.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "libpolicy/engine.h"
#include "tests/unit/cli/run_cli.h"

namespace {

std::set<std::string> Ids(const policy::CompileOptions& options) {
  policy::CompileResult compiled = policy::Compile(options);
  REQUIRE(compiled.program);
  std::set<std::string> ids;
  for (const policy::RuleInfo& r : policy::ListRules(*compiled.program)) ids.insert(r.id);
  return ids;
}

}  // namespace

TEST_CASE("builtin_kinds: every rule on a kind is kept, packs without one are left out") {
  policy::CompileResult all = policy::Compile(policy::CompileOptions{});
  REQUIRE(all.program);
  for (const std::string kind : {"compose", "records", "document"}) {
    CAPTURE(kind);
    policy::CompileOptions narrow;
    narrow.builtin_kinds = {kind};
    std::set<std::string> kept = Ids(narrow);
    for (const policy::RuleInfo& r : policy::ListRules(*all.program)) {
      // "records(invoice)" is on records.
      if (r.target.rfind(kind, 0) == 0) CHECK_MESSAGE(kept.count(r.id), r.id);
    }
  }
  policy::CompileOptions compose;
  compose.builtin_kinds = {"compose"};
  std::set<std::string> kept = Ids(compose);
  CHECK(kept.count("RDY-SEC-001"));
  CHECK_FALSE(kept.count("BD-BIN-001"));  // the record pack is not compiled
  CHECK(Ids(policy::CompileOptions{}).size() > kept.size());
}

TEST_CASE("hook start: findings on named files are the same with the packs narrowed") {
  const std::string root = POLICY_SOURCE_DIR;
  // A walked directory compiles every pack; named files only the packs of their kinds.
  cli_test::Run walked = cli_test::PolicyCheckIn(root, "-f json -c /dev/null examples/");
  auto findings_of = [](const std::string& json, const std::string& file) {
    std::multiset<std::string> out;
    const nlohmann::json doc = nlohmann::json::parse(json);
    for (const auto& f : doc["findings"])
      if (f["file"] == file)
        out.insert(f["rule"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + ":" +
                   f["message"].get<std::string>());
    return out;
  };
  for (const std::string file : {"examples/compose.yaml", "examples/invoices.csv"}) {
    CAPTURE(file);
    cli_test::Run named = cli_test::PolicyCheckIn(root, "-f json -c /dev/null " + file);
    CHECK(named.code == 1);
    std::multiset<std::string> found = findings_of(named.out, file);
    CHECK_FALSE(found.empty());
    CHECK(found == findings_of(walked.out, file));
  }
  // Naming a rule of a pack the kinds would leave out keeps it known.
  cli_test::Run only =
      cli_test::PolicyCheckIn(root, "-c /dev/null --only BD-BIN-001 examples/compose.yaml");
  CHECK_MESSAGE(only.code != 2, only.err);
}
