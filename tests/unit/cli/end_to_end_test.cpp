// Runs the built policy-check binary as a user would, from the fixtures directory.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "libpolicy/engine.h"
#include "tests/unit/cli/run_cli.h"

namespace {

using cli_test::Has;
using cli_test::Run;
using cli_test::Slurp;

Run PolicyCheck(const std::string& args, const std::string& input = "") {
  return cli_test::PolicyCheckIn(cli_test::kData, args, input);
}

const std::string kRules = "--no-builtin -r rules ";

}  // namespace

TEST_CASE("cli: --version and --help") {
  Run v = PolicyCheck("--version");
  CHECK(v.code == 0);
  // The version is the project's (one place: CMakeLists.txt), then the commit
  // the binary was built from, or "unknown" outside a git work tree.
  CHECK(std::string(policy::Version()) == POLICY_PROJECT_VERSION);
  const std::regex version_line(std::string("policy-check ") + POLICY_PROJECT_VERSION +
                                R"( \(commit ([0-9a-f]{7,}|unknown)\)\n)");
  CHECK(std::regex_match(v.out, version_line));
  Run h = PolicyCheck("--help");
  CHECK(h.code == 0);
  CHECK(Has(h.out, "--fail-on"));
  CHECK(Has(h.out, "policy-check compile PATH"));
}

TEST_CASE("cli: usage errors exit 2 with a hint on stderr") {
  Run r = PolicyCheck("--bogus");
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(Has(r.err, "unknown option '--bogus'"));
  CHECK(Has(r.err, "--help"));
  CHECK(PolicyCheck("--fail-on=sometimes").code == 2);
}

TEST_CASE("cli: a clean input exits 0 with a summary on stderr (stdout is no terminal)") {
  Run r = PolicyCheck(kRules + "inputs/good/compose.yaml");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(Has(r.err, "0 errors, 0 warnings in 1 file (2 rules, "));
  Run quiet = PolicyCheck(kRules + "-q inputs/good/compose.yaml");
  CHECK(quiet.code == 0);
  CHECK(quiet.out.empty());
}

TEST_CASE("cli: an error finding exits 1, printed with its caret") {
  Run r = PolicyCheck(kRules + "./inputs/bad/compose.yaml");
  CHECK(r.code == 1);
  CHECK(Has(r.out,
            "inputs/bad/compose.yaml:3:12: error: service 'web': image 'nginx:latest' is not "
            "pinned [CLI-IMG-001]\n"
            "      image: nginx:latest\n"
            "             ^"));
  CHECK_FALSE(Has(r.out, "./inputs"));
  CHECK(Has(r.err, "1 error, 0 warnings in 1 file"));
  CHECK(PolicyCheck(kRules + "--fail-on never inputs/bad/compose.yaml").code == 0);
  CHECK(PolicyCheck(kRules + "--skip CLI-IMG-001 inputs/bad/compose.yaml").code == 0);
  CHECK(PolicyCheck(kRules + "--skip area_images inputs/bad/compose.yaml").code == 0);
}

TEST_CASE("cli: warnings fail only with --fail-on warning") {
  CHECK(PolicyCheck(kRules + "inputs/warn/compose.yaml").code == 0);
  Run r = PolicyCheck(kRules + "--fail-on warning inputs/warn/compose.yaml");
  CHECK(r.code == 1);
  CHECK(Has(r.out, "inputs/warn/compose.yaml:2:3: warning: service 'db' has no restart policy"));
}

TEST_CASE("cli: directories are walked, a missing file is exit 2 but the rest is checked") {
  Run r = PolicyCheck(kRules + "-f json inputs nope.yaml");
  CHECK(r.code == 2);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);
  CHECK(j["summary"]["files"] == 3);
  CHECK(j["summary"]["errors"] == 1);
  CHECK(j["summary"]["warnings"] == 1);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["file"] == "inputs/bad/compose.yaml");
  CHECK(j["findings"][0]["rule"] == "CLI-IMG-001");
  CHECK(j["findings"][0]["line"] == 3);
  CHECK(j["findings"][0]["path"] == "services.web.image");
  CHECK(j["findings"][1]["file"] == "inputs/warn/compose.yaml");
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["file"] == "nope.yaml");
  // With json, the summary line goes to stderr.
  CHECK(Has(r.err, "1 error, 1 input error, 1 warning in 3 files"));
}

TEST_CASE("cli: rule packs' tests/ fixtures are not walked") {
  Run r = PolicyCheck(kRules + "pack");
  CHECK(r.code == 0);
  CHECK(Has(r.err, "in 0 files"));
}

TEST_CASE("cli: -o writes the report to a file") {
  std::string out = (std::filesystem::temp_directory_path() /
                     ("policy-cli-o-" + std::to_string(::getpid()) + ".json"))
                        .string();
  Run r = PolicyCheck(kRules + "-f json -o " + out + " inputs/bad/compose.yaml");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  auto j = nlohmann::json::parse(Slurp(out));
  CHECK(j["findings"].size() == 1);
  std::filesystem::remove(out);
}

TEST_CASE("cli: standard input with --kind") {
  std::string compose = "services:\n  web:\n    image: nginx:latest\n    restart: always\n";
  Run r = PolicyCheck(kRules + "--kind compose -f json -", compose);
  CHECK(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["file"] == "-");
  CHECK(PolicyCheck(kRules + "-", compose).code == 2);
}

TEST_CASE("cli: --color always colours the text report") {
  Run r = PolicyCheck(kRules + "--color always inputs/bad/compose.yaml");
  CHECK(r.code == 1);
  CHECK(Has(r.out, "\x1b["));
  CHECK_FALSE(Has(PolicyCheck(kRules + "inputs/bad/compose.yaml").out, "\x1b["));
}

