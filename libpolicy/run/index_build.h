#pragma once
// Version 2 of the run (LANGUAGE.md section 11): indexes built before the
// rules that read them, and grouped rules judged after every input.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/eval/group_table.h"
#include "libpolicy/eval/index_table.h"
#include "libpolicy/eval/runner.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/input_result.h"
#include "libpolicy/run/rule_selection.h"

namespace policy::run {

// Adds one key of an index's rule: `entry` (the binding the index keeps) from
// input `file` (a foreign id) at `line`. A key seen before is an INDEX finding
// (`keep first`) on `out`; an index past its limit, one evaluation error.
void AddIndexEntry(eval::IndexTable& table, const Value& key, const Value& entry, uint16_t file,
                   uint32_t line, eval::Runner& runner, eval::RuleOutcome& out);

// Whether `plan` (an input) is one the source of `index` reads.
bool SourceReads(const eval::CompiledIndex& index, const InputPlan& plan);

// Builds every index the active rules read, from the inputs its source
// matches (each such input read once per index). An index no input feeds is
// an input.missing_source problem, and the rules that read it leave `rules`
// (they could only fail or pass for nothing). `fed[i]` is set for inputs that
// fed an index. Index-only inputs (Input::index_only) give no rule an input of
// its own, and when there are any, they alone feed the indexes.
eval::IndexSet BuildIndexes(const Program& program, ActiveRules& rules,
                            const std::vector<Input>& inputs, const std::vector<InputPlan>& plans,
                            const Settings& settings, std::vector<char>& fed, InputResult& out);

// Judges the groups of every grouped rule in `rules`: the tables of `results`
// merged in input order, each group's phase run once, findings into `out`.
void FinishGroups(const ActiveRules& rules, std::vector<InputResult>& results,
                  const Settings& settings, InputResult& out);

}  // namespace policy::run
