// The CI-facing side of policy-check, end to end: every format from the built
// binary, read by the clients CI uses (the SARIF schema, xml.etree), the
// configuration file, baselines, --jobs and the rule table.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"
#include "tests/unit/cli/run_cli.h"

namespace {

namespace fs = std::filesystem;
using cli_test::Has;
using cli_test::Run;

const std::string kRules = "--no-builtin -r rules ";
const std::string kScripts = POLICY_SOURCE_DIR "/tests/unit/cli/scripts";
const std::string kSecret = "S3cretPassw0rd!";

Run InData(const std::string& args) { return cli_test::PolicyCheckIn(cli_test::kData, args); }

// The official SARIF schema under shared/; the environment's POLICY_SHARED_DIR
// wins over the build's, so a worktree outside the project folder finds it.
std::string SarifSchema() {
  const char* shared = std::getenv("POLICY_SHARED_DIR");
  return std::string(shared != nullptr ? shared : POLICY_SHARED_DIR) + "/schemas/sarif-2.1.0.json";
}

}  // namespace

TEST_CASE("formats: sarif is valid against the official SARIF 2.1.0 schema") {
  std::string schema = SarifSchema();
  if (!fs::exists(schema)) {
    MESSAGE("skipped: no SARIF schema at " << schema << " (POLICY_SHARED_DIR)");
    return;
  }
  fs::path dir = cli_test::ScratchDir("sarif");
  for (const std::string& args :
       {kRules + "inputs nope.yaml", std::string("secret inputs/bad/compose.yaml")}) {
    std::string out = (dir / "report.sarif").string();
    Run r = InData("-f sarif -o " + out + " " + args);
    CHECK(r.code >= 1);
    Run v = cli_test::Shell("python3 '" + kScripts + "/validate_sarif.py' '" + schema + "' '" +
                            out + "'");
    if (v.code == 77) {
      MESSAGE("skipped: " << v.out);
      return;
    }
    CHECK_MESSAGE(v.code == 0, v.out);
    auto doc = nlohmann::json::parse(cli_test::Slurp(out));
    // Relative to the git work tree's root: this checkout.
    bool found = false;
    for (const auto& result : doc["runs"][0]["results"]) {
      std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
      CHECK(uri.rfind("tests/unit/cli/data/", 0) == 0);
      found = true;
    }
    CHECK(found);
  }
  fs::remove_all(dir);
}

TEST_CASE("formats: a SARIF file is written when the rules do not compile or config fails") {
  std::string schema = SarifSchema();
  fs::path dir = cli_test::ScratchDir("sarif-fail");
  std::string out = (dir / "report.sarif").string();
  for (const std::string& args : {std::string("--no-builtin -r bad_rules inputs"),
                                  std::string("-c no-such-config.yaml inputs"),
                                  std::string("--baseline no-such-baseline.json inputs")}) {
    CAPTURE(args);
    fs::remove(out);
    Run r = InData("-f sarif -o " + out + " " + args);
    CHECK(r.code == 2);
    CHECK_FALSE(r.err.empty());  // the log still says why
    REQUIRE(fs::exists(out));
    auto doc = nlohmann::json::parse(cli_test::Slurp(out));
    const auto& inv = doc["runs"][0]["invocations"][0];
    CHECK(inv["executionSuccessful"] == false);
    CHECK_FALSE(inv["toolExecutionNotifications"].empty());
    CHECK(doc["runs"][0]["results"].empty());
    if (fs::exists(schema)) {
      Run v = cli_test::Shell("python3 '" + kScripts + "/validate_sarif.py' '" + schema + "' '" +
                              out + "'");
      CHECK_MESSAGE((v.code == 0 || v.code == 77), v.out);
    }
  }
  Run bad = InData("-f sarif -o " + out + " --no-builtin -r bad_rules inputs");
  auto doc = nlohmann::json::parse(cli_test::Slurp(out));
  const auto& first = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(first["descriptor"].contains("id"));  // the diagnostic's code
  CHECK(
      first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().find(
          "bad_rules/broken.policy") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("formats: codequality is the GitLab widget's JSON, paths from the repository root") {
  Run r = InData(kRules + "-f codequality inputs/bad/compose.yaml inputs/warn/compose.yaml");
  CHECK(r.code == 1);
  auto issues = nlohmann::json::parse(r.out);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0]["check_name"] == "CLI-IMG-001");
  CHECK(issues[0]["severity"] == "major");
  CHECK(issues[0]["location"]["path"] == "tests/unit/cli/data/inputs/bad/compose.yaml");
  CHECK(issues[0]["location"]["lines"]["begin"] == 3);
  CHECK(issues[1]["severity"] == "minor");
  CHECK(issues[0]["fingerprint"] != issues[1]["fingerprint"]);
}

