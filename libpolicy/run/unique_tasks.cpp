// `unique` across the tasks of a split run (partition.h): key logs cut by
// hash, resolved in input order, and the repeats' findings built again from
// their records' bytes.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "libpolicy/eval/key_set.h"
#include "libpolicy/hash.h"
#include "libpolicy/partition.h"
#include "libpolicy/run/finish.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/record_pipeline.h"
#include "libpolicy/run/rule_selection.h"
#include "libpolicy/run/rule_state.h"
#include "libpolicy/run/unique_log.h"

namespace policy {
namespace {

// The set a key belongs to: its rule and data set, or its rule and input when
// the input binds to no schema (it compares within itself).
std::string SetOf(const run::UniqueLogEntry& e) {
  std::string set(e.rule);
  set += '\0';
  set += e.data_set;
  set += '\0';
  if (e.data_set.empty()) set += e.file;
  return set;
}

}  // namespace

std::vector<std::string> SplitUniqueKeys(std::string_view log, uint32_t buckets) {
  if (buckets == 0) throw std::invalid_argument("SplitUniqueKeys: no bucket");
  std::vector<run::UniqueLogWriter> out(buckets);
  run::UniqueLogReader reader(log);
  run::UniqueLogEntry e;
  while (reader.Next(e)) {
    const std::string set = SetOf(e);
    const uint64_t h = HashBytes(set.data(), set.size()) ^ eval::KeySet::HashOf(e.key);
    out[h % buckets].Add(e);
  }
  std::vector<std::string> logs;
  for (const run::UniqueLogWriter& w : out) logs.push_back(w.Finish());
  return logs;
}

std::string ResolveUniqueKeys(const std::vector<std::string_view>& logs) {
  std::map<std::string, eval::KeySet> sets;
  std::vector<std::string> files;  // KeySet::Place::input indexes these
  std::map<std::string, uint32_t, std::less<>> file_ids;
  run::UniqueLogWriter repeats;
  for (std::string_view log : logs) {
    run::UniqueLogReader reader(log);
    run::UniqueLogEntry e;
    while (reader.Next(e)) {
      auto id = file_ids.find(e.file);
      if (id == file_ids.end()) {
        id = file_ids.emplace(std::string(e.file), static_cast<uint32_t>(files.size())).first;
        files.emplace_back(e.file);
      }
      eval::KeySet& set = sets[SetOf(e)];
      std::optional<eval::KeySet::Place> first = set.Insert(e.key, {e.line, id->second});
      if (!first) continue;
      e.first_file = files[first->input];
      e.first_line = first->line;
      repeats.Add(e);
    }
  }
  return repeats.Finish();
}

Report UniqueRepeatFindings(const Program& program, const Input& input,
                            const std::vector<std::string_view>& repeats,
                            const CheckOptions& options) {
  Report report;
  run::InputPlan plan = run::PlanInput(program, input);
  std::vector<run::UniqueRepeat> mine;
  for (std::string_view log : repeats) {
    run::UniqueLogReader reader(log);
    run::UniqueLogEntry e;
    while (reader.Next(e)) {
      if (e.file != plan.display) continue;
      mine.push_back({std::string(e.rule), e.line, e.offset, e.length, std::string(e.key),
                      std::string(e.first_file), e.first_line});
    }
  }
  if (mine.empty()) return report;
  // Buckets resolve apart: their repeats come back in file order once sorted.
  std::stable_sort(
      mine.begin(), mine.end(),
      [](const run::UniqueRepeat& a, const run::UniqueRepeat& b) { return a.offset < b.offset; });
  if (plan.read_as != run::ReadAs::kRecordStream) {
    report.problems.push_back({plan.display, 0, 0,
                               "repeats of `unique` keys can only be found again in CSV, TSV or "
                               "JSON Lines inputs",
                               false, NameOf(DiagCode::kInputNotPartitionable)});
    return report;
  }
  const run::ActiveRules active = run::SelectRules(program, options);
  run::Settings settings;
  settings.jobs = 1;
  settings.max_findings = options.max_findings;
  settings.repo_root = options.repo_root;
  run::InputResult result;
  run::CheckUniqueRepeats(active.For(plan), input, plan, settings, mine, result);
  run::FinishFindings(result, options.repo_root, report.findings);
  run::AddCounters(result.by_rule, report.by_rule);
  report.truncated = result.truncated;
  report.problems = std::move(result.problems);
  return report;
}

}  // namespace policy
