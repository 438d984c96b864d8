#include "libpolicy/run/index_build.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/glob.h"
#include "libpolicy/run/check_input.h"
#include "libpolicy/run/finish.h"
#include "libpolicy/run/rule_state.h"

namespace policy::run {

eval::GroupTable& GroupsOf(std::map<const eval::CompiledRule*, eval::GroupTable>& groups,
                           const eval::CompiledRule* rule) {
  auto it = groups.find(rule);
  if (it == groups.end()) it = groups.emplace(rule, eval::GroupTable(rule, rule->max_groups)).first;
  return it->second;
}

namespace {

std::string ForeignName(const std::vector<std::string>* names, uint16_t file) {
  if (names == nullptr || file < eval::kForeignFileBase) return "?";
  const size_t i = file - eval::kForeignFileBase;
  return i < names->size() ? (*names)[i] : "?";
}

}  // namespace

bool SourceReads(const eval::CompiledIndex& index, const InputPlan& plan) {
  switch (index.source) {
    case syntax::SourceKind::kRecords:
      return plan.kind == InputKind::kRecords && plan.schema == index.schema;
    case syntax::SourceKind::kCompose:
      return plan.kind == InputKind::kCompose;
    case syntax::SourceKind::kDocument:
      return plan.kind == InputKind::kDocument && GlobMatch(index.glob, plan.display);
    case syntax::SourceKind::kDotenv:
      return plan.kind == InputKind::kDotenv && GlobMatch(index.glob, plan.display);
  }
  return false;
}

void AddIndexEntry(eval::IndexTable& table, const Value& key, const Value& entry, uint16_t file,
                   uint32_t line, eval::Runner& runner, eval::RuleOutcome& out) {
  // One buffer per thread: no allocation per entry.
  static thread_local std::string bytes;
  bytes.clear();
  eval::AppendKeyBytes(key, bytes);
  eval::IndexTable::Place first;
  switch (table.Add(bytes, entry, file, line, &first)) {
    case eval::IndexTable::Added::kNew:
      return;
    case eval::IndexTable::Added::kAgain: {
      if (table.index().keep_all) return;
      ++out.counters.failed;
      if (out.counters.listed >= out.limit) return;
      ++out.counters.listed;
      std::string message = fmt::format(
          "index {}: key {} was already seen at {}:{}; the first entry is kept ({})",
          table.index().name, ToJson(key), ForeignName(runner.foreign_files(), first.file),
          first.line, NameOf(DiagCode::kIndexDuplicateKey));
      out.findings.push_back(runner.MakeFinding(FindingKind::kFinding, std::move(message), &key));
      return;
    }
    case eval::IndexTable::Added::kFull:
      if (out.counters.errors > 0) return;
      ++out.counters.errors;
      // Listed within --max-findings like every evaluation error, else counted only.
      if (out.counters.listed >= out.limit) return;
      ++out.counters.listed;
      out.findings.push_back(runner.MakeFinding(
          FindingKind::kEvaluationError,
          fmt::format("evaluation error ({}): index {} holds more than {} entries; it stops "
                      "growing here",
                      NameOf(DiagCode::kLimitIndexEntries), table.index().name,
                      eval::IndexTable::kMaxEntries),
          &key));
      return;
  }
}

eval::IndexSet BuildIndexes(const Program& program, ActiveRules& rules,
                            const std::vector<Input>& inputs, const std::vector<InputPlan>& plans,
                            const Settings& settings, std::vector<char>& fed, InputResult& out) {
  eval::IndexSet set;
  set.tables.resize(program.indexes.size());
  // An index is needed by a rule that reads it and has an input of its own:
  // invoices indexed for the credit notes are not read when no credit note is given.
  std::vector<char> needed(program.indexes.size(), 0);
  std::set<const eval::CompiledRule*> with_input;
  bool index_only = false;
  for (size_t i = 0; i < plans.size(); ++i) {
    index_only = index_only || inputs[i].index_only;
    if (!inputs[i].index_only)
      for (const eval::CompiledRule* r : rules.For(plans[i])) with_input.insert(r);
  }
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* r : *list)
      if (with_input.count(r))
        for (uint32_t i : r->reads_indexes) needed[i] = 1;
  std::vector<char> missing(program.indexes.size(), 0);
  size_t position = 0;
  for (const eval::CompiledIndex& index : program.indexes) {
    const size_t x = position++;
    // Pass kNeededIndexes off: every index with an input is built (and the
    // findings of one no rule reads are dropped, as if it were not built).
    if (!needed[x] && index.passes.on(eval::Pass::kNeededIndexes)) continue;
    std::vector<size_t> from;
    for (size_t i = 0; i < plans.size(); ++i)
      if (SourceReads(index, plans[i]) && (!index_only || inputs[i].index_only)) from.push_back(i);
    if (from.empty() && !index.optional) {
      missing[x] = needed[x];
      continue;
    }
    auto table = std::make_unique<eval::IndexTable>(&index);
    Settings build = settings;
    build.index_build = table.get();
    build.indexes = nullptr;
    ActiveRules only;
    switch (index.rule.target) {
      case syntax::TargetKind::kCompose:
        only.compose.push_back(&index.rule);
        break;
      case syntax::TargetKind::kDocument:
        only.document.push_back(&index.rule);
        break;
      case syntax::TargetKind::kRecords:
        only.records.push_back(&index.rule);
        break;
      case syntax::TargetKind::kDotenv:
        only.dotenv.push_back(&index.rule);
        break;
    }
    only.count = 1;
    for (size_t i : from) {
      if (needed[x]) fed[i] = 1;
      InputResult r = CheckInput(program, only, inputs[i], plans[i], build);
      if (!needed[x]) continue;
      // Input problems are reported when the input itself is checked; here
      // only the index's own findings count.
      for (eval::PendingFinding& f : r.findings)
        if (f.finding.rule == "INDEX") out.findings.push_back(std::move(f));
      for (auto& [id, c] : r.by_rule) {
        if (id != "INDEX") continue;
        RuleCounters& t = out.by_rule[id];
        t.failed += c.failed;
        t.errors += c.errors;
        t.listed += c.listed;
      }
    }
    table->Seal();
    set.tables[x] = std::move(table);
  }
  // A rule that reads an index nobody fed is not run: loud, never a quiet pass.
  const ActiveRules before = rules;
  position = 0;
  for (const eval::CompiledIndex& index : program.indexes) {
    const size_t x = position++;
    if (!missing[x]) continue;
    std::vector<std::string> readers;
    for (const auto* list : before.Lists())
      for (const eval::CompiledRule* r : *list)
        if (std::find(r->reads_indexes.begin(), r->reads_indexes.end(), x) !=
            r->reads_indexes.end())
          readers.push_back(r->info.id);
    for (auto* list : rules.Lists()) {
      std::vector<const eval::CompiledRule*> kept;
      for (const eval::CompiledRule* r : *list) {
        bool reads = false;
        for (uint32_t i : r->reads_indexes) reads = reads || i == x;
        if (reads) {
          --rules.count;
        } else {
          kept.push_back(r);
        }
      }
      *list = std::move(kept);
    }
    out.problems.push_back({index.file, index.line, index.column,
                            fmt::format("index {}: {}; not run: {}", index.name, index.Describe(),
                                        fmt::join(readers, ", ")),
                            false, NameOf(DiagCode::kInputMissingSource)});
  }
  return set;
}