TEST_CASE("formats: junit parses with xml.etree, one suite per file, one case per rule") {
  fs::path dir = cli_test::ScratchDir("junit");
  std::string out = (dir / "report.xml").string();
  Run r = InData(kRules + "-f junit -o " + out + " inputs");
  CHECK(r.code == 1);
  Run v = cli_test::Shell("python3 '" + kScripts + "/check_junit.py' '" + out + "'");
  CHECK_MESSAGE(v.code == 0, v.out);
  CHECK(Has(v.out, "inputs/bad/compose.yaml 2 1 0\n"));
  CHECK(Has(v.out,
            "  FAIL CLI-IMG-001 inputs/bad/compose.yaml:3:12: error: service 'web': image "
            "'nginx:latest' is not pinned [CLI-IMG-001]\n"));
  CHECK(Has(v.out, "inputs/good/compose.yaml 2 0 0\n"));
  // A warning is below the default --fail-on error: listed, but not a failure.
  CHECK(Has(v.out, "inputs/warn/compose.yaml 2 0 0\n"));
  CHECK(Has(cli_test::Slurp(out), "<system-out>inputs/warn/compose.yaml:2:3: warning:"));
  Run strict = InData(kRules + "-f junit --fail-on warning -o " + out + " inputs");
  CHECK(strict.code == 1);
  v = cli_test::Shell("python3 '" + kScripts + "/check_junit.py' '" + out + "'");
  CHECK_MESSAGE(v.code == 0, v.out);
  CHECK(Has(v.out, "inputs/warn/compose.yaml 2 1 0\n"));
  fs::remove_all(dir);
}

TEST_CASE("formats: github annotations") {
  Run r = InData(kRules + "-f github inputs/bad/compose.yaml inputs/warn/compose.yaml");
  CHECK(r.code == 1);
  // Paths from the repository's root (this checkout), as SARIF has them.
  CHECK(r.out ==
        "::error file=tests/unit/cli/data/inputs/bad/compose.yaml,line=3,col=12,title=CLI-IMG-001::"
        "service 'web': image 'nginx:latest' is not pinned\n"
        "::warning file=tests/unit/cli/data/inputs/warn/compose.yaml,line=2,col=3,title=CLI-RES-001"
        "::service 'db' has no restart policy\n");
  CHECK(Has(r.err, "1 error, 1 warning in 2 files"));
}

TEST_CASE("formats: no format prints a hardcoded secret") {
  for (const char* format : {"text", "json", "sarif", "junit", "github", "codequality"}) {
    CAPTURE(format);
    Run r = InData(std::string("-v -f ") + format + " secret/docker-compose.yml");
    CHECK(r.code == 1);
    CHECK(Has(r.out + r.err, "RDY-SEC-001"));
    CHECK_FALSE(Has(r.out + r.err, kSecret));
    CHECK_FALSE(Has(r.out + r.err, "Passw0rd"));
  }
}

TEST_CASE("inputs: output is identical for --jobs 1 and --jobs 4") {
  for (const char* format : {"json", "sarif", "junit", "text"}) {
    CAPTURE(format);
    std::string args =
        std::string("-f ") + format + " --fail-on never inputs secret pack configured";
    Run one = InData("--jobs 1 " + args);
    Run four = InData("--jobs 4 " + args);
    CHECK(one.code == four.code);
    CHECK(one.out == four.out);
    CHECK_FALSE(one.out.empty());
  }
}

