// A report built from arbitrary bytes (file names, messages, source lines,
// positions, severities) through every writer. Beyond not crashing, two
// properties of terminal safety are checked: the text report without colour
// holds no control character but line breaks and tabs, and every GitHub
// annotation is one line.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"

namespace {

std::string Text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(64); }

policy::Severity AnySeverity(FuzzedDataProvider& in) {
  return static_cast<policy::Severity>(in.ConsumeIntegralInRange<int>(0, 2));
}

bool TextIsSafe(const std::string& out) {
  for (unsigned char c : out) {
    if (c == '\n' || c == '\t') continue;
    if (c < 0x20 || c == 0x7F) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  policy::Report report;
  policy::report::Context ctx;
  ctx.tool_version = policy::Version();
  ctx.verbose = in.ConsumeBool();
  for (int r = in.ConsumeIntegralInRange<int>(0, 3); r > 0; --r) {
    policy::RuleInfo rule;
    rule.id = Text(in);
    rule.title = Text(in);
    rule.severity = AnySeverity(in);
    rule.tags = {Text(in), "area_" + Text(in)};
    rule.remedy = Text(in);
    rule.doc = Text(in);
    ctx.rules.push_back(rule);
  }
  for (int f = in.ConsumeIntegralInRange<int>(0, 6); f > 0; --f) {
    policy::Finding finding;
    finding.rule = ctx.rules.empty() || in.ConsumeBool() ? Text(in) : ctx.rules[0].id;
    finding.severity = AnySeverity(in);
    finding.kind = static_cast<policy::FindingKind>(in.ConsumeIntegralInRange<int>(0, 2));
    finding.message = Text(in);
    finding.file = Text(in);
    finding.line = in.ConsumeIntegralInRange<uint32_t>(0, 1000);
    finding.column = in.ConsumeIntegralInRange<uint32_t>(0, 200);
    finding.end_line = in.ConsumeIntegralInRange<uint32_t>(0, 1000);
    finding.end_column = in.ConsumeIntegralInRange<uint32_t>(0, 200);
    finding.path = Text(in);
    finding.fingerprint = Text(in);
    finding.suppressed = static_cast<policy::Suppression>(in.ConsumeIntegralInRange<int>(0, 2));
    finding.source_line = Text(in);
    report.findings.push_back(finding);
    report.by_rule[finding.rule].failed += 1;
  }
  for (int p = in.ConsumeIntegralInRange<int>(0, 2); p > 0; --p) {
    report.problems.push_back({Text(in), in.ConsumeIntegral<uint32_t>(),
                               in.ConsumeIntegral<uint32_t>(), Text(in), in.ConsumeBool()});
  }
  // Compose inputs with their services (the readiness matrix's rows).
  for (int c = in.ConsumeIntegralInRange<int>(0, 2); c > 0; --c) {
    policy::InputSummary summary;
    summary.file = Text(in);
    summary.kind = "compose";
    summary.checked = true;
    for (int s = in.ConsumeIntegralInRange<int>(0, 3); s > 0; --s)
      summary.services.push_back(Text(in));
    report.inputs.push_back(std::move(summary));
  }
  report.files = report.findings.size();
  std::sort(report.findings.begin(), report.findings.end(), policy::FindingLess);

  const std::string text = policy::report::FormatText(report, ctx);
  if (!TextIsSafe(text)) __builtin_trap();
  const std::string github = policy::report::FormatGithub(report, ctx);
  std::size_t lines = 0;
  for (char c : github) lines += c == '\n' ? 1 : 0;
  if (lines > report.findings.size() + report.problems.size() || !TextIsSafe(github))
    __builtin_trap();
  (void)policy::report::FormatSummary(report, ctx);
  (void)policy::report::FormatJson(report, ctx);
  (void)policy::report::FormatMarkdown(report, ctx);
  (void)policy::report::FormatSarif(report, ctx);
  (void)policy::report::FormatJunit(report, ctx);
  for (auto format :
       {policy::report::CatalogueFormat::kText, policy::report::CatalogueFormat::kJson,
        policy::report::CatalogueFormat::kMarkdown}) {
    (void)policy::report::FormatCatalogue(ctx.rules, format);
  }
  return 0;
}
