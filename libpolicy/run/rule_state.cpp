#include "libpolicy/run/rule_state.h"

#include <algorithm>

namespace policy::run {

void MergeOutcome(eval::RuleOutcome& later, eval::RuleOutcome& into, uint64_t limit) {
  into.counters.evaluated += later.counters.evaluated;
  into.counters.skipped += later.counters.skipped;
  into.counters.failed += later.counters.failed;
  into.counters.errors += later.counters.errors;
  into.mostly_passed += later.mostly_passed;
  into.mostly_total += later.mostly_total;
  for (eval::PendingFinding& f : later.findings) {
    if (into.counters.listed >= limit) break;
    ++into.counters.listed;
    into.findings.push_back(std::move(f));
  }
  later.findings.clear();
}

void FinishMostly(const eval::CompiledRule& rule, const eval::InputInfo& info, uint32_t first_line,
                  eval::RuleOutcome& outcome) {
  if (!rule.mostly || outcome.mostly_total == 0) return;
  // passed / total < pct / 100  <=>  passed * 100 < pct * total, exactly.
  Decimal lhs = Decimal::FromInt(static_cast<int64_t>(outcome.mostly_passed) * 100);
  Decimal rhs;
  if (Decimal::Mul(*rule.mostly, Decimal::FromInt(static_cast<int64_t>(outcome.mostly_total)),
                   &rhs) != DecimalStatus::kOk)
    return;
  if (!(lhs < rhs)) return;
  ++outcome.counters.failed;
  ++outcome.counters.listed;
  outcome.findings.push_back(eval::Runner::MostlyFinding(rule, info, outcome.mostly_passed,
                                                         outcome.mostly_total, first_line));
}

void Collect(const std::string& id, eval::RuleOutcome& outcome, InputResult& result) {
  RuleCounters& c = result.by_rule[id];
  c.evaluated += outcome.counters.evaluated;
  c.skipped += outcome.counters.skipped;
  c.failed += outcome.counters.failed;
  c.errors += outcome.counters.errors;
  c.listed += outcome.counters.listed;
  if (outcome.mostly_total > 0) {
    auto& [passed, total] = result.mostly[id];
    passed += outcome.mostly_passed;
    total += outcome.mostly_total;
  }
  // Listed counts failures and evaluation errors alike; so do the ones cut.
  const uint64_t found = outcome.counters.failed + outcome.counters.errors;
  result.truncated += found - std::min(found, outcome.counters.listed);
  if (result.findings.empty()) {
    result.findings.swap(outcome.findings);  // no second list of a million findings
  } else {
    for (eval::PendingFinding& f : outcome.findings) result.findings.push_back(std::move(f));
  }
  std::vector<eval::PendingFinding>().swap(outcome.findings);
}

void AddCounters(const std::map<std::string, RuleCounters>& from,
                 std::map<std::string, RuleCounters>& to) {
  for (const auto& [id, c] : from) {
    RuleCounters& t = to[id];
    t.evaluated += c.evaluated;
    t.skipped += c.skipped;
    t.failed += c.failed;
    t.errors += c.errors;
    t.listed += c.listed;
  }
}

}  // namespace policy::run