TEST_CASE("config: .policy-check.yaml is found, applied, and overridden by flags") {
  std::string here = cli_test::kData + "/configured";
  Run r = cli_test::PolicyCheckIn(here, "-f json . other.skip.yaml");
  CHECK_MESSAGE(r.code == 0, r.err);  // fail_on warning, and CLI-RES-001 made info
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["file"] == "data/stack.txt");  // bound to compose by inputs:
  CHECK(j["findings"][0]["severity"] == "info");
  CHECK(j["summary"]["files"] == 1);  // examples/bad and *.skip.yaml excluded, named or walked
  CHECK(cli_test::PolicyCheckIn(here, "--fail-on info .").code == 1);
  // Discovered upward from a subdirectory, paths still relative to the file.
  Run sub = cli_test::PolicyCheckIn(here + "/data", "-f json --fail-on info .");
  CHECK(sub.code == 1);
  CHECK(Has(sub.out, "\"file\": \"stack.txt\""));
  // The same directory with the configuration file given explicitly: same result.
  Run explicit_config = InData("-c configured/.policy-check.yaml -f json configured");
  CHECK(explicit_config.code == 0);
  CHECK(Has(explicit_config.out, "\"file\": \"configured/data/stack.txt\""));
  CHECK_FALSE(Has(explicit_config.out, "examples/bad"));
}

TEST_CASE("config: errors exit 2 naming the file, key and line") {
  fs::path dir = cli_test::ScratchDir("config");
  std::ofstream(dir / "bad.yaml") << "builtin: false\nrules: [" << cli_test::kData
                                  << "/rules]\nrules_config:\n  CLI-IMG-001: {enabled: false}\n"
                                     "  CLI-NOPE-001: {severity: info}\n";
  Run unknown = InData("-c " + (dir / "bad.yaml").string() + " inputs");
  CHECK(unknown.code == 2);
  CHECK(Has(unknown.err, "bad.yaml:5: error: unknown rule id 'CLI-NOPE-001' in rules_config"));
  std::ofstream(dir / "typo.yaml") << "fail_on: error\nexlude: [a]\n";
  Run typo = InData("-c " + (dir / "typo.yaml").string() + " inputs");
  CHECK(typo.code == 2);
  CHECK(Has(typo.err, "typo.yaml:2:1: error: unknown key 'exlude'"));
  CHECK(InData("-c " + (dir / "missing.yaml").string()).code == 2);
  fs::remove_all(dir);
}

TEST_CASE("baseline: write, then the same findings are baselined and pass") {
  fs::path dir = cli_test::ScratchDir("baseline");
  std::string base = (dir / "baseline.json").string();
  Run write = InData(kRules + "--write-baseline " + base + " inputs");
  CHECK(write.code == 0);
  auto j = nlohmann::json::parse(cli_test::Slurp(base));
  CHECK(j["version"] == 1);
  // Every unsuppressed finding, the warning too; files relative to the repository.
  REQUIRE(j["fingerprints"].size() == 2);
  CHECK(j["fingerprints"][0]["rule"] == "CLI-IMG-001");
  CHECK(j["fingerprints"][0]["file"] == "tests/unit/cli/data/inputs/bad/compose.yaml");
  CHECK(j["fingerprints"][1]["rule"] == "CLI-RES-001");
  Run again = InData(kRules + "--baseline " + base + " inputs");
  CHECK(again.code == 0);
  CHECK(Has(again.err, "0 errors, 0 warnings, 2 baselined in 3 files"));
  CHECK_FALSE(Has(again.out, "CLI-IMG-001"));
  Run verbose = InData(kRules + "-v --baseline " + base + " inputs/bad/compose.yaml");
  CHECK(Has(verbose.out, "[CLI-IMG-001] (baselined)"));
  Run sarif = InData(kRules + "-f sarif --baseline " + base + " inputs/bad/compose.yaml");
  CHECK(Has(sarif.out, "\"kind\": \"external\""));
  // A finding the baseline does not hold still fails.
  CHECK(InData("--baseline " + base + " secret/docker-compose.yml").code == 1);
  // A bad baseline file is a usage error; a missing input still wins over --write-baseline.
  std::ofstream(dir / "bad.json") << "{\"version\": 7}";
  CHECK(InData(kRules + "--baseline " + (dir / "bad.json").string() + " inputs").code == 2);
  CHECK(InData(kRules + "--write-baseline " + base + " nope.yaml").code == 2);
  fs::remove_all(dir);
}

TEST_CASE("verbose: unused inline suppressions are listed") {
  fs::path dir = cli_test::ScratchDir("unused");
  std::ofstream(dir / "compose.yaml")
      << "services:\n  web:\n    # policy-check: ignore CLI-RES-001 -- restart is set\n"
         "    image: nginx:1.25.3\n    restart: always\n";
  std::string args = "--no-builtin -r " + cli_test::kData + "/rules ";
  Run quiet = cli_test::PolicyCheckIn(dir.string(), args + "compose.yaml");
  CHECK(quiet.code == 0);
  CHECK_FALSE(Has(quiet.out, "unused"));
  Run verbose = cli_test::PolicyCheckIn(dir.string(), args + "-v compose.yaml");
  CHECK(Has(verbose.out, "compose.yaml:3:"));
  CHECK(Has(verbose.out, "warning: unused suppression of CLI-RES-001"));
  fs::remove_all(dir);
}

