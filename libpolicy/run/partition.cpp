// SplitRecords, WholeInputRules and the pieces of a split run (partition.h).
#include "libpolicy/partition.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include "libpolicy/eval/group_table_io.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/run/check_run.h"
#include "libpolicy/run/finish.h"
#include "libpolicy/run/index_build.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/rule_selection.h"
#include "libpolicy/run/rule_state.h"

namespace policy {
namespace {

// A file mapped read-only for one pass; empty files map to an empty view.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      error_ = std::strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
      error_ = "not a regular file";
    } else if (st.st_size > 0) {
      size_ = static_cast<std::size_t>(st.st_size);
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error_ = std::strerror(errno);
        size_ = 0;
      } else {
        data_ = static_cast<const char*>(p);
        ::madvise(p, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const { return {data_, size_}; }
  const std::string& error() const { return error_; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string error_;
};

}  // namespace

Partitions SplitRecords(const Program& program, const Input& input, uint64_t target_bytes) {
  Partitions out;
  const run::InputPlan plan = run::PlanInput(program, input);
  std::optional<MappedFile> mapped;
  std::string_view text;
  if (input.text) {
    text = *input.text;
  } else {
    mapped.emplace(input.path);
    if (!mapped->error().empty()) {
      out.problem = plan.display + ": cannot open: " + mapped->error();
      return out;
    }
    text = mapped->text();
  }
  out.splittable = plan.read_as == run::ReadAs::kRecordStream;
  if (!out.splittable || target_bytes == 0 || text.size() <= target_bytes) {
    out.ranges.push_back({0, text.size(), 1});
    return out;
  }
  out.ranges = load::SplitRecordBytes(text, plan.format, plan.delimiter, target_bytes);
  return out;
}

std::vector<std::string> WholeInputRules(const Program& program, const CheckOptions& options) {
  std::vector<std::string> ids;
  for (const eval::CompiledRule* rule : run::SelectRules(program, options).records)
    if (rule->is_unique) ids.push_back(rule->info.id);
  return ids;
}

std::vector<std::string> CrossInputRules(const Program& program, const CheckOptions& options) {
  std::vector<std::string> ids;
  const run::ActiveRules rules = run::SelectRules(program, options);
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* rule : *list)
      if (rule->is_grouped() || !rule->reads_indexes.empty()) ids.push_back(rule->info.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

Report CheckPiece(const Program& program, const std::vector<Input>& inputs,
                  const CheckOptions& options, PieceState& state) {
  state = PieceState();
  return run::CheckRun(program, inputs, options, &state);
}

std::vector<std::vector<size_t>> IndexSources(const Program& program,
                                              const std::vector<Input>& inputs,
                                              const CheckOptions& options) {
  const run::ActiveRules rules = run::SelectRules(program, options);
  std::vector<run::InputPlan> plans;
  for (const Input& in : inputs) plans.push_back(run::PlanInput(program, in));
  std::vector<std::vector<size_t>> out(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<char> reads(program.indexes.size(), 0);
    for (const eval::CompiledRule* r : rules.For(plans[i]))
      for (uint32_t x : r->reads_indexes) reads[x] = 1;
    for (size_t j = 0; j < inputs.size(); ++j)
      for (size_t x = 0; x < reads.size(); ++x)
        if (reads[x] && run::SourceReads(program.indexes[x], plans[j])) {
          out[i].push_back(j);
          break;
        }
  }
  return out;
}

RunTotals FinishPieces(const Program& program, const std::vector<Input>& inputs,
                       const std::vector<PieceOfRun>& pieces, const CheckOptions& options) {
  RunTotals totals;
  const run::ActiveRules rules = run::SelectRules(program, options);
  run::Settings settings = run::RunSettings(program, options);
  std::vector<std::string> names;  // as Check() names the inputs: the same foreign ids
  std::vector<run::InputPlan> plans = run::PlanRun(program, inputs, names);
  std::map<std::string, uint16_t, std::less<>> ids;
  for (const run::InputPlan& plan : plans) ids.try_emplace(plan.display, plan.foreign_id);
  settings.foreign_files = &names;

  // The indexes, as one process builds them: their findings and missing
  // sources said once, and read by the groups judged below.
  run::InputResult v2;
  totals.fed.assign(inputs.size(), 0);
  run::ActiveRules active = rules;
  const eval::IndexSet indexes =
      run::BuildIndexes(program, active, inputs, plans, settings, totals.fed, v2);
  settings.indexes = &indexes;
  totals.whole.rules_run = active.count;

  // Each input's groups and `mostly` tallies, its pieces added in order.
  std::vector<run::InputResult> results(inputs.size());
  std::vector<std::map<std::string, std::pair<uint64_t, uint64_t>>> mostly(inputs.size());
  auto file_id = [&](std::string_view name) -> uint16_t {
    auto it = ids.find(name);
    return it == ids.end() ? 0 : it->second;
  };
  for (const PieceOfRun& p : pieces) {
    if (p.input >= inputs.size() || p.state == nullptr) continue;
    for (const auto& per_input : p.state->mostly)
      for (const PieceState::Tally& t : per_input) {
        auto& [passed, total] = mostly[p.input][t.rule];
        passed += t.passed;
        total += t.total;
      }
    if (p.state->groups.empty()) continue;
    std::vector<std::pair<const eval::CompiledRule*, eval::GroupTable>> tables;
    if (!eval::ReadGroupTables(p.state->groups, program, file_id, tables, &totals.error))
      return totals;
    for (auto& [rule, table] : tables) run::GroupsOf(results[p.input].groups, rule).Merge(table);
  }

  totals.mostly.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (mostly[i].empty()) continue;
    run::InputResult r;
    eval::InputInfo info;
    info.display_file = plans[i].display;
    info.foreign_files = &names;
    for (const eval::CompiledRule* rule : active.For(plans[i])) {
      auto it = mostly[i].find(rule->info.id);
      if (it == mostly[i].end()) continue;
      eval::RuleOutcome outcome;
      outcome.mostly_passed = it->second.first;
      outcome.mostly_total = it->second.second;
      // A record stream's `mostly` finding is on line 1 (the pipeline's Finish).
      run::FinishMostly(*rule, info, 1, outcome);
      for (eval::PendingFinding& f : outcome.findings) r.findings.push_back(std::move(f));
    }
    run::FinishFindings(r, options.repo_root, totals.mostly[i]);
  }

  run::FinishGroups(active, results, settings, v2);
  run::AddCounters(v2.by_rule, totals.whole.by_rule);
  run::FinishFindings(v2, options.repo_root, totals.whole.findings);
  for (Problem& p : v2.problems) totals.whole.problems.push_back(std::move(p));
  return totals;
}

}  // namespace policy
