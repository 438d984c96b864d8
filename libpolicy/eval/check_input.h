#pragma once
// Checking one input, and what the engine merges from it. Private to the library.
#include <map>
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/eval/runner.h"
#include "libpolicy/eval/suppressions.h"

namespace policy::eval {

// The rules that run, by target, in id order.
struct ActiveRules {
  std::vector<const CompiledRule*> compose;
  std::vector<const CompiledRule*> document;
  std::vector<const CompiledRule*> records;
};

struct InputResult {
  std::vector<PendingFinding> findings;
  std::map<std::string, RuleCounters> by_rule;
  std::vector<Problem> problems;
  uint64_t truncated = 0;
  std::string display_file;
  std::map<std::string, std::vector<Directive>> directives;  // YAML inputs, by display file
};

struct Settings {
  unsigned jobs = 1;
  std::optional<uint64_t> max_findings;  // as CheckOptions
};

// CSV, TSV and JSON Lines inputs, streamed in chunks over `settings.jobs` threads.
void CheckRecordStream(const Program& program, const ActiveRules& rules, const Input& input,
                       const std::string& display, const Settings& settings, InputResult& result);

// Record sets already in memory (a JSON/YAML array of objects).
void CheckRecordList(const Program& program, const ActiveRules& rules, const Input& input,
                     const std::string& display, const Value& list, const InputInfo& info,
                     const Settings& settings, InputResult& result);

// The schema a record input is bound to: Input::schema, else the file stem,
// singular or plural (invoices.csv -> invoice); null when none.
const Schema* BindSchema(const Program& program, const Input& input);

// Adds the `mostly` finding when fewer than the rule's percentage passed.
void FinishMostly(const CompiledRule& rule, const InputInfo& info, uint32_t first_line,
                  RuleOutcome& outcome);

// Adds a finished rule outcome to the result (counters, findings).
void Collect(const CompiledRule& rule, RuleOutcome& outcome, InputResult& result);

}  // namespace policy::eval
