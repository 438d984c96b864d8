#pragma once
// Reporters: turn a Report (finding.h) into text for people or machines.
//
// Every function here returns a string; nothing prints, nothing throws (except
// std::bad_alloc). Output depends only on the arguments, so it is identical for
// every --jobs value (findings arrive sorted with FindingLess).
//
//   policy::report::Context ctx;
//   ctx.tool_version = policy::Version();
//   ctx.rules = policy::ListRules(*program);
//   std::cout << policy::report::FormatText(report, ctx) << policy::report::FormatSummary(report,
//   ctx);
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/finding.h"

namespace policy::report {

// Where the pages of docs/rules/ are published: a built-in rule's SARIF
// `helpUri` is this followed by `RULE-ID.md`.
inline constexpr char kRuleDocsUrl[] = "https://github.com/OWNER/libpolicy/blob/main/docs/rules/";

struct Context {
  std::string tool_version;     // policy::Version()
  std::vector<RuleInfo> rules;  // the catalogue of the program that produced the report
  bool color = false;           // ANSI colours (text only)
  bool verbose = false;         // text: also list suppressed and baselined findings
  double elapsed_ms = 0;        // wall time shown in the summary
  // JUnit: findings at or above this severity are failures, the others are
  // listed in a passing testcase's <system-out> (--fail-on); nullopt: none fails.
  std::optional<Severity> fail_at = Severity::kInfo;
  std::string rule_docs_url = kRuleDocsUrl;  // SARIF helpUri of built-in rules; "" for none
};

// Totals of a report. errors/warnings/infos count unsuppressed findings by
// severity, evaluation errors and SCHEMA findings always as errors; `findings`
// is their sum, so findings + suppressed + baselined == Report::findings.size().
struct Counts {
  uint64_t findings = 0;
  uint64_t errors = 0;
  uint64_t warnings = 0;
  uint64_t infos = 0;
  uint64_t suppressed = 0;  // inline suppressions
  uint64_t baselined = 0;
};

Counts CountFindings(const Report& report);

// The severity a finding counts with: evaluation errors and SCHEMA are errors.
Severity EffectiveSeverity(const Finding& f);

// `PATH:LINE:COL: error: MESSAGE [RULE]`, the source line and a caret line for
// each listed finding, then `PATH:LINE:COL: error: MESSAGE` for each problem.
// Without the summary line (see FormatSummary).
std::string FormatText(const Report& report, const Context& ctx);

// FormatText in pieces, for a report too large to hold as one more string (a
// million findings with --max-findings 0): `write` gets the text of a few
// thousand findings at a time, in order, then of the problems; together they
// are FormatText(report, ctx). Stops early when `write` returns false.
void WriteText(const Report& report, const Context& ctx,
               const std::function<bool(std::string_view)>& write);

// `N errors, M warnings in K files (R rules, T ms)` with a trailing newline.
std::string FormatSummary(const Report& report, const Context& ctx);

// The caret line under a source line (without indentation or newline): blanks up
// to 1-based code-point `column` (tabs kept, wide characters counted twice,
// combining marks not at all), `^`, then `~` up to the exclusive `end_column`
// or the end of the line, whichever comes first.
std::string CaretLine(const std::string& source_line, uint32_t column, uint32_t end_column);

// The JSON document of CLI.md "json", keys in a stable order, ending in a newline.
std::string FormatJson(const Report& report, const Context& ctx);

// FormatJson in pieces of about 1 MB, as WriteText: a million findings never
// become one string of hundreds of MB. Stops early when `write` returns false.
void WriteJson(const Report& report, const Context& ctx,
               const std::function<bool(std::string_view)>& write);

// The readiness matrix (CLI.md "markdown"): one row per compose service, one
// column per `area_*` tag of the rules in ctx.rules, a readiness percentage per
// service and overall, file-level findings listed under the table.
std::string FormatMarkdown(const Report& report, const Context& ctx);

// SARIF 2.1.0 and GitHub workflow commands (CLI.md "Output formats").
std::string FormatSarif(const Report& report, const Context& ctx);

// GitLab Code Quality (the merge-request widget's JSON): an array of issues
// {description, check_name, fingerprint, severity, location: {path, lines:
// {begin}}}, one per unsuppressed finding and per input error. Severity:
// error -> major (critical for a security rule, docs/CLI.md), warning -> minor,
// info -> info. Paths as given: the CLI rebases them on the repository's root.
std::string FormatCodeQuality(const Report& report, const Context& ctx);

// A rule's documentation page in Markdown (docs/rules/RULE-ID.md, SARIF
// help.markdown, `policy-check explain RULE-ID -f markdown`): title, severity,
// target, tags, security classification, doc and remedy.
std::string FormatRulePage(const RuleInfo& rule);

// JUnit XML, without times (the output is the same for every --jobs and run).
// One <testsuite> per input of Report::inputs, in order (then any other file of
// the findings and problems, sorted), one <testcase> per rule that ran on it:
// a <failure> listing the rule's unsuppressed findings in the file at or above
// ctx.fail_at, or passing (with the findings below it in <system-out>).
// An input problem is a testcase "input" with an <error>.
std::string FormatJunit(const Report& report, const Context& ctx);
std::string FormatGithub(const Report& report, const Context& ctx);

// The rule catalogue (`policy-check rules`).
enum class CatalogueFormat : uint8_t { kText, kJson, kMarkdown };
std::string FormatCatalogue(const std::vector<RuleInfo>& rules, CatalogueFormat format);

}  // namespace policy::report
