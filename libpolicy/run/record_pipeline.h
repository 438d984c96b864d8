#pragma once
// Record inputs: schema typing and chunked parallel evaluation with findings
// merged back in file order, `unique` across the whole input. A CSV, TSV or
// JSON Lines file streams through it in chunks; a record list already in
// memory (a JSON or YAML array) is the one-chunk case of the same pipeline.
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/eval/runner.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/input_result.h"

namespace policy::run {

using RuleList = std::vector<const eval::CompiledRule*>;

// Streams `input` (plan.read_as == kRecordStream) over `settings.jobs` threads.
void CheckRecordStream(const RuleList& rules, const Input& input, const InputPlan& plan,
                       const Settings& settings, InputResult& result);

// Checks the records of `list` (an array held in memory, from the input `info`
// describes) with the same pipeline, as a single chunk.
void CheckRecordList(const RuleList& rules, const InputPlan& plan, const Value& list,
                     const eval::InputInfo& info, const Settings& settings, InputResult& result);

}  // namespace policy::run