void FinishGroups(const ActiveRules& rules, std::vector<InputResult>& results,
                  const Settings& settings, InputResult& out) {
  Arena scratch;
  eval::Runner runner(scratch);
  runner.evaluator().SetIndexes(settings.indexes);
  for (const auto* list : rules.Lists()) {
    for (const eval::CompiledRule* rule : *list) {
      if (!rule->is_grouped()) continue;
      eval::GroupTable all(rule, rule->max_groups);
      for (InputResult& r : results) {
        auto it = r.groups.find(rule);
        if (it != r.groups.end()) all.Merge(it->second);
      }
      eval::RuleOutcome outcome;
      outcome.limit = settings.RecordLimit();
      for (const eval::Group& g : all.groups()) {
        std::vector<Value> values(rule->aggregates.size());
        std::vector<std::string> errors(rule->aggregates.size());
        for (size_t a = 0; a < values.size(); ++a)
          values[a] = all.Result(g, a, scratch, &errors[a]);
        eval::GroupView view{g.keys, values, &errors};
        Value where;
        Loc loc;
        loc.line = g.line ? g.line : 1;
        loc.column = 1;
        loc.file = g.file;
        where.set_loc(loc);
        eval::InputInfo info;
        info.display_file = ForeignName(settings.foreign_files, g.file);
        info.foreign_files = settings.foreign_files;
        const size_t before = outcome.findings.size();
        runner.RunGroup(*rule->grouped, view, where, info, outcome);
        // One group, one fingerprint: its keys, whatever the message says.
        std::string keys;
        for (const Value& k : g.keys) eval::AppendKeyBytes(k, keys);
        for (size_t f = before; f < outcome.findings.size(); ++f)
          outcome.findings[f].fingerprint_text = keys;
        scratch.Reset();
      }
      const auto& over = all.over_limit();
      if (over) ++outcome.counters.errors;
      // Listed within --max-findings like every evaluation error, else counted only.
      if (over && outcome.counters.listed < outcome.limit) {
        ++outcome.counters.listed;
        eval::PendingFinding p;
        p.finding.rule = rule->info.id;
        p.finding.kind = FindingKind::kEvaluationError;
        p.finding.severity = Severity::kError;
        p.finding.file = ForeignName(settings.foreign_files, over->file);
        p.finding.line = over->line;
        p.finding.column = 1;
        p.finding.message = fmt::format(
            "evaluation error ({}): more than {} groups (param max_groups); the bindings past it "
            "are left out, the groups already open are judged",
            NameOf(DiagCode::kLimitGroups), all.max_groups());
        p.fingerprint_text = NameOf(DiagCode::kLimitGroups);
        outcome.findings.push_back(std::move(p));
      }
      Collect(rule->info.id, outcome, out);
    }
  }
}

}  // namespace policy::run
