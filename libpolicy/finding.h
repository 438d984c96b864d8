#pragma once
// What a check produces: findings, per-rule counters and input problems.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "libpolicy/diagnostic.h"

namespace policy {

enum class FindingKind : uint8_t { kFinding, kEvaluationError, kSchema };
enum class Suppression : uint8_t { kNone, kInline, kBaseline };

const char* FindingKindName(FindingKind k);  // "finding", "evaluation_error", "schema"
const char* SuppressionName(Suppression s);  // nullptr, "inline", "baseline"

struct Finding {
  std::string rule;  // rule id, or "SCHEMA"
  Severity severity = Severity::kError;
  FindingKind kind = FindingKind::kFinding;
  std::string message;  // secrets already redacted
  std::string file;     // as named on the command line / walked
  uint32_t line = 0;    // 1-based; 0 = unknown
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  std::string path;         // document path: services.redis.image, row.tin
  std::string fingerprint;  // 16 hex digits, ":N" appended for repeats in a file
  Suppression suppressed = Suppression::kNone;
  // The line the finding points at, secrets masked; may be empty. A line of
  // more than 240 bytes is a window of it around `column` instead, with "…"
  // where text was left out (see source_column): a report never holds a long
  // line per finding.
  std::string source_line;
  // Where `column` is in source_line when that is a window of a long line
  // (code points, 1-based); 0 when source_line is the whole line and `column`
  // is its column. The text report puts the caret there.
  uint32_t source_column = 0;
};

// Findings order: file, line, column, rule id (then message, for total determinism).
bool FindingLess(const Finding& a, const Finding& b);

// Per rule and input, summed over inputs in the summary.
struct RuleCounters {
  uint64_t evaluated = 0;  // bindings that reached require/unique
  uint64_t skipped = 0;    // removed by `where`
  uint64_t failed = 0;     // all failures, listed or not
  uint64_t errors = 0;     // evaluation errors
  uint64_t listed = 0;     // findings and evaluation errors kept in the list (after --max-findings)
};

// An input or rule file that could not be read, parsed or compiled.
struct Problem {
  std::string file;
  uint32_t line = 0;  // 0 = unknown
  uint32_t column = 0;
  std::string message;
  bool warning = false;   // a walked document that does not parse: reported, exit code unchanged
  std::string code = {};  // its diagnostic code ("input.syntax", docs/DIAGNOSTICS.md); may be empty
};

// What the engine did with one input: reporters describe a run from these
// alone, never by reading or guessing again.
struct InputSummary {
  std::string file;    // as Finding::file names it
  std::string kind;    // "compose", "records", "document", or "unknown"
  std::string schema;  // the record schema it bound to; empty when none
  // The ids of the rules that ran on it, in id order; empty when it could not
  // be read or parsed (a Problem says why).
  std::vector<std::string> rules;
  bool checked = false;  // read and parsed: its rules ran
  // Compose inputs: the services of the (merged) project in file order, and
  // the files merged over `file` with --compose-merge, in order.
  std::vector<std::string> services;
  std::vector<std::string> merged;
  // Compose inputs: per service (file order), the files its `env_file:` names,
  // spelled as the findings in them name them. The readiness matrix counts an
  // env file's findings against every service that reads it.
  std::vector<std::pair<std::string, std::vector<std::string>>> env_files;
};

struct Report {
  std::vector<Finding> findings;  // sorted with FindingLess
  std::vector<Problem> problems;
  // Every input, in input order (the readiness matrix lists compose files
  // without findings too; JUnit lists the rules that ran on each).
  std::vector<InputSummary> inputs;
  // Inline suppressions that matched no finding (shown with --verbose).
  std::vector<Problem> unused_suppressions;
  std::map<std::string, RuleCounters> by_rule;
  uint64_t files = 0;      // files read: inputs and the files merged over them
  uint64_t truncated = 0;  // failures and evaluation errors not listed because of --max-findings
  uint64_t rules_run = 0;
  double elapsed_ms = 0;
  // CheckOptions::defer_unique: every `unique` key of the record streams, with
  // its record's place, encoded (partition.h); empty otherwise.
  std::string unique_keys;
};

}  // namespace policy
