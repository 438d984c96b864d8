// The compiler on its own: this suite links the check layer and what it stands
// on (eval, syntax, builtins, core), never the loaders, the run pipeline or the
// reporters, so it also proves check needs none of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/check/params.h"
#include "libpolicy/engine.h"

namespace {

policy::CompileResult CompileText(const std::string& text,
                                  std::vector<std::pair<std::string, std::string>> params = {}) {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources = {{"t.policy", text, "."}};
  options.params = std::move(params);
  return policy::Compile(options);
}

const char* const kVatRule =
    "package t\n"
    "param vat_rate: decimal = 15\n"
    "rule T-001 {\n"
    "  title \"Rate is the configured one\"\n"
    "  on document\n"
    "  require doc.rate == vat_rate\n"
    "}\n";

}  // namespace

TEST_CASE("a rule compiles and is listed with its place and target") {
  policy::CompileResult r = CompileText(kVatRule);
  REQUIRE(r.program);
  CHECK(r.diagnostics.empty());
  std::vector<policy::RuleInfo> rules = policy::ListRules(*r.program);
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].id == "T-001");
  CHECK(rules[0].title == "Rate is the configured one");
  CHECK(rules[0].target == "document");
  CHECK(rules[0].file == "t.policy");
  CHECK(rules[0].line == 3);
}

TEST_CASE("an unknown function is an error with a place and a suggestion, and no program") {
  policy::CompileResult r = CompileText(
      "rule T-002 {\n"
      "  title \"Unknown function\"\n"
      "  on document\n"
      "  require normalise_digits(doc.phone) == \"01711\"\n"
      "}\n");
  CHECK_FALSE(r.program);
  REQUIRE(r.diagnostics.size() == 1);
  const policy::Diagnostic& d = r.diagnostics[0];
  CHECK(d.severity == policy::Severity::kError);
  CHECK(d.code.rfind("name.", 0) == 0);
  CHECK(d.line == 4);
  CHECK(d.column == 11);
  CHECK(d.help.find("normalize_digits") != std::string::npos);
}

TEST_CASE("a param override replaces the default, one of the wrong type is an error") {
  policy::CompileResult r = CompileText(kVatRule, {{"t.vat_rate", "7.5"}});
  REQUIRE(r.program);
  std::vector<policy::ParamInfo> params = policy::ListParams(*r.program);
  REQUIRE(params.size() == 1);
  CHECK(params[0].name == "t.vat_rate");
  CHECK(params[0].type == "decimal");
  CHECK(params[0].value == "7.5");

  policy::CompileResult bad = CompileText(kVatRule, {{"t.vat_rate", "fifteen"}});
  CHECK_FALSE(bad.program);
  CHECK_FALSE(bad.diagnostics.empty());
}

TEST_CASE("param overrides are read by the declared type") {
  policy::Arena arena;
  policy::Result<policy::Value> rate = policy::check::ParseParamOverride("decimal", "7.5", arena);
  REQUIRE(rate);
  CHECK(policy::check::MatchesParamType("decimal", *rate));
  CHECK_FALSE(policy::check::MatchesParamType("bool", *rate));
  CHECK(policy::check::ParseParamOverride("bool", "true", arena));
  policy::Result<policy::Value> bad = policy::check::ParseParamOverride("bool", "maybe", arena);
  REQUIRE_FALSE(bad);
  CHECK_FALSE(bad.error().message.empty());
}

TEST_CASE("the embedded packs compile: check carries them") {
  policy::CompileOptions options;
  policy::CompileResult r = policy::Compile(options);
  REQUIRE(r.program);
  std::vector<policy::RuleInfo> rules = policy::ListRules(*r.program);
  CHECK(std::any_of(rules.begin(), rules.end(),
                    [](const policy::RuleInfo& rule) { return rule.id == "RDY-IMG-001"; }));
}
