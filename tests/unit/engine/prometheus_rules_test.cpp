// The Prometheus builtins through the compiler and the runner: version-1 rules
// on a configuration, a rule file and a compose file, with findings located
// where the builtins' results point (tests/unit/builtins/prometheus_test.cpp
// has the builtins alone).
#include <doctest/doctest.h>

#include <algorithm>

#include "case_support.h"

using policy_test::CompileText;
using policy_test::DescribeFindings;
using policy_test::Memory;

namespace {

std::string Run(const std::string& rules, const policy::Input& input) {
  policy::CompileResult compiled = CompileText(rules);
  REQUIRE_MESSAGE(compiled.program != nullptr,
                  policy_test::DescribeDiagnostics(compiled.diagnostics));
  policy::Report report = policy::Check(*compiled.program, {input}, {});
  std::string out = DescribeFindings(report.findings);
  for (const policy::Problem& p : report.problems) out += "problem " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("prometheus rules: a target finding points at the target string") {
  const std::string config =
      "scrape_configs:\n"
      "  - job_name: node\n"
      "    static_configs:\n"
      "      - targets: ['nodeexporter:9100', 'http://cadvisor:8080']\n"
      "  - job_name: self\n"
      "    static_configs:\n"
      "      - targets: [localhost:9090]\n";
  const std::string rules =
      "rule T-001 {\n"
      "  title \"Prometheus accepts every target\"\n"
      "  on document\n"
      "  for t in scrape_targets(doc)\n"
      "  require t.problem == null\n"
      "  at t.target\n"
      "  message \"job {t.job}: target {t.target}: {t.problem}\"\n"
      "}\n";
  const std::string out =
      Run(rules, Memory("prometheus.yml", policy::InputKind::kDocument, config));
  CAPTURE(out);
  CHECK(out.find("prometheus.yml:4:40: T-001 ") == 0);
  CHECK(out.find("job node: target http://cadvisor:8080: Prometheus rejects a target with a "
                 "scheme") != std::string::npos);
  CHECK(out.find("[scrape_configs[0].static_configs[0].targets[1]]") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
}

TEST_CASE(
    "prometheus rules: a malformed configuration is an evaluation error, a compose file none") {
  const std::string rules =
      "rule T-002 {\n"
      "  title \"Jobs are named\"\n"
      "  on document\n"
      "  for t in scrape_targets(doc)\n"
      "  require t.job != null\n"
      "}\n";
  const std::string bad =
      "scrape_configs:\n  - job_name: x\n    static_configs:\n      - targets: web:80\n";
  const std::string out = Run(rules, Memory("prometheus.yml", policy::InputKind::kDocument, bad));
  CAPTURE(out);
  CHECK(out.find("static_configs[0].targets must be a list, got string (line 4, column 18)") !=
        std::string::npos);
  const std::string compose = "services:\n  prometheus:\n    image: prom/prometheus\n";
  CHECK(Run(rules, Memory("prometheus.yml", policy::InputKind::kDocument, compose)).empty());
}

TEST_CASE("prometheus rules: alerts and exposing services") {
  const std::string alerts =
      "groups:\n"
      "- name: targets\n"
      "  rules:\n"
      "  - alert: NodeDown\n"
      "    expr: up{job=\"node\"} == 0\n"
      "  - record: job:up:sum\n"
      "    expr: sum by (job) (up)\n"
      "  - alert: HighLoad\n"
      "    expr: node_load1 > 1.5\n";
  const std::string alert_rules =
      "rule T-003 {\n"
      "  title \"An alert watches a job\"\n"
      "  on document\n"
      "  for a in alert_rules(doc)\n"
      "  require a.all_jobs or len(a.jobs) > 0\n"
      "  at a.alert\n"
      "  message \"alert {a.alert} ({a.group}) watches no job\"\n"
      "}\n";
  const std::string out =
      Run(alert_rules, Memory("alert.rules.yml", policy::InputKind::kDocument, alerts));
  CHECK(out.find("alert.rules.yml:8:12: T-003 ") == 0);
  CHECK(out.find("alert HighLoad (targets) watches no job") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);

  const std::string compose =
      "services:\n"
      "  node:\n"
      "    image: prom/node-exporter:v1.9.1\n"
      "  app:\n"
      "    image: example/app\n"
      "    labels:\n"
      "      - prometheus.io/scrape=true\n"
      "  web:\n"
      "    image: nginx\n";
  const std::string exposing =
      "rule T-004 {\n"
      "  title \"Exposing services are listed\"\n"
      "  on compose\n"
      "  for name, svc in compose.services\n"
      "  where exposes_metrics(svc)\n"
      "  require false\n"
      "  at svc.image\n"
      "  message \"{name} exposes metrics\"\n"
      "}\n";
  const std::string found =
      Run(exposing, Memory("docker-compose.yml", policy::InputKind::kCompose, compose));
  CHECK(found.find("docker-compose.yml:3:12: T-004 ") == 0);
  CHECK(found.find("node exposes metrics") != std::string::npos);
  CHECK(found.find("app exposes metrics") != std::string::npos);
  CHECK(found.find("web exposes") == std::string::npos);
}