TEST_CASE("compose-merge: the files are checked as one project") {
  fs::path dir = cli_test::ScratchDir("merge");
  std::ofstream(dir / "compose.yaml") << "services:\n  web:\n    image: nginx:latest\n";
  std::ofstream(dir / "compose.prod.yaml") << "services:\n  web:\n    image: nginx:1.25.3\n"
                                              "    restart: always\n";
  std::string args = "--no-builtin -r " + cli_test::kData + "/rules ";
  Run alone = cli_test::PolicyCheckIn(dir.string(), args + "compose.yaml");
  CHECK(alone.code == 1);
  Run merged = cli_test::PolicyCheckIn(dir.string(),
                                       args + "--compose-merge compose.yaml compose.prod.yaml");
  CHECK_MESSAGE(merged.code == 0, (merged.out + merged.err));
  CHECK(Has(merged.err, "in 2 files"));  // every file the merge read
  fs::remove_all(dir);
}

TEST_CASE("explain: an example finding from the pack's fixtures") {
  Run r = InData("explain RDY-SEC-001");
  CHECK(r.code == 0);
  CHECK(Has(r.out, "Example finding:\n  "));
  CHECK(Has(r.out, "rules/readiness/tests/"));
  CHECK(Has(r.out, "[RDY-SEC-001]"));
  Run own = InData("explain CLI-IMG-001 " + kRules);
  CHECK(own.code == 0);
  CHECK_FALSE(Has(own.out, "Example finding"));  // rules/ has no tests/ directory
}

TEST_CASE(
    "rules: docs/rule-catalogue.md is `policy-check rules -f markdown` of the built-in packs") {
  std::string expected = cli_test::Slurp(POLICY_SOURCE_DIR "/docs/rule-catalogue.md");
  Run r = InData("rules -f markdown");
  CHECK(r.code == 0);
  std::string generated =
      cli_test::Shell("POLICY_CHECK='" + std::string(POLICY_CHECK_PATH) +
                      "' '" POLICY_SOURCE_DIR "/scripts/rule-table.sh' --stdout")
          .out;
  CHECK_MESSAGE(expected == generated,
                "docs/rule-catalogue.md is stale: run scripts/rule-table.sh to regenerate it");
  CHECK(Has(expected, r.out));
  std::string readme = cli_test::Slurp(POLICY_SOURCE_DIR "/README.md");
  CHECK_MESSAGE(Has(readme, "<!-- rules:begin -->\n" + r.out),
                "the README's rule table is stale: run scripts/rule-table.sh");
}

TEST_CASE("rules: docs/rules/ has one page per built-in rule, equal to its FormatRulePage") {
  policy::CompileResult compiled = policy::Compile(policy::CompileOptions{});
  REQUIRE(compiled.program);
  std::set<std::string> expected_pages;
  for (const policy::RuleInfo& r : policy::ListRules(*compiled.program)) {
    expected_pages.insert(r.id + ".md");
    std::string page = cli_test::Slurp(fs::path(POLICY_SOURCE_DIR "/docs/rules") / (r.id + ".md"));
    std::string generated = "<!-- Generated by scripts/rule-table.sh from `policy-check explain " +
                            r.id + " -f markdown`; do not edit. -->\n\n" +
                            policy::report::FormatRulePage(r);
    CHECK_MESSAGE(page == generated,
                  "docs/rules/" << r.id << ".md is stale: run scripts/rule-table.sh");
  }
  std::set<std::string> pages;
  for (const auto& entry : fs::directory_iterator(POLICY_SOURCE_DIR "/docs/rules"))
    pages.insert(entry.path().filename().string());
  CHECK(pages == expected_pages);
  // The binary prints the same page.
  Run r = InData("explain RDY-SEC-001 -f markdown -c /dev/null");
  CHECK(r.code == 0);
  CHECK(Has(cli_test::Slurp(POLICY_SOURCE_DIR "/docs/rules/RDY-SEC-001.md"), r.out));
  CHECK(Has(r.out, "security-severity 9.0"));
}
