#pragma once
// What checking one input gives back to Check(), before suppressions,
// fingerprints and masking (finish.h) turn it into report entries.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/eval/group_table.h"
#include "libpolicy/eval/index_table.h"
#include "libpolicy/eval/runner.h"
#include "libpolicy/run/suppressions.h"
#include "libpolicy/run/unique_log.h"
#include "libpolicy/run/unique_sets.h"

namespace policy::run {

struct InputResult {
  std::vector<eval::PendingFinding> findings;
  std::map<std::string, RuleCounters> by_rule;
  std::vector<Problem> problems;
  uint64_t truncated = 0;
  std::map<std::string, std::vector<Directive>> directives;  // YAML inputs, by display file
  InputSummary summary;
  // Grouped rules: the groups this input's bindings made, merged later with
  // the other inputs' in input order (LANGUAGE.md section 11.3).
  std::map<const eval::CompiledRule*, eval::GroupTable> groups;
  // `mostly` rules: passed and total records per rule id (Collect), so that
  // the tallies of the partitions of one input can be added (partition.h).
  std::map<std::string, std::pair<uint64_t, uint64_t>> mostly;
};

// The table of `rule` in `groups`, made empty when absent.
eval::GroupTable& GroupsOf(std::map<const eval::CompiledRule*, eval::GroupTable>& groups,
                           const eval::CompiledRule* rule);

struct Settings {
  unsigned jobs = 1;
  // The record pipeline's own accelerations (Program::passes): per-shape rule
  // plans, and rules whose input prefix is false skipping the whole input.
  bool shape_plans = true;
  bool dormant_rules = true;
  std::optional<uint64_t> max_findings;  // as CheckOptions
  std::string repo_root;                 // as CheckOptions, for fingerprints
  // Version 2 (LANGUAGE.md section 11). The indexes rules read (built first).
  const eval::IndexSet* indexes = nullptr;
  // Every input's display name by position: kept values name inputs so.
  const std::vector<std::string>* foreign_files = nullptr;
  // `unique` key sets shared by the inputs of a data set (unique_sets.h);
  // null: each input compares within itself.
  UniqueSets* unique_sets = nullptr;
  // A run split into tasks (CheckOptions::defer_unique): record streams write
  // every `unique` key here and decide none (unique_log.h).
  UniqueLogWriter* unique_log = nullptr;
  // While an index is built: the keys of its rule (the only rule run) fill
  // this table, instead of deciding `unique`.
  eval::IndexTable* index_build = nullptr;
  // The findings listed per rule and input: --max-findings, 100 for record
  // inputs by default, unlimited (UINT64_MAX) for documents.
  uint64_t RecordLimit() const {
    return max_findings ? (*max_findings == 0 ? UINT64_MAX : *max_findings) : 100;
  }
};

}  // namespace policy::run
