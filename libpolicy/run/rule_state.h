#pragma once
// A rule's state on one input, and how states combine. Every part merges
// associatively in file order (counters and `mostly` tallies add; listed
// findings keep the first `limit` in order), so chunks checked on several
// threads give the same outcome as one pass; rules over several inputs and
// partitions build on the same operation.
#include <cstdint>
#include <map>
#include <string>

#include "libpolicy/eval/program.h"
#include "libpolicy/eval/runner.h"
#include "libpolicy/run/input_result.h"

namespace policy::run {

// Adds `later` (what follows `into` in file order) to `into`, listing at most
// `limit` findings in all. `later` is left empty of findings.
void MergeOutcome(eval::RuleOutcome& later, eval::RuleOutcome& into, uint64_t limit);

// Adds the `mostly` finding when fewer than the rule's percentage passed.
void FinishMostly(const eval::CompiledRule& rule, const eval::InputInfo& info, uint32_t first_line,
                  eval::RuleOutcome& outcome);

// Moves a finished outcome into the input's result under `id` (counters,
// findings, the failures not listed).
void Collect(const std::string& id, eval::RuleOutcome& outcome, InputResult& result);

// Adds every rule's counters of `from` to `to` (a report's, or a task's).
void AddCounters(const std::map<std::string, RuleCounters>& from,
                 std::map<std::string, RuleCounters>& to);

}  // namespace policy::run