TEST_CASE("cli: compile reports a bad rule file at file:line:col and exits 2") {
  Run bad = PolicyCheck("compile bad_rules/broken.policy");
  CHECK(bad.code == 2);
  CHECK(Has(bad.err, "bad_rules/broken.policy:6:11: error:"));
  // Each diagnostic is printed once.
  CHECK(bad.err.find("broken.policy:6:11:") == bad.err.rfind("broken.policy:6:11:"));
  Run good = PolicyCheck("compile rules/images.policy");
  CHECK(good.code == 0);
  CHECK(good.err.empty());
  // A broken rule file stops a check before anything is evaluated.
  Run check = PolicyCheck("--no-builtin -r bad_rules inputs/bad/compose.yaml");
  CHECK(check.code == 2);
  CHECK(check.out.empty());
}

TEST_CASE("cli: rules and explain") {
  // `rules` is a subcommand only as the first argument; here it is a path.
  Run path = PolicyCheck(kRules + "-f json rules");
  CHECK(path.code == 0);
  CHECK(nlohmann::json::parse(path.out).contains("findings"));
  Run list = PolicyCheck("rules --no-builtin -r rules -f json");
  CHECK(list.code == 0);
  auto j = nlohmann::json::parse(list.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["id"] == "CLI-IMG-001");
  CHECK(j[1]["severity"] == "warning");
  Run md = PolicyCheck("rules --no-builtin -r rules -f markdown");
  CHECK(Has(md.out, "| CLI-RES-001 | warning | Services set a restart policy |"));
  Run explain = PolicyCheck("explain CLI-IMG-001 --no-builtin -r rules");
  CHECK(explain.code == 0);
  CHECK(Has(explain.out, "CLI-IMG-001: Service images are pinned to a tag other than latest"));
  CHECK(Has(explain.out, "Remedy: Pin a release"));
  CHECK(Has(explain.out, "clitest.images.min_tag_parts: decimal = 1\n"));
  Run overridden = PolicyCheck(
      "explain CLI-IMG-001 --no-builtin -r rules --param clitest.images.min_tag_parts=3");
  CHECK(Has(overridden.out, "clitest.images.min_tag_parts: decimal = 3\n"));
  CHECK(PolicyCheck(
            "explain CLI-IMG-001 --no-builtin -r rules --param clitest.images.min_tag_parts=x")
            .code == 2);
  Run unknown = PolicyCheck("explain CLI-IMG-999 --no-builtin -r rules");
  CHECK(unknown.code == 2);
  CHECK(Has(unknown.err, "unknown rule or diagnostic code 'CLI-IMG-999'"));
}

TEST_CASE("cli: test runs rule-pack fixtures") {
  // tests/ with the default rules, tests/opt_in/ with the opt_in rules alone.
  Run pass = PolicyCheck("test pack");
  CHECK(pass.code == 0);
  CHECK(Has(pass.out, "2 passed, 0 failed\n"));
  Run fail = PolicyCheck("test failpack");
  CHECK(fail.code == 1);
  CHECK(Has(fail.out, "failpack/tests/compose-bad.yaml:4:12: missing CLI-IMG-001\n"));
  CHECK(Has(fail.out, "failpack/tests/compose-bad.yaml:3:12: unexpected CLI-IMG-001 ("));
  CHECK(Has(fail.out, "0 passed, 1 failed\n"));
  CHECK(PolicyCheck("test bad_rules").code == 2);
  CHECK(PolicyCheck("test nowhere").code == 2);
}

TEST_CASE("cli: the readiness matrix of standard input and of a merged project") {
  const std::string compose = Slurp(cli_test::kData + "/inputs/bad/compose.yaml");
  Run named = PolicyCheck(kRules + "-f markdown inputs/bad/compose.yaml");
  Run piped = PolicyCheck(kRules + "-f markdown --kind compose -", compose);
  auto readiness = [](const std::string& md) { return md.substr(0, md.find('\n', 20)); };
  CHECK(named.out.find("Readiness: ") != std::string::npos);
  CHECK(readiness(piped.out) == readiness(named.out));
  Run merged = PolicyCheck(kRules +
                           "-f markdown --compose-merge inputs/bad/compose.yaml "
                           "inputs/good/compose.yaml");
  CHECK(Has(merged.out, "Merged over it, in order: `inputs/good/compose.yaml`."));
  CHECK_FALSE(Has(merged.out, "## Other inputs"));
}

TEST_CASE("cli: --only or --skip naming no loaded rule is a usage error with a suggestion") {
  Run typo = PolicyCheck(kRules + "--only CLI-IMG-01 inputs/good/compose.yaml");
  CHECK(typo.code == 2);
  CHECK(Has(typo.err, "--only names 'CLI-IMG-01'"));
  CHECK(Has(typo.err, "did you mean 'CLI-IMG-001'?"));
  Run tag = PolicyCheck(kRules + "--skip area_imagez inputs/good/compose.yaml");
  CHECK(tag.code == 2);
  CHECK(Has(tag.err, "did you mean 'area_images'?"));
  CHECK(PolicyCheck(kRules + "--skip area_images inputs/good/compose.yaml").code == 0);
}

TEST_CASE("cli: the summary counts input errors and every file a merge read") {
  Run broken = PolicyCheck(kRules + "--kind compose -", "services: [\n");
  CHECK(broken.code == 2);
  CHECK(Has(broken.err, "0 errors, 1 input error, 0 warnings in 1 file"));
  Run merged =
      PolicyCheck(kRules + "--compose-merge inputs/bad/compose.yaml inputs/good/compose.yaml");
  CHECK(Has(merged.err, " in 2 files ("));
}
