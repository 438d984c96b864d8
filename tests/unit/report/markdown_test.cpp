// The readiness matrix (CLI.md "markdown") on synthetic reports: a function of
// the Report alone, services from the inputs' summaries.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "libpolicy/report.h"

namespace {

// The summary Check() gives for a compose input: its services in file order.
policy::InputSummary ComposeInput(const std::string& file, std::vector<std::string> services,
                                  std::vector<std::string> merged = {}) {
  policy::InputSummary in;
  in.file = file;
  in.kind = "compose";
  in.checked = true;
  in.services = std::move(services);
  in.merged = std::move(merged);
  return in;
}

policy::RuleInfo Rule(const std::string& id, std::vector<std::string> tags, bool enabled = true) {
  policy::RuleInfo r;
  r.id = id;
  r.title = id;
  r.tags = std::move(tags);
  r.target = "compose";
  r.enabled = enabled;
  return r;
}

policy::Finding At(const std::string& file, uint32_t line, const std::string& rule,
                   const std::string& path, policy::Severity severity = policy::Severity::kError) {
  policy::Finding f;
  f.rule = rule;
  f.severity = severity;
  f.message = rule + " at " + path;
  f.file = file;
  f.line = line;
  f.column = 5;
  f.path = path;
  f.fingerprint = "0000000000000000";
  return f;
}

policy::report::Context Rules() {
  policy::report::Context ctx;
  // Areas come in RULES.md order whatever the rules' order; a disabled rule's
  // area and rules without an area add no column.
  ctx.rules = {Rule("RDY-SEC-001", {"readiness", "area_secrets", "secret"}),
               Rule("RDY-IMG-001", {"area_image"}), Rule("RDY-HLT-001", {"area_health"}),
               Rule("RDY-TLS-001", {"area_tls"}, false), Rule("RDY-VER-001", {"readiness"})};
  return ctx;
}

const std::vector<std::string> kServices = {"postgres", "api-gateway", "clean"};

TEST_CASE(
    "markdown: one row per service in file order, one column per area, scores and readiness") {
  const std::string file = "deploy/docker-compose.yml";
  policy::Report report;
  report.inputs = {ComposeInput(file, kServices)};
  report.findings = {
      At(file, 1, "RDY-VER-001", "version", policy::Severity::kInfo),
      At(file, 2, "RDY-HLT-001", "services.postgres", policy::Severity::kWarning),
      At(file, 3, "RDY-IMG-001", "services.postgres.image"),
      // A warning of an area fails the cell but leaves the service ready.
      At(file, 4, "RDY-HLT-001", "services[\"api-gateway\"]", policy::Severity::kWarning),
      // Info findings never fail a cell.
      At(file, 5, "RDY-SEC-001", "services[\"api-gateway\"].environment.X",
         policy::Severity::kInfo),
  };
  // Suppressed and baselined findings do not count.
  policy::Finding suppressed = At(file, 7, "RDY-IMG-001", "services.clean.image");
  suppressed.suppressed = policy::Suppression::kInline;
  report.findings.push_back(suppressed);
  suppressed.suppressed = policy::Suppression::kBaseline;
  report.findings.push_back(suppressed);

  std::string md = policy::report::FormatMarkdown(report, Rules());
  std::string expected =
      "# Readiness matrix\n"
      "\n"
      "Readiness: 67% (2/3 services ready)\n"
      "\n"
      "✅ no unsuppressed error or warning of the area's rules touches the service; ❌ at least one "
      "does. "
      "Score: areas passing. A service is ready when no error touches it.\n"
      "\n"
      "## `" +
      file +
      "`\n"
      "\n"
      "2/3 services ready.\n"
      "\n"
      "| Service | image | health | secrets | Score | Ready |\n"
      "|---|:-:|:-:|:-:|--:|:-:|\n"
      "| `postgres` | ❌ | ❌ | ✅ | 33% | ❌ |\n"
      "| `api-gateway` | ✅ | ❌ | ✅ | 67% | ✅ |\n"
      "| `clean` | ✅ | ✅ | ✅ | 100% | ✅ |\n"
      "\n"
      "File-level findings:\n"
      "\n"
      "- `" +
      file + ":1:5` info RDY-VER-001: RDY-VER-001 at version\n";
  CHECK(md == expected);
  // Deterministic.
  CHECK(policy::report::FormatMarkdown(report, Rules()) == md);
}

TEST_CASE(
    "markdown: evaluation errors make a service not ready, rules without an area only affect "
    "readiness") {
  const std::string file = "docker-compose.yml";
  policy::Report report;
  report.inputs = {ComposeInput(file, kServices)};
  policy::Finding eval =
      At(file, 5, "RDY-SEC-001", "services.clean.environment", policy::Severity::kInfo);
  eval.kind = policy::FindingKind::kEvaluationError;
  report.findings.push_back(eval);
  report.findings.push_back(At(file, 3, "RDY-PRV-001", "services.postgres.privileged"));
  std::string md = policy::report::FormatMarkdown(report, Rules());
  CHECK(md.find("Readiness: 33% (1/3 services ready)") != std::string::npos);
  CHECK(md.find("| `postgres` | ✅ | ✅ | ✅ | 100% | ❌ |") != std::string::npos);
  CHECK(md.find("| `clean` | ✅ | ✅ | ❌ | 67% | ❌ |") != std::string::npos);
  CHECK(md.find("File-level findings") == std::string::npos);
}

TEST_CASE(
    "markdown: a compose input that could not be parsed lists the services its findings name") {
  policy::Report report;
  policy::InputSummary broken = ComposeInput("gone/compose.yaml", {});
  broken.checked = false;
  report.inputs = {broken};
  report.findings.push_back(At("gone/compose.yaml", 3, "RDY-IMG-001", "services.web.image"));
  report.findings.push_back(
      At("gone/compose.yaml", 9, "RDY-HLT-001", "services.db", policy::Severity::kWarning));
  std::string md = policy::report::FormatMarkdown(report, Rules());
  CHECK(md.find("The file could not be read or parsed: only services with "
                "findings are listed.") != std::string::npos);
  CHECK(md.find("Readiness: 50% (1/2 services ready)") != std::string::npos);
  CHECK(md.find("| `web` | ❌ | ✅ | ✅ | 67% | ❌ |\n| `db` | ✅ | ❌ | ✅ | 67% | ✅ |") !=
        std::string::npos);
}

TEST_CASE("markdown: several compose files, other inputs and problems") {
  const std::string a = "a/compose.yaml", b = "b/docker-compose.prod.yml";
  policy::Report report;
  report.inputs = {ComposeInput(a, {"web"}), ComposeInput(b, {"worker", "db"})};
  report.findings.push_back(At(a, 3, "RDY-IMG-001", "services.web.image"));
  report.findings.push_back(At(b, 4, "RDY-HLT-001", "services.db", policy::Severity::kWarning));
  policy::Finding row = At("data/invoices.csv", 2, "BD-VAT-001", "row.vat_amount");
  report.findings.push_back(row);
  report.problems.push_back({"broken/compose.yml", 4, 3, "duplicate key 'image'", false});
  std::string md = policy::report::FormatMarkdown(report, Rules());
  CHECK(md.find("Readiness: 67% (2/3 services ready)") != std::string::npos);
  CHECK(md.find("## `" + a + "`\n\n0/1 services ready.") != std::string::npos);
  CHECK(md.find("## `" + b + "`\n\n2/2 services ready.") != std::string::npos);
  CHECK(md.find("| `worker` | ✅ | ✅ | ✅ | 100% | ✅ |\n| `db` | ✅ | ❌ | ✅ | 67% | ✅ |") !=
        std::string::npos);
  CHECK(md.find("## Other inputs") != std::string::npos);
  CHECK(md.find("- `data/invoices.csv`: 1 error, 0 warnings\n") != std::string::npos);
  CHECK(md.find("## Inputs not checked\n\n- `broken/compose.yml:4:3`: duplicate key 'image'\n") !=
        std::string::npos);
}

TEST_CASE("markdown: no compose findings, no areas, and text that would break a table") {
  policy::Report empty;
  std::string md = policy::report::FormatMarkdown(empty, Rules());
  CHECK(md.find("Readiness: no compose service with findings was checked.") != std::string::npos);
  CHECK(md.find("| Service |") == std::string::npos);

  policy::Report report;
  report.inputs = {ComposeInput("compose.yaml", {"web"})};
  policy::Finding f = At("compose.yaml", 1, "RDY-X-001", "networks.front");
  f.message = "a | b\nc";
  report.findings.push_back(f);
  policy::report::Context no_areas;
  md = policy::report::FormatMarkdown(report, no_areas);
  CHECK(md.find("| Service | Ready |\n|---|:-:|\n| `web` | ✅ |\n") != std::string::npos);
  CHECK(md.find("RDY-X-001: a \\| b c\n") != std::string::npos);
}

}  // namespace

TEST_CASE("markdown: a merged project counts the findings of every file merged into it") {
  policy::Report report;
  report.inputs = {ComposeInput("compose.yaml", {"web", "db"}, {"compose.prod.yaml"})};
  report.findings.push_back(At("compose.prod.yaml", 2, "RDY-IMG-001", "services.db.image"));
  std::string md = policy::report::FormatMarkdown(report, Rules());
  CHECK(md.find("Readiness: 50% (1/2 services ready)") != std::string::npos);
  CHECK(md.find("Merged over it, in order: `compose.prod.yaml`.") != std::string::npos);
  CHECK(md.find("| `db` | ❌ | ✅ | ✅ | 67% | ❌ |") != std::string::npos);
  CHECK(md.find("## Other inputs") == std::string::npos);
}
