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

// A repeat of a `unique` key found across tasks (ResolveUniqueKeys): its
// record's place in the input and the place of the key's first sighting.
struct UniqueRepeat {
  std::string rule;
  uint32_t line = 0;
  uint64_t offset = 0;
  uint32_t length = 0;
  std::string key;
  std::string first_file;
  uint32_t first_line = 0;
};

// Builds the findings of `repeats` (all in `input`, a record stream, in file
// order) as the pipeline builds a repeat's: each record is read again from
// its bytes, and the first --max-findings are listed per rule.
void CheckUniqueRepeats(const RuleList& rules, const Input& input, const InputPlan& plan,
                        const Settings& settings, const std::vector<UniqueRepeat>& repeats,
                        InputResult& result);

}  // namespace policy::run
