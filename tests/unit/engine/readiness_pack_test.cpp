// The readiness pack (rules/readiness) against its own fixtures, as
// `policy-check test rules/readiness` runs them, plus what the CLI cannot run:
// the opt_in style rules (fixtures in tests/opt_in/, checked with only=opt_in),
// the catalogue's metadata, and redaction of the secret fixtures.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/report.h"

namespace fs = std::filesystem;
using policy_test::DescribeDiagnostics;
using policy_test::ReadFile;

namespace {

using Key = std::tuple<std::string, uint32_t, uint32_t>;  // rule, line, column

fs::path PackDir() { return policy_test::SourceDir() / "rules" / "readiness"; }

std::shared_ptr<const policy::Program> CompilePack() {
  policy::CompileOptions options;
  options.builtin = false;
  options.rule_paths = {PackDir().string()};
  policy::CompileResult compiled = policy::Compile(options);
  INFO(DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program != nullptr);
  CHECK(compiled.diagnostics.empty());
  return compiled.program;
}

struct Fixture {
  fs::path input;
  fs::path expected;
  bool opt_in = false;
};

// Every NAME.expected.json with its NAME.yaml / NAME.yml / NAME.env, sorted.
std::vector<Fixture> Fixtures() {
  std::vector<Fixture> out;
  for (const auto& [dir, opt_in] :
       {std::pair{PackDir() / "tests", false}, {PackDir() / "tests" / "opt_in", true}}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      const std::string suffix = ".expected.json";
      if (name.size() <= suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      const std::string stem = name.substr(0, name.size() - suffix.size());
      for (const char* ext : {".yaml", ".yml", ".env"}) {
        if (fs::exists(dir / (stem + ext)))
          out.push_back({dir / (stem + ext), entry.path(), opt_in});
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Fixture& a, const Fixture& b) { return a.input < b.input; });
  return out;
}

std::vector<Key> ExpectedKeys(const fs::path& path) {
  nlohmann::json doc = nlohmann::json::parse(ReadFile(path));
  std::vector<Key> keys;
  for (const auto& item : doc) {
    keys.emplace_back(item.at("rule").get<std::string>(), item.at("line").get<uint32_t>(),
                      item.at("column").get<uint32_t>());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

policy::Report RunFixture(const policy::Program& program, const Fixture& f) {
  policy::Input input;
  input.path = f.input.string();
  // Compose fixtures by kind, whatever their name; dotenv ones by name.
  input.kind =
      f.input.extension() == ".env" ? policy::InputKind::kDotenv : policy::InputKind::kCompose;
  policy::CheckOptions options;
  options.jobs = 1;
  options.max_findings = 0;
  options.repo_root = policy_test::SourceDir().string();
  if (f.opt_in) options.only = {"opt_in"};
  return policy::Check(program, {input}, options);
}

std::string Describe(const std::vector<Key>& keys) {
  std::string out;
  for (const auto& [rule, line, column] : keys) {
    out += "  " + rule + " " + std::to_string(line) + ":" + std::to_string(column) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("readiness pack: every fixture gives exactly its expected findings") {
  auto program = CompilePack();
  const std::vector<Fixture> fixtures = Fixtures();
  REQUIRE(fixtures.size() >= 8);
  for (const Fixture& f : fixtures) {
    SUBCASE(f.input.filename().string().c_str()) {
      policy::Report report = RunFixture(*program, f);
      CHECK(report.problems.empty());
      std::vector<Key> actual;
      for (const policy::Finding& finding : report.findings) {
        CHECK_MESSAGE(finding.kind == policy::FindingKind::kFinding,
                      finding.rule << ": " << finding.message);
        actual.emplace_back(finding.rule, finding.line, finding.column);
      }
      std::sort(actual.begin(), actual.end());
      const std::vector<Key> expected = ExpectedKeys(f.expected);
      std::vector<Key> missing, unexpected;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                          std::back_inserter(missing));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                          std::back_inserter(unexpected));
      INFO(f.input.string(), "\nmissing:\n", Describe(missing), "unexpected:\n",
           Describe(unexpected), policy_test::DescribeFindings(report.findings));
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}

TEST_CASE("readiness pack: every rule fires in some fixture, and a clean fixture exists") {
  auto program = CompilePack();
  std::set<std::string> fired;
  bool clean_default = false, clean_opt_in = false;
  for (const Fixture& f : Fixtures()) {
    const std::vector<Key> expected = ExpectedKeys(f.expected);
    if (expected.empty()) (f.opt_in ? clean_opt_in : clean_default) = true;
    for (const Key& k : expected) fired.insert(std::get<0>(k));
  }
  CHECK(clean_default);
  CHECK(clean_opt_in);
  for (const policy::RuleInfo& rule : policy::ListRules(*program)) {
    // The observability rules read several files: their project is below.
    if (std::find(rule.tags.begin(), rule.tags.end(), "observability") != rule.tags.end()) continue;
    CHECK_MESSAGE(fired.count(rule.id) == 1, rule.id << " fires in no fixture");
  }
}

// rules/readiness/tests/observability/ is a project: a compose file, its
// prometheus.yml and alert.rules. RDY-OBS-001/002 read them together.
TEST_CASE(
    "readiness pack: the observability rules on a project give exactly its expected findings") {
  auto program = CompilePack();
  const std::filesystem::path dir = PackDir() / "tests" / "observability";
  std::vector<policy::Input> inputs(3);
  inputs[0].path = (dir / "compose.yaml").string();
  inputs[1].path = (dir / "prometheus" / "alert.rules").string();
  inputs[1].kind = policy::InputKind::kDocument;
  inputs[2].path = (dir / "prometheus" / "prometheus.yml").string();
  policy::CheckOptions options;
  options.only = {"observability"};
  const policy::Report report = policy::Check(*program, inputs, options);
  CHECK(report.problems.empty());
  std::vector<std::tuple<std::string, std::string, uint32_t, uint32_t>> expected, actual;
  for (const nlohmann::json& e :
       nlohmann::json::parse(policy_test::ReadFile(dir / "expected.json")))
    expected.emplace_back(e.at("file").get<std::string>(), e.at("rule").get<std::string>(),
                          e.at("line").get<uint32_t>(), e.at("column").get<uint32_t>());
  for (const policy::Finding& f : report.findings) {
    const std::string file = f.file.substr(f.file.find("observability/"));
    actual.emplace_back(file, f.rule, f.line, f.column);
  }
  CHECK(actual == expected);
  // Each rule passes somewhere too (web is scraped, and its job has an alert).
  for (const char* id : {"RDY-OBS-001", "RDY-OBS-002"}) {
    CAPTURE(id);
    const policy::RuleCounters& c = report.by_rule.at(id);
    CHECK(c.failed == 2);
    CHECK(c.evaluated > c.failed);
  }
  // Without the Prometheus files, every service that exposes metrics is
  // unscraped (the indexes are optional: an empty index, not a missing input).
  const policy::Report alone = policy::Check(*program, {inputs[0]}, options);
  CHECK(alone.problems.empty());
  CHECK(alone.by_rule.at("RDY-OBS-001").failed == 4);
}

TEST_CASE("readiness pack: catalogue metadata") {
  auto program = CompilePack();
  const std::vector<policy::RuleInfo> rules = policy::ListRules(*program);
  // RDY-SEC-007 and RDY-PRV-012 since issue 13; RDY-SEC-008 and RDY-OBS-001/002 (issue 15)
  CHECK(rules.size() == 60);
  const std::set<std::string> areas = {"area_image",     "area_health",       "area_secrets",
                                       "area_resources", "area_logging",      "area_restart",
                                       "area_network",   "area_privileges",   "area_tls",
                                       "area_api",       "area_observability"};
  for (const policy::RuleInfo& rule : rules) {
    INFO(rule.id);
    CHECK(rule.id.rfind("RDY-", 0) == 0);
    CHECK(rule.target == (rule.id == "RDY-SEC-008"   ? "dotenv"
                          : rule.id == "RDY-OBS-002" ? "document(\"**/prometheus*.y*ml\")"
                                                     : "compose"));
    CHECK_FALSE(rule.title.empty());
    CHECK_FALSE(rule.remedy.empty());
    CHECK_FALSE(rule.doc.empty());
    const auto area_count =
        std::count_if(rule.tags.begin(), rule.tags.end(),
                      [](const std::string& t) { return t.rfind("area_", 0) == 0; });
    CHECK(area_count == 1);
    for (const std::string& t : rule.tags) {
      if (t.rfind("area_", 0) == 0) CHECK_MESSAGE(areas.count(t) == 1, t);
    }
    const bool secret = std::find(rule.tags.begin(), rule.tags.end(), "secret") != rule.tags.end();
    const bool want_secret =
        (rule.id >= "RDY-SEC-001" && rule.id <= "RDY-SEC-005") || rule.id == "RDY-SEC-008";
    CHECK(secret == want_secret);
    const bool opt_in = std::find(rule.tags.begin(), rule.tags.end(), "opt_in") != rule.tags.end();
    CHECK(opt_in == (rule.id.rfind("RDY-STY-", 0) == 0 || rule.id.rfind("RDY-OBS-", 0) == 0));
    CHECK(rule.enabled == !opt_in);
  }
  std::map<std::string, std::string> params;
  for (const policy::ParamInfo& p : policy::ListParams(*program)) params[p.name] = p.type;
  CHECK(params["readiness.pin_level"] == "string");
  CHECK(params["readiness.version_parts"] == "decimal");
  CHECK(params["readiness.two_part_release_images"] == "list");
  CHECK(params["readiness.healthcheck_exempt"] == "list");
  CHECK(params["readiness.infra_images"] == "list");
  CHECK(params["readiness.infra_ports"] == "list");
  CHECK(params["readiness.max_restart_attempts"] == "decimal");
}

TEST_CASE("readiness pack: secret findings never show the secret") {
  auto program = CompilePack();
  Fixture f{PackDir() / "tests" / "compose.secrets.yaml", {}, false};
  policy::Report report = RunFixture(*program, f);
  int secret_findings = 0;
  for (const policy::Finding& finding : report.findings) {
    if (finding.rule.rfind("RDY-SEC-00", 0) != 0 || finding.rule == "RDY-SEC-006") continue;
    ++secret_findings;
    for (const char* secret : {"SuperS3cretValue", "hunter2", "changeme", "pa55word", "cachepass",
                               "AKIAIOSFODNN7EXAMPLE", "ghp_0123456789abcdef", "minioadmin"}) {
      CHECK_MESSAGE(finding.message.find(secret) == std::string::npos, finding.message);
      CHECK_MESSAGE(finding.source_line.find(secret) == std::string::npos, finding.source_line);
    }
  }
  CHECK(secret_findings >= 10);
}

// RDY-SEC-008's secrets, in every format: the message, the source line and the
// whole text, JSON and SARIF reports (a multi-line private key included).
TEST_CASE("readiness pack: env-file secrets are redacted in text, JSON and SARIF") {
  auto program = CompilePack();
  Fixture f{PackDir() / "tests" / "dotenv.secrets.env", {}, false};
  policy::Report report = RunFixture(*program, f);
  REQUIRE(report.findings.size() == 9);
  policy::report::Context ctx;
  ctx.rules = policy::ListRules(*program);
  const std::string text = policy::report::FormatText(report, ctx);
  const std::string json = policy::report::FormatJson(report, ctx);
  const std::string sarif = policy::report::FormatSarif(report, ctx);
  CHECK(text.find("POSTGRES_PASSWORD is a secret in clear (s3****)") != std::string::npos);
  CHECK(json.find("s3****") != std::string::npos);
  CHECK(sarif.find("s3****") != std::string::npos);
  for (const char* secret :
       {"s3cr3t-Pa55word", "live_9f8e7d6c5b4a", "single quoted", "ghp_0123456789",
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "MIIEpAIBAAKCAQEA", "fallback-literal"}) {
    INFO(secret);
    CHECK(text.find(secret) == std::string::npos);
    CHECK(json.find(secret) == std::string::npos);
    CHECK(sarif.find(secret) == std::string::npos);
    for (const policy::Finding& finding : report.findings) {
      CHECK(finding.message.find(secret) == std::string::npos);
      CHECK(finding.source_line.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("readiness pack: params change the verdicts") {
  const std::string compose =
      "services:\n"
      "  cache:\n"
      "    image: redis:7-alpine\n"
      "  job:\n"
      "    image: "
      "app:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
      "    restart: on-failure:8\n";
  auto run = [&](std::vector<std::pair<std::string, std::string>> params, const std::string& rule) {
    policy::CompileOptions options;
    options.builtin = false;
    options.rule_paths = {PackDir().string()};
    options.params = std::move(params);
    policy::CompileResult compiled = policy::Compile(options);
    REQUIRE(compiled.program != nullptr);
    policy::Input input;
    input.path = "compose.yaml";
    input.kind = policy::InputKind::kCompose;
    input.text = compose;
    policy::CheckOptions check;
    check.jobs = 1;
    check.only = {rule};
    std::vector<std::string> services;
    for (const policy::Finding& finding :
         policy::Check(*compiled.program, {input}, check).findings) {
      services.push_back(finding.path);
    }
    return services;
  };
  CHECK(run({}, "RDY-IMG-002") == std::vector<std::string>{"services.cache.image"});
  CHECK(run({{"readiness.pin_level", "tag"}}, "RDY-IMG-002").empty());
  CHECK(run({{"readiness.version_parts", "2"}}, "RDY-IMG-002") ==
        std::vector<std::string>{"services.cache.image"});
  CHECK(run({{"readiness.pin_level", "digest"}}, "RDY-IMG-002") ==
        std::vector<std::string>{"services.cache.image"});
  CHECK(run({}, "RDY-RST-002") == std::vector<std::string>{"services.job.restart"});
  CHECK(run({{"readiness.max_restart_attempts", "10"}}, "RDY-RST-002").empty());
  CHECK(run({}, "RDY-HLT-001").size() == 2);
  CHECK(run({{"readiness.healthcheck_exempt", "[job]"}}, "RDY-HLT-001").size() == 1);
}

TEST_CASE("readiness pack: masking hides the value as YAML reads it, never a name or a key") {
  auto program = CompilePack();
  Fixture f{PackDir() / "tests" / "compose.masking.yaml", {}, false};
  policy::Report report = RunFixture(*program, f);
  int checked = 0;
  for (const policy::Finding& finding : report.findings) {
    if (finding.rule.rfind("RDY-SEC-", 0) != 0) continue;
    ++checked;
    INFO(finding.rule << " " << finding.message << " | " << finding.source_line);
    for (const char* secret : {"EscapedPassw0rd", "Esc\\u0061ped", "It's-my-passw0rd", "It''s-my",
                               "admin-default-pw", "=secret"}) {
      CHECK(finding.message.find(secret) == std::string::npos);
      CHECK(finding.source_line.find(secret) == std::string::npos);
    }
    // Names and keys spelled like a secret are kept.
    if (finding.path.find("services.temporal") == 0) {
      CHECK(finding.message.find("service 'temporal'") != std::string::npos);
    }
    if (finding.path.find("services.secret") == 0) {
      CHECK(finding.message.find("service 'secret'") != std::string::npos);
      if (finding.rule == "RDY-SEC-001")
        CHECK(finding.message.find("secrets:") != std::string::npos);
    }
  }
  CHECK(checked >= 6);
}

TEST_CASE("readiness pack: a fault written in an anchor is reported once, naming its services") {
  auto program = CompilePack();
  Fixture f{PackDir() / "tests" / "compose.anchors.yaml", {}, false};
  policy::Report report = RunFixture(*program, f);
  int anchored = 0;
  for (const policy::Finding& finding : report.findings) {
    if (finding.line > 9) continue;  // the anchor's own lines
    if (finding.severity != policy::Severity::kError) continue;
    INFO(finding.rule << " " << finding.message);
    CHECK(finding.message.find("service 'web'") != std::string::npos);
    CHECK(finding.message.find("(written once, for services web, worker)") != std::string::npos);
    ++anchored;
  }
  CHECK(anchored == 4);  // image, URL password, secret, Docker socket: once each
}
