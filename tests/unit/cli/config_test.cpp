#include "cli/config.h"

#include <doctest/doctest.h>

using policy::cli::ParseConfig;

namespace {

std::string ErrorOf(const std::string& text) {
  auto r = ParseConfig(text, "cfg/.policy-check.yaml");
  return r.config ? "" : r.error;
}

}  // namespace

TEST_CASE("config: the example of CLI.md") {
  auto r = ParseConfig(R"(rules: [policy/]            # added to the built-in packs
builtin: true
exclude: ["examples/bad/**"]
fail_on: warning
params:
  bd.vat_rate: 15
  x.name: "quoted"
rules_config:
  RDY-RES-001: { severity: warning }
  RDY-NET-001: { enabled: false }
  RDY-STY-001: { enabled: true }      # an opt_in rule
inputs:
  - path: "data/invoices*.csv"
    kind: records
    schema: invoice
)",
                       "/repo/.policy-check.yaml");
  REQUIRE_MESSAGE(r.config, r.error);
  const auto& c = *r.config;
  CHECK(c.dir == "/repo");
  CHECK(c.rules == std::vector<std::string>{"/repo/policy/"});
  CHECK(c.builtin == true);
  CHECK(c.exclude == std::vector<std::string>{"examples/bad/**"});
  CHECK(c.fail_on == policy::cli::FailOn::kWarning);
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0] == std::pair<std::string, std::string>{"bd.vat_rate", "15"});
  CHECK(c.params[1] == std::pair<std::string, std::string>{"x.name", "\"quoted\""});
  REQUIRE(c.rules_config.size() == 3);
  CHECK(c.rules_config.at("RDY-RES-001").severity == "warning");
  CHECK(c.rules_config.at("RDY-NET-001").enabled == false);
  CHECK(c.rules_config.at("RDY-STY-001").line == 11);
  REQUIRE(c.inputs.size() == 1);
  CHECK(c.inputs[0].kind == policy::InputKind::kRecords);
  CHECK(c.inputs[0].schema == "invoice");
}

TEST_CASE("config: errors name the file, the line and the key") {
  CHECK(ErrorOf("rules: [a]\nbogus: 1\n") ==
        "cfg/.policy-check.yaml:2:1: error: unknown key 'bogus' (expected builtin, exclude, "
        "fail_on, inputs, params, rules, rules_config)");
  CHECK(ErrorOf("builtin: maybe\n") ==
        "cfg/.policy-check.yaml:1:10: error: 'builtin' must be true or false");
  CHECK(ErrorOf("builtin: \"true\"\n").find("must be true or false") != std::string::npos);
  CHECK(ErrorOf("fail_on: sometimes\n").find(":1:10: error: 'fail_on' must be") !=
        std::string::npos);
  CHECK(ErrorOf("exclude: {a: 1}\n").find("'exclude' must be a list of strings") !=
        std::string::npos);
  CHECK(ErrorOf("rules_config:\n  X-1: {severity: fatal}\n")
            .find(":2:19: error: 'severity' must be error, warning or info") != std::string::npos);
  CHECK(ErrorOf("rules_config:\n  X-1: {level: error}\n")
            .find(":2:9: error: unknown key 'level' in rules_config.X-1") != std::string::npos);
  CHECK(ErrorOf("rules_config:\n  SCHEMA: {severity: info}\n").find("stay errors") !=
        std::string::npos);
  CHECK(ErrorOf("inputs:\n  - kind: records\n")
            .find(":2:5: error: an entry of 'inputs' needs 'path'") != std::string::npos);
  CHECK(ErrorOf("inputs:\n  - path: x\n    kind: table\n").find(":3:11:") != std::string::npos);
  CHECK(ErrorOf("inputs:\n  - path: x\n    kind: table\n").find("or dotenv") != std::string::npos);
  {
    auto env = ParseConfig("inputs:\n  - path: \"deploy/*.vars\"\n    kind: dotenv\n",
                           "cfg/.policy-check.yaml");
    REQUIRE(env.config);
    REQUIRE(env.config->inputs.size() == 1);
    CHECK(env.config->inputs[0].kind == policy::InputKind::kDotenv);
  }
  CHECK(ErrorOf("rules: [unclosed\n").find("cfg/.policy-check.yaml:") == 0);
  CHECK(ErrorOf("- a\n- b\n").find("must be a mapping") != std::string::npos);
  CHECK(ErrorOf("").empty());
}

TEST_CASE("config: unknown rule ids against the catalogue, with their lines") {
  auto r =
      ParseConfig("rules_config:\n  A-1: {enabled: false}\n  B-2: {severity: info}\n", "c.yaml");
  REQUIRE(r.config);
  policy::RuleInfo a;
  a.id = "A-1";
  auto errors = policy::cli::CheckRuleIds(*r.config, {a});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "c.yaml:3: error: unknown rule id 'B-2' in rules_config");
}

TEST_CASE("config: the command line wins over the file") {
  auto r = ParseConfig(
      "builtin: false\nfail_on: never\nparams: {a.b: 1, c.d: 2}\n"
      "rules_config: {X-1: {severity: info, enabled: true}}\n",
      "/r/.policy-check.yaml");
  REQUIRE(r.config);
  policy::cli::Options o;
  o.params = {{"a.b", "9"}};
  o.fail_on = policy::cli::FailOn::kWarning;
  o.fail_on_given = true;
  policy::CompileOptions copts;
  policy::cli::ApplyConfig(*r.config, o, copts);
  CHECK_FALSE(copts.builtin);
  CHECK(o.fail_on == policy::cli::FailOn::kWarning);
  REQUIRE(copts.params.size() == 2);
  CHECK(copts.params[0] == std::pair<std::string, std::string>{"c.d", "2"});
  CHECK(copts.params[1] == std::pair<std::string, std::string>{"a.b", "9"});
  CHECK(copts.severity_overrides.at("X-1") == "info");
  CHECK(copts.enabled_overrides.at("X-1"));
  policy::cli::Options plain;
  policy::cli::ApplyConfig(*r.config, plain, copts);
  CHECK(plain.fail_on == policy::cli::FailOn::kNever);
}
