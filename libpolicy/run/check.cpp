// Check(): inputs -> report. Each input is planned (input_plan.h), then
// checked: compose files and documents are loaded whole and spread over the
// workers, one input each; record inputs stream and use every worker
// themselves (record_pipeline.h). Results merge in input order, so the report
// does not depend on --jobs.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/engine.h"
#include "libpolicy/eval/group_table_io.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/run/check_input.h"
#include "libpolicy/run/check_run.h"
#include "libpolicy/run/finish.h"
#include "libpolicy/run/index_build.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/rule_selection.h"
#include "libpolicy/run/rule_state.h"

namespace policy {

InputKind InferKind(const std::string& path) { return run::KindFromName(path); }

bool MayBeCompose(std::string_view text) { return run::MayBeComposeText(text); }

std::vector<RuleInfo> SelectedRules(const Program& program, const CheckOptions& options) {
  const run::ActiveRules rules = run::SelectRules(program, options);
  std::vector<RuleInfo> out;
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* r : *list) out.push_back(r->info);
  std::sort(out.begin(), out.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string> DocumentGlobs(const Program& program, const CheckOptions& options) {
  const run::ActiveRules rules = run::SelectRules(program, options);
  std::vector<std::string> globs;
  auto add = [&](const std::string& g) {
    if (!g.empty() && std::find(globs.begin(), globs.end(), g) == globs.end()) globs.push_back(g);
  };
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* r : *list) {
      add(r->glob);
      for (uint32_t i : r->reads_indexes)
        if (program.indexes[i].source == syntax::SourceKind::kDocument)
          add(program.indexes[i].glob);
    }
  return globs;
}

namespace run {
namespace {

// A piece of a split run: the `mostly` findings of a partition leave with
// their tallies, unjudged. They are the findings FinishMostly made at the
// end of the input (fingerprint text "mostly", not fingerprinted yet; every
// record's finding is fingerprinted as its chunk ends).
void DeferMostly(InputResult& r, std::vector<PieceState::Tally>& out) {
  for (auto& [id, tally] : r.mostly) out.push_back({id, tally.first, tally.second});
  std::erase_if(r.findings, [&](const eval::PendingFinding& p) {
    if (p.fingerprint_text != "mostly" || !p.finding.fingerprint.empty() ||
        p.finding.kind != FindingKind::kFinding || !r.mostly.count(p.finding.rule))
      return false;
    RuleCounters& c = r.by_rule[p.finding.rule];
    --c.failed;
    --c.listed;
    return true;
  });
}

// A piece's groups, merged over its inputs in order, as bytes.
std::string GroupBytes(const ActiveRules& rules, std::vector<InputResult>& results,
                       const std::vector<std::string>& names) {
  std::vector<eval::GroupTable> tables;
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* rule : *list) {
      if (!rule->is_grouped()) continue;
      eval::GroupTable& all = tables.emplace_back(rule, rule->max_groups);
      for (InputResult& r : results) {
        auto it = r.groups.find(rule);
        if (it != r.groups.end()) all.Merge(it->second);
      }
    }
  if (tables.empty()) return {};
  std::vector<const eval::GroupTable*> list;
  for (const eval::GroupTable& t : tables) list.push_back(&t);
  std::optional<std::string> bytes = eval::WriteGroupTables(list, names);
  if (!bytes) throw std::runtime_error("a group holds a value that cannot be written");
  return std::move(*bytes);
}

}  // namespace

Settings RunSettings(const Program& program, const CheckOptions& options) {
  Settings settings;
  settings.jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  settings.max_findings = options.max_findings;
  settings.repo_root = options.repo_root;
  settings.shape_plans = program.passes.on(eval::Pass::kShapePlans);
  settings.dormant_rules = program.passes.on(eval::Pass::kDormantRules);
  return settings;
}

std::vector<InputPlan> PlanRun(const Program& program, const std::vector<Input>& inputs,
                               std::vector<std::string>& names) {
  std::vector<InputPlan> plans;
  plans.reserve(inputs.size());
  for (const Input& in : inputs) {
    plans.push_back(PlanInput(program, in));
    if (names.size() < eval::kMaxForeignFiles)
      plans.back().foreign_id = static_cast<uint16_t>(eval::kForeignFileBase + names.size());
    plans.back().position = static_cast<uint32_t>(names.size());
    names.push_back(plans.back().display);
  }
  return plans;
}

Report CheckRun(const Program& program, const std::vector<Input>& inputs,
                const CheckOptions& options, PieceState* piece) {
  auto start = std::chrono::steady_clock::now();
  Report report;
  const run::ActiveRules rules = run::SelectRules(program, options);
  run::Settings settings = RunSettings(program, options);
  std::vector<std::string> names;  // kept values name inputs by position (eval/kept_value.h)
  std::vector<run::InputPlan> plans = PlanRun(program, inputs, names);
  settings.foreign_files = &names;
  run::UniqueSets unique_sets;  // `unique` across the inputs of a data set
  settings.unique_sets = &unique_sets;
  run::UniqueLogWriter unique_log;  // or, in a task of a split run, every key written down
  // A piece of a split run never decides `unique`: the other pieces may hold its keys.
  if (options.defer_unique || piece != nullptr) settings.unique_log = &unique_log;

  // Version 2: the indexes the rules read, built before any rule runs.
  run::InputResult v2;  // index and group findings, and missing sources
  std::vector<char> fed(inputs.size(), 0);
  run::ActiveRules active = rules;
  const eval::IndexSet indexes =
      run::BuildIndexes(program, active, inputs, plans, settings, fed, v2);
  settings.indexes = &indexes;
  report.rules_run = active.count;

  std::vector<run::InputResult> results(inputs.size());
  auto check = [&](size_t i) {
    try {
      results[i] = run::CheckInput(program, active, inputs[i], plans[i], settings);
    } catch (const std::exception& e) {
      results[i].summary.file = plans[i].display;
      results[i].summary.kind = run::KindName(plans[i].kind);
      results[i].problems.push_back(
          {plans[i].display, 0, 0, std::string("internal error (a bug): ") + e.what(), false});
    }
  };
  // Record streams use every worker themselves; the rest are spread over workers.
  // With a `unique` rule, record lists join the streams: the key sets a data
  // set shares are filled in input order.
  const bool ordered_lists = std::any_of(active.records.begin(), active.records.end(),
                                         [](const eval::CompiledRule* r) { return r->is_unique; });
  std::vector<size_t> small, big;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].index_only) continue;
    const run::ReadAs as = plans[i].read_as;
    const bool in_order =
        as == run::ReadAs::kRecordStream || (ordered_lists && as == run::ReadAs::kRecordList);
    (in_order ? big : small).push_back(i);
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t j = next++; j < small.size(); j = next++) check(small[j]);
  };
  unsigned threads = std::min<unsigned>(settings.jobs, static_cast<unsigned>(small.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  for (size_t i : big) check(i);

  if (piece == nullptr) {
    run::FinishGroups(active, results, settings, v2);
  } else {
    // What only the whole run says is FinishPieces' (index findings, missing sources).
    v2 = run::InputResult();
    piece->groups = GroupBytes(active, results, names);
    piece->mostly.assign(inputs.size(), {});
    for (size_t i = 0; i < results.size(); ++i)
      if (inputs[i].range && !inputs[i].index_only) DeferMostly(results[i], piece->mostly[i]);
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (inputs[i].index_only) continue;
    run::InputResult& r = results[i];
    // Read but judged by nothing: said so in every format, never a quiet pass.
    // (An input that fed an index was read for the rules that read it.)
    if (r.summary.checked && r.summary.rules.empty() && !fed[i]) {
      std::string what = r.summary.kind;
      if (!r.summary.schema.empty()) what += " (schema " + r.summary.schema + ")";
      r.problems.push_back(
          {r.summary.file, 0, 0,
           "no selected rule applies to this " + what + " input; only its syntax was checked", true,
           NameOf(DiagCode::kInputNoRule)});
    }
    run::ApplyDirectives(program, r, report.unused_suppressions);
    run::FinishFindings(r, options.repo_root, report.findings);
    run::AddCounters(r.by_rule, report.by_rule);
    report.truncated += r.truncated;
    for (Problem& p : r.problems) report.problems.push_back(std::move(p));
    report.inputs.push_back(std::move(r.summary));
  }
  run::AddCounters(v2.by_rule, report.by_rule);
  report.truncated += v2.truncated;  // grouped rules' findings past --max-findings
  run::FinishFindings(v2, options.repo_root, report.findings);
  for (Problem& p : v2.problems) report.problems.push_back(std::move(p));
  // Every file read: an input, and the files --compose-merge merged over it.
  report.files = 0;
  for (const Input& in : inputs)
    if (!in.index_only) report.files += 1 + in.merge.size();
  // Usually sorted already (inputs in path order): then no sort buffer the size of the list.
  if (!std::is_sorted(report.findings.begin(), report.findings.end(), FindingLess))
    std::stable_sort(report.findings.begin(), report.findings.end(), FindingLess);
  if (!unique_log.empty()) {
    if (piece != nullptr)
      piece->unique_keys = unique_log.Finish();
    else
      report.unique_keys = unique_log.Finish();
  }
  report.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace run

Report Check(const Program& program, const std::vector<Input>& inputs,
             const CheckOptions& options) {
  return run::CheckRun(program, inputs, options, nullptr);
}

}  // namespace policy
