#include "libpolicy/eval/runner.h"

#include <fmt/format.h>

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstring>

#include "libpolicy/eval/builtins.h"
#include "libpolicy/eval/builtins/support.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/hash.h"

namespace policy::eval {
uint64_t NewRecordShape() {
  static std::atomic<uint64_t> next{1};
  return next++;
}

namespace {

bool IsScalar(const Value& v) {
  return v.is(Type::kString) || v.is(Type::kDecimal) || v.is(Type::kBool) || v.is(Type::kDate);
}

}  // namespace

void Runner::Run(const CompiledRule& rule, const Value& subject, TypedRow typed,
                 const RecordInfo* record, const InputInfo& in, RuleOutcome& out,
                 const KeySink* on_key) {
  Begin(subject, typed, record, in);
  RunRule(rule, out, on_key);
}

void Runner::Begin(const Value& subject, TypedRow typed, const RecordInfo* record,
                   const InputInfo& in) {
  typed_ = typed;
  record_ = record;
  in_ = &in;
  if (slots_.size() < static_cast<size_t>(kFirstFreeSlot))
    slots_.resize(static_cast<size_t>(kFirstFreeSlot));
  slots_[kSlotSubject] = subject;
  eval_.NewSubject();
  slots_[kSlotFile] = Value::String(in.display_file);
  slots_[kSlotLine] = record ? Value::Number(Decimal::FromInt(record->line)) : Value();
  if (record != nullptr && record->row.is(Type::kMap) && record->unique_keys)
    eval_.SetRecordRow(record->row.as_map().data(), record->shape);
  else
    eval_.SetRecordRow(nullptr, 0);
}

bool Runner::SkipsEveryField(const CompiledRule& rule) {
  const Value& subject = slots_[kSlotSubject];
  if (!rule.passes.on(Pass::kShapePlans) || rule.clauses.empty() ||
      rule.clauses[0].key_filter == nullptr || record_ == nullptr || record_->shape == 0 ||
      !subject.is(Type::kMap) || rule.clauses[0].expr->op != NodeOp::kSlot ||
      rule.clauses[0].expr->read_slot() != kSlotSubject)
    return false;
  const std::vector<uint32_t>* passing = KnownPassingKeys(rule.clauses[0], record_->shape);
  return passing != nullptr && passing->empty();
}

void Runner::RunGroup(const CompiledRule& phase, const GroupView& group, const Value& where,
                      const InputInfo& in, RuleOutcome& out) {
  Begin(where, nullptr, nullptr, in);
  eval_.SetGroup(&group);
  group_where_ = &where;
  RunRule(phase, out, nullptr, true);
  group_where_ = nullptr;
  eval_.SetGroup(nullptr);
}

void Runner::RunRule(const CompiledRule& rule, RuleOutcome& out, const KeySink* on_key,
                     bool applies) {
  // A rule that starts by picking the record's fields by name, none of which
  // this shape has: every field is skipped, as the walk below would find.
  if (!applies && SkipsEveryField(rule)) {
    out.counters.skipped += slots_[kSlotSubject].as_map().size();
    return;
  }
  rule_ = &rule;
  // Every rule of a program has the same passes: set once, compared after.
  if (eval_.passes() != rule.passes) eval_.SetPasses(rule.passes);
  out_ = &out;
  on_key_ = on_key;
  // Every name is bound before it is read, so slots keep what earlier runs left;
  // the subject, file and line stay from Begin().
  if (slots_.size() < static_cast<size_t>(rule.num_slots))
    slots_.resize(static_cast<size_t>(rule.num_slots));
  for_values_.clear();
  filter_passed_ = nullptr;
  unrolled_ = nullptr;
  eval_.ClearError();
  const bool once =
      record_ != nullptr && rule.input_prefix > 0 && rule.passes.on(Pass::kPrefixOnce);
  Walk(once ? RestorePrefix(rule) : 0);
}

size_t Runner::RestorePrefix(const CompiledRule& rule) {
  for (const PrefixValues& p : prefixes_) {
    if (p.rule != &rule || p.file != in_->display_file) continue;
    if (!p.holds) return 0;
    for (const auto& [slot, v] : p.lets) slots_[static_cast<size_t>(slot)] = v;
    return rule.input_prefix;
  }
  // First record of this input: the prefix as the walk evaluates it, not
  // reported (a prefix that fails or errs is left to the walk, every record).
  PrefixValues& p = prefixes_.emplace_back();
  p.rule = &rule;
  p.file = in_->display_file;
  Value* slots = slots_.data();
  for (size_t i = 0; i < rule.input_prefix; ++i) {
    const CompiledClause& c = rule.clauses[i];
    if (c.op == ClauseOp::kWhere) {
      const bool holds = eval_.Test(c.expr, slots, typed_, "`where`");
      if (eval_.error().set() || !holds) {
        eval_.ClearError();
        p.lets.clear();
        return 0;
      }
    } else if (c.op == ClauseOp::kLet) {
      Value v = eval_.Eval(c.expr, slots, typed_);
      if (eval_.error().set()) {
        eval_.ClearError();
        p.lets.clear();
        return 0;
      }
      slots[c.slot] = v;
      p.lets.emplace_back(c.slot, KeepValue(v, prefix_arena_, v.loc().file));
    } else {
      return 0;  // not a prefix clause (the compiler never puts a `for` there)
    }
  }
  p.holds = true;
  return rule.input_prefix;
}

const Value* Runner::InnermostForValue() const {
  for (auto it = for_values_.rbegin(); it != for_values_.rend(); ++it)
    if ((*it)->loc().known()) return *it;
  return nullptr;
}

void Runner::ReportError(const Value* located) {
  ++out_->counters.errors;
  // Listed like failures, up to the limit; past it only counted (a rule that
  // errs on every one of a million records must not keep a million findings).
  if (out_->counters.listed >= out_->limit) {
    eval_.ClearError();
    return;
  }
  ++out_->counters.listed;
  std::string message =
      fmt::format("evaluation error ({}): {}", eval_.error().code, eval_.error().message);
  eval_.ClearError();
  out_->findings.push_back(MakeFinding(FindingKind::kEvaluationError, std::move(message), located));
}

bool Runner::MemoKey(char* key, size_t* size) {
  size_t n = 0;
  auto put = [&](const void* data, size_t len) {
    if (n + len > MemoTable::kMaxKey) return false;
    std::memcpy(key + n, data, len);
    n += len;
    return true;
  };
  for (const Node* input : rule_->memo_inputs) {
    Evaluator::ValueSpace space;
    const Value* input_value = eval_.Operand(input, slots_.data(), typed_, space);
    if (input_value == nullptr) {
      eval_.ClearError();
      return false;
    }
    const Value& v = *input_value;
    // The flags too: is_quoted() tells a quoted "01" from 01.
    // (kAscii is left out: it tells what is known of the text, not the text.)
    const uint8_t head[2] = {static_cast<uint8_t>(v.type()),
                             static_cast<uint8_t>(v.flags() & ~Value::kAscii)};
    if (!put(head, 2)) return false;
    bool ok = true;
    switch (v.type()) {
      case Type::kNull:
        break;
      case Type::kBool: {
        const char b = v.as_bool() ? 1 : 0;
        ok = put(&b, 1);
        break;
      }
      case Type::kDecimal: {
        const Int128 coefficient = v.as_decimal().coefficient();
        const uint8_t scale = static_cast<uint8_t>(v.as_decimal().scale());
        ok = put(&coefficient, sizeof coefficient) && put(&scale, 1);
        break;
      }
      case Type::kDate: {
        const int32_t days = static_cast<int32_t>(v.as_date().days());
        ok = put(&days, sizeof days);
        break;
      }
      case Type::kString: {
        std::string_view text = v.as_string();
        if (text.size() > MemoTable::kMaxKey) return false;
        const uint8_t len = static_cast<uint8_t>(text.size());
        ok = put(&len, 1) && put(text.data(), text.size());
        break;
      }
      default:
        return false;  // lists, maps and regexes are not remembered
    }
    if (!ok) return false;
  }
  *size = n;
  return true;
}

size_t Runner::MemoField() const {
  if (for_values_.empty() || record_ == nullptr || !record_->row.is(Type::kMap))
    return kMemoFields - 1;
  auto row = record_->row.as_map();
  // Only a pointer into the row's entries is a field (other fors bind other values).
  const uintptr_t first = reinterpret_cast<uintptr_t>(&row.data()->value);
  const uintptr_t value = reinterpret_cast<uintptr_t>(for_values_.back());
  if (value < first || (value - first) % sizeof(MapEntry) != 0) return kMemoFields - 1;
  const size_t i = (value - first) / sizeof(MapEntry);
  return i < row.size() && i < kMemoFields - 1 ? i : kMemoFields - 1;
}

bool Runner::WalkMemo(size_t index) {
  if (!rule_->passes.on(Pass::kMemo)) return false;
  if (memo_stats_.size() <= (rule_->memo_id + 1) * kMemoFields) {
    memo_stats_.resize((rule_->memo_id + 1) * kMemoFields);
    memo_off_.resize(rule_->memo_id + 1, 0);
  }
  const size_t field = MemoField();
  uint64_t& off = memo_off_[rule_->memo_id];
  if ((off >> field) & 1) return false;
  MemoStats& stats = memo_stats_[rule_->memo_id * kMemoFields + field];
  if (stats.off) {
    off |= uint64_t{1} << field;  // read first from now on
    return false;
  }
  char key[MemoTable::kMaxKey];
  size_t size = 0;
  ++stats.lookups;
  // Past a few thousand lookups, keep going only while at least 1 in 8 hits.
  if (stats.lookups >= 4096 && stats.hits < stats.lookups / 8) stats.off = true;
  // Inputs too long to remember count as misses, so that such a rule stops trying.
  if (!MemoKey(key, &size)) return false;
  const uint64_t h = HashBytes(key, size, reinterpret_cast<uintptr_t>(rule_));
  if (const MemoOutcome* known = memo_.Find(rule_, key, size, h)) {
    ++stats.hits;
    out_->counters.evaluated += known->evaluated;
    out_->counters.skipped += known->skipped;
    return true;
  }
  const RuleCounters before = out_->counters;
  const size_t findings = out_->findings.size();
  const auto started = std::chrono::steady_clock::now();
  WalkClauses(index);
  const auto took = std::chrono::steady_clock::now() - started;
  MemoStats& cost = memo_stats_[rule_->memo_id * kMemoFields + MemoField()];
  cost.miss_nanos +=
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
  if (++cost.misses == 256 && cost.miss_nanos < 256 * kMemoWorthNanos) cost.off = true;
  const RuleCounters& after = out_->counters;
  const uint64_t evaluated = after.evaluated - before.evaluated;
  const uint64_t skipped = after.skipped - before.skipped;
  if (after.failed == before.failed && after.errors == before.errors &&
      out_->findings.size() == findings && evaluated <= UINT16_MAX && skipped <= UINT16_MAX) {
    memo_.Store(rule_, key, size, h,
                MemoOutcome{static_cast<uint16_t>(evaluated), static_cast<uint16_t>(skipped)});
  }
  return true;
}

void Runner::Walk(size_t index) {
  if (index == rule_->memo_from && record_ != nullptr && filter_passed_ == nullptr &&
      WalkMemo(index))
    return;
  WalkClauses(index);
}

void Runner::WalkClauses(size_t index) {
  Value* slots = slots_.data();
  // Lets and wheres follow one another in a loop; only `for` recurses.
  auto next = [&]() {
    ++index;
    return index == rule_->memo_from && record_ != nullptr && filter_passed_ == nullptr &&
           WalkMemo(index);
  };
  for (;;) {
    if (index == rule_->clauses.size()) {
      Terminal();
      return;
    }
    const CompiledClause& c = rule_->clauses[index];
    const Node* expr = unrolled_ != nullptr ? unrolled_->clauses[index - unrolled_from_] : c.expr;
    if (filter_passed_ != nullptr) {
      // The key filter that leads this `where` passed: only the rest is left.
      expr = filter_passed_->where_rest;
      filter_passed_ = nullptr;
      assert(c.op == ClauseOp::kWhere);
      if (expr == nullptr) {
        if (next()) return;
        continue;
      }
    }
    if (c.op == ClauseOp::kWhere) {
      const bool holds = eval_.Test(expr, slots, typed_, "`where`");
      if (eval_.error().set()) {
        ReportError(nullptr);
        return;
      }
      if (!holds) {
        ++out_->counters.skipped;
        return;
      }
      if (next()) return;
      continue;
    }
    if (c.op == ClauseOp::kLet) {
      Value v = eval_.Eval(expr, slots, typed_);
      if (eval_.error().set()) {
        ReportError(nullptr);
        return;
      }
      slots[c.slot] = v;
      if (next()) return;
      continue;
    }
    // The collection read in place when it is a name or a constant (the row).
    Evaluator::ValueSpace space;
    const Value* collection = eval_.Operand(expr, slots, typed_, space);
    if (collection == nullptr) {
      ReportError(nullptr);
      return;
    }
    WalkFor(c, *collection, index);
    return;
  }
}

// Binds each element of `v`, the collection of the `for` at `index`, in turn.
void Runner::WalkFor(const CompiledClause& c, const Value& v, size_t index) {
  Value* slots = slots_.data();
  if (!c.unrolled.empty()) {
    // A constant collection (SpecializeRule): each element has its own nodes.
    const bool list = v.is(Type::kList);
    const size_t size = list ? v.as_list().size() : v.as_map().size();
    assert(size == c.unrolled.size());
    // Nothing but `require` after the `for`: the elements' own nodes no longer
    // read its names, so an element that passes needs no binding at all.
    const bool plain = index + 1 == rule_->clauses.size() && !rule_->is_unique && !rule_->mostly &&
                       rule_->memo_from != index + 1 && rule_->passes.on(Pass::kPlainBindings);
    const bool presence = plain && typed_ != nullptr && !c.unrolled_presence.empty() &&
                          rule_->passes.on(Pass::kPresenceLane);
    for (size_t i = 0; i < size; ++i) {
      if (presence) {
        // The fields present, in one tight loop; the first other one is
        // decided by the full test below, or fails it.
        const size_t from = i;
        while (i < size && PresenceHolds(c.unrolled_presence[i])) ++i;
        out_->counters.evaluated += i - from;
        if (i == size) break;
      }
      if (plain) {
        const bool holds = eval_.Test(c.unrolled[i].require, slots, typed_, "`require`");
        if (!eval_.error().set() && holds) {
          ++out_->counters.evaluated;
          continue;
        }
        eval_.DropError();  // evaluated again below, with its names bound
      }
      unrolled_ = &c.unrolled[i];
      unrolled_from_ = index + 1;
      if (list) {
        const Value& item = v.as_list()[i];
        BindFor(c, c.slot2 >= 0 ? Value::Number(Decimal::FromInt(static_cast<int64_t>(i))) : item,
                item, index + 1);
      } else {
        const MapEntry& e = v.as_map()[i];
        BindFor(c, Value::String(e.key).WithOriginOf(e.value), e.value, index + 1);
      }
    }
    unrolled_ = nullptr;
    return;
  }
  if (v.is(Type::kList)) {
    auto items = v.as_list();
    for (size_t i = 0; i < items.size(); ++i) {
      if (AsciiPasses(c, items[i])) continue;
      Value first =
          c.slot2 >= 0 ? Value::Number(Decimal::FromInt(static_cast<int64_t>(i))) : items[i];
      BindFor(c, first, items[i], index + 1);
    }
  } else if (v.is(Type::kMap)) {
    auto map = v.as_map();
    if (c.key_filter != nullptr && record_ != nullptr && record_->shape != 0 &&
        map.data() == record_->row.as_map().data() && rule_->passes.on(Pass::kShapePlans)) {
      if (const std::vector<uint32_t>* passing = PassingKeys(c, v)) {
        out_->counters.skipped += map.size() - passing->size();
        // `for k, v in row / where FILTER(k) and REST / require R`, nothing else:
        // a field that passes is decided by two tests, without a binding.
        const bool plain = index + 2 == rule_->clauses.size() && !rule_->is_unique &&
                           !rule_->mostly && rule_->memo_from != index + 1 &&
                           rule_->passes.on(Pass::kPlainBindings);
        for (uint32_t i : *passing) {
          if (AsciiPasses(c, map[i].value)) continue;
          const Value key = Value::String(map[i].key).WithOriginOf(map[i].value);
          if (plain && (rule_->memo_from != index + 2 || MemoOff(i))) {
            switch (PlainOutcome(c, key, map[i].value)) {
              case Plain::kSkipped:
                ++out_->counters.skipped;
                continue;
              case Plain::kPassed:
                ++out_->counters.evaluated;
                continue;
              case Plain::kWalk:
                break;  // a failure or an error: the walk below reports it
            }
          }
          filter_passed_ = &c;
          BindFor(c, key, map[i].value, index + 1);
        }
        return;
      }
    }
    // Counted aside and added at the end: the bindings walked in between
    // count their own.
    uint64_t passed = 0, skipped = 0;
    for (const MapEntry& e : map) {
      // Before the key filter: a pass under the ASCII assumption includes it.
      if (c.ascii_value_passes && e.value.is(Type::kString) && IsAsciiString(e.value)) {
        ++passed;
        continue;
      }
      if (c.value_type >= 0 && static_cast<int>(e.value.type()) != c.value_type) {
        ++skipped;  // the where's type test is false
        continue;
      }
      Value key = Value::String(e.key).WithOriginOf(e.value);
      if (c.key_filter != nullptr) {
        slots_[c.slot] = key;
        std::optional<bool> pass = KeyFilter(c, key);
        if (pass && !*pass) {
          ++out_->counters.skipped;
          continue;
        }
      }
      filter_passed_ = nullptr;
      BindFor(c, key, e.value, index + 1);
    }
    out_->counters.evaluated += passed;
    out_->counters.skipped += skipped;
  } else if (!v.is_null()) {
    eval_.Fail(DiagCode::kTypeNotIterable,
               "`for` cannot iterate over " + std::string(TypeName(v.type())));
    ReportError(nullptr);
  }
}

bool Runner::MemoOff(size_t field) const {
  if (field >= kMemoFields - 1) field = kMemoFields - 1;
  return rule_->memo_id < memo_off_.size() && ((memo_off_[rule_->memo_id] >> field) & 1) != 0;
}

Runner::Plain Runner::PlainOutcome(const CompiledClause& c, const Value& key, const Value& value) {
  Value* slots = slots_.data();
  slots[c.slot] = key;
  if (c.slot2 >= 0) slots[c.slot2] = value;
  if (c.where_rest != nullptr) {
    const bool holds = eval_.Test(c.where_rest, slots, typed_, "`where`");
    if (eval_.error().set()) {
      eval_.DropError();
      return Plain::kWalk;
    }
    if (!holds) return Plain::kSkipped;
  }
  const bool holds = eval_.Test(rule_->require, slots, typed_, "`require`");
  if (eval_.error().set()) {
    eval_.DropError();
    return Plain::kWalk;
  }
  return holds ? Plain::kPassed : Plain::kWalk;
}

bool Runner::AsciiPasses(const CompiledClause& c, const Value& value) {
  if (!c.ascii_value_passes || !value.is(Type::kString) || !IsAsciiString(value)) return false;
  ++out_->counters.evaluated;
  return true;
}

void Runner::BindFor(const CompiledClause& c, const Value& key, const Value& value, size_t next) {
  slots_[c.slot] = key;
  if (c.slot2 >= 0) slots_[c.slot2] = value;
  for_values_.push_back(&value);
  Walk(next);
  for_values_.pop_back();
}

const std::vector<uint32_t>* Runner::KnownPassingKeys(const CompiledClause& c, uint64_t shape) {
  if (passing_keys_.size() <= c.filter_id) return nullptr;
  return passing_keys_[c.filter_id].Find(shape);
}

const std::vector<uint32_t>* Runner::PassingKeys(const CompiledClause& c, const Value& row) {
  if (passing_keys_.size() <= c.filter_id) passing_keys_.resize(c.filter_id + 1);
  ShapeCache<std::vector<uint32_t>>& cache = passing_keys_[c.filter_id];
  if (const std::vector<uint32_t>* known = cache.Find(record_->shape)) return known;
  std::vector<uint32_t>& passing = cache.Claim(record_->shape);
  passing.clear();
  auto map = row.as_map();
  for (uint32_t i = 0; i < map.size(); ++i) {
    Value key = Value::String(map[i].key).WithOriginOf(map[i].value);
    slots_[c.slot] = key;
    std::optional<bool> pass = KeyFilter(c, key);
    if (!pass) {
      cache.Forget(record_->shape);
      return nullptr;
    }
    if (*pass) passing.push_back(i);
  }
  return &passing;
}

bool Runner::InputPrefixHolds(const CompiledRule& rule, const InputInfo& in) {
  // Without the pass, no rule is dormant: every record runs it.
  if (!rule.passes.on(Pass::kDormantRules)) return true;
  eval_.SetPasses(rule.passes);
  slots_.assign(static_cast<size_t>(rule.num_slots), Value());
  slots_[kSlotFile] = Value::String(in.display_file);
  eval_.ClearError();
  for (size_t i = 0; i < rule.input_prefix; ++i) {
    const CompiledClause& c = rule.clauses[i];
    Value v = eval_.Eval(c.expr, slots_.data(), nullptr);
    if (eval_.error().set()) {
      eval_.ClearError();
      return true;
    }
    if (c.op == ClauseOp::kLet) {
      slots_[c.slot] = v;
    } else if (c.op == ClauseOp::kWhere && v.is(Type::kBool) && !v.as_bool()) {
      return false;
    }
  }
  return true;
}

std::optional<bool> Runner::KeyFilter(const CompiledClause& c, const Value& key) {
  std::string_view text = key.as_string();
  if (text.size() > sizeof(KeyVerdict::text) || !rule_->passes.on(Pass::kKeyVerdicts))
    return std::nullopt;  // the `where` evaluates the filter in full

  if (verdicts_.empty()) verdicts_.resize(256);
  const uint64_t h = HashBytes(text.data(), text.size(), reinterpret_cast<uintptr_t>(&c));
  KeyVerdict& v = verdicts_[h % verdicts_.size()];
  if (v.clause == &c && v.size == text.size() &&
      (text.empty() || std::memcmp(v.text, text.data(), text.size()) == 0))
    return v.pass;
  Value r = eval_.Eval(c.key_filter, slots_.data(), typed_);
  if (eval_.error().set() || !r.is(Type::kBool)) {
    eval_.ClearError();  // the `where` itself will evaluate and report it
    return std::nullopt;
  }
  v.clause = &c;
  v.size = static_cast<uint32_t>(text.size());
  v.pass = r.as_bool();
  if (!text.empty()) std::memcpy(v.text, text.data(), text.size());
  return v.pass;
}

void Runner::Terminal() {
  Value* slots = slots_.data();
  if (rule_->is_grouped()) {
    // A binding joins its group; the group is judged after every input.
    group_keys_.clear();
    group_args_.clear();
    for (const Node* k : rule_->group_keys) {
      group_keys_.push_back(eval_.Eval(k, slots, typed_));
      if (eval_.error().set()) return ReportError(nullptr);
    }
    const bool share = rule_->passes.on(Pass::kSharedAggregateArgs);
    for (const Aggregate& a : rule_->aggregates) {
      if (share && a.same_arg_as >= 0) {
        group_args_.push_back(group_args_[static_cast<size_t>(a.same_arg_as)]);
        continue;
      }
      group_args_.push_back(a.arg != nullptr ? eval_.Eval(a.arg, slots, typed_) : Value());
      if (eval_.error().set()) return ReportError(nullptr);
    }
    if (group_sink_ != nullptr) (*group_sink_)(group_keys_, group_args_);
    return;
  }
  const Node* require = unrolled_ != nullptr ? unrolled_->require : rule_->require;
  ++out_->counters.evaluated;
  if (rule_->is_unique) {
    Value key = eval_.Eval(require, slots, typed_);
    if (eval_.error().set()) {
      ReportError(nullptr);
      return;
    }
    if (key.is_null()) return;
    // `within SCOPE`: a null scope places the key nowhere, as a null key.
    unique_scope_ = Value();
    if (rule_->unique_within != nullptr) {
      unique_scope_ = eval_.Eval(rule_->unique_within, slots, typed_);
      if (eval_.error().set()) {
        ReportError(nullptr);
        return;
      }
      if (unique_scope_.is_null()) return;
    }
    if (on_key_ != nullptr) (*on_key_)(key, *this);
    return;
  }
  // A condition: its bool, without building Values for and, or, not.
  const bool holds = eval_.Test(require, slots, typed_, "`require`");
  if (eval_.error().set()) {
    ReportError(nullptr);
    return;
  }
  if (rule_->mostly) {
    ++out_->mostly_total;
    if (holds) ++out_->mostly_passed;
    return;
  }
  if (holds) return;
  ++out_->counters.failed;
  if (out_->counters.listed >= out_->limit) return;
  ++out_->counters.listed;
  Value at;
  const Value* located = nullptr;
  if (rule_->at != nullptr) {
    at = eval_.Eval(rule_->at, slots, typed_);
    if (eval_.error().set())
      eval_.ClearError();
    else
      located = &at;
  }
  std::string message = RenderMessage(rule_->secret ? located : nullptr);
  out_->findings.push_back(MakeFinding(FindingKind::kFinding, std::move(message), located));
}

Value Runner::LocatedAt(const Value& fallback) {
  if (rule_->at == nullptr) return fallback;
  Value at = eval_.Eval(rule_->at, slots_.data(), typed_);
  if (eval_.error().set()) {
    eval_.ClearError();
    return fallback;
  }
  return at;
}

std::string Runner::Interpolate(const Node* n) {
  Value v = eval_.Eval(n, slots_.data(), typed_);
  if (eval_.error().set()) {
    std::string out = fmt::format("<error: {}>", eval_.error().code);
    eval_.ClearError();
    return out;
  }
  return ToText(v);
}

std::string Runner::RenderMessage(const Value* secret_at) {
  const CompiledRule& r = *rule_;
  if (r.has_message) {
    std::string out;
    std::string secret;
    if (secret_at != nullptr) {
      const std::string full =
          secret_at->is(Type::kString) ? std::string(secret_at->as_string()) : ToText(*secret_at);
      secret = std::string(SecretPart(full));
    }
    for (const TemplatePiece& p : r.message) {
      if (!p.expr) {
        out += p.literal;
      } else if (secret_at == nullptr) {
        out += Interpolate(p.expr);
      } else {
        // Only a piece rendered from the secret value itself is masked: a key or a
        // service name spelled like the secret stays as written.
        Value v = eval_.Eval(p.expr, slots_.data(), typed_);
        if (eval_.error().set()) {
          out += fmt::format("<error: {}>", eval_.error().code);
          eval_.ClearError();
          continue;
        }
        const Loc& a = v.loc();
        const Loc& b = secret_at->loc();
        const bool same = a.known() && a.line == b.line && a.column == b.column && a.file == b.file;
        out += MaskMessagePiece(ToText(v), secret, same);
      }
    }
    return out;
  }
  if (r.is_unique) return r.info.title + ": " + r.default_source;
  if (!r.default_is_comparison)
    return fmt::format("{}: {} is false", r.info.title, r.default_source);
  auto render = [&](const Node* n) -> std::string {
    if (n == nullptr) return "";
    Value v = eval_.Eval(n, slots_.data(), typed_);
    if (eval_.error().set()) {
      std::string out = fmt::format(" (<error: {}>)", eval_.error().code);
      eval_.ClearError();
      return out;
    }
    std::string text = ToJson(v);
    if (secret_at != nullptr) {
      const Loc& a = v.loc();
      const Loc& b = secret_at->loc();
      const std::string full =
          secret_at->is(Type::kString) ? std::string(secret_at->as_string()) : ToText(*secret_at);
      const bool same = a.known() && a.line == b.line && a.column == b.column && a.file == b.file;
      text = MaskMessagePiece(text, SecretPart(full), same);
    }
    return " (" + text + ")";
  };
  return fmt::format("{}: {}{} {} {}{}", r.info.title, r.default_lhs, render(r.default_lhs_node),
                     r.default_op, r.default_rhs, render(r.default_rhs_node));
}

PendingFinding Runner::MakeFinding(FindingKind kind, std::string message, const Value* located) {
  const CompiledRule& r = *rule_;
  PendingFinding p;
  Finding& f = p.finding;
  f.rule = r.info.id;
  f.kind = kind;
  f.severity = kind == FindingKind::kEvaluationError ? Severity::kError : r.info.severity;
  f.file = in_->display_file;
  const Value* where = located != nullptr && located->loc().known() ? located : InnermostForValue();
  if (where == nullptr) where = group_where_;
  if (where != nullptr) {
    const Loc& loc = where->loc();
    f.line = loc.line;
    f.column = loc.column;
    f.end_line = loc.end_line;
    f.end_column = loc.end_column;
    f.path = RenderPath(where->path());
    if (in_->doc_files != nullptr && loc.file < in_->doc_files->size() && loc.file != 0)
      f.file = (*in_->doc_files)[loc.file];
    if (loc.file >= kForeignFileBase && in_->foreign_files != nullptr &&
        static_cast<size_t>(loc.file - kForeignFileBase) < in_->foreign_files->size())
      f.file = (*in_->foreign_files)[static_cast<size_t>(loc.file - kForeignFileBase)];
  } else if (record_ != nullptr) {
    f.line = record_->line;
    f.column = 1;
  } else {
    f.line = 1;
    f.column = 1;
  }
  if (located != nullptr && !located->loc().known() && f.path.empty())
    f.path = RenderPath(located->path());

  // The snippet: the finding's line of the input (a long one shared, not copied).
  std::string_view line;
  const bool foreign = where != nullptr && where->loc().file >= kForeignFileBase;
  if (foreign) {
    // In another input (an index entry, a group's binding): its text is not
    // at hand, so no snippet.
  } else if (record_ != nullptr) {
    std::string_view text = record_->text;
    uint32_t skip = f.line >= record_->line ? f.line - record_->line : 0;
    for (; skip > 0 && !text.empty(); --skip) {
      size_t nl = text.find('\n');
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  } else {
    line = in_->LineOf(where != nullptr ? where->loc().file : 0, f.line);
  }
  KeptLine kept = lines_.Keep(line);
  f.source_line = std::move(kept.short_line);
  p.long_line = std::move(kept.long_line);

  const Value* secret_value = where;
  if (r.secret && secret_value != nullptr) {
    std::string secret = secret_value->is(Type::kString) ? std::string(secret_value->as_string())
                                                         : ToText(*secret_value);
    // Of ${VAR:-default}, only the default is secret.
    secret = std::string(SecretPart(secret));
    bool one_line = IsScalar(*secret_value) && !secret_value->has_flag(Value::kMultiLine) &&
                    secret.find('\n') == std::string::npos;
    std::string redacted = Redact(secret);
    if (one_line) {
      const Loc& loc = secret_value->loc();
      if (loc.known() && loc.end_line == loc.line && loc.line == f.line) {
        p.secret_column = loc.column;
        p.secret_end_column = loc.end_column;
      }
      // A long line is masked when it is cut (run/finish.cpp), with every secret on it.
      if (!p.long_line)
        f.source_line = MaskSourceLine(f.source_line, p.secret_column, p.secret_end_column, secret);
      // The caret underlines the masked text, not the secret's length.
      if (f.end_line == f.line && f.end_column > f.column) {
        uint32_t quotes = secret_value->has_flag(Value::kQuoted) ? 2 : 0;
        f.end_column = f.column + quotes + CountCodePoints(redacted);
      }
      p.secret = secret;
      p.secret_masks_line = true;
    } else {
      f.source_line.clear();
      p.long_line.reset();
    }
  }
  f.message = std::move(message);
  if (record_ != nullptr) {
    p.fingerprint_text = ToJson(record_->row);
  } else if (where != nullptr && IsScalar(*where) && !r.secret) {
    p.fingerprint_text = ToText(*where);
  }
  return p;
}

PendingFinding Runner::MostlyFinding(const CompiledRule& rule, const InputInfo& in, uint64_t passed,
                                     uint64_t total, uint32_t first_line) {
  PendingFinding p;
  Finding& f = p.finding;
  f.rule = rule.info.id;
  f.severity = rule.info.severity;
  f.file = in.display_file;
  f.line = first_line;
  f.column = 1;
  std::string pct = "0";
  if (total > 0) {
    Decimal ratio;
    Decimal::Div(Decimal::FromInt(static_cast<int64_t>(passed) * 100),
                 Decimal::FromInt(static_cast<int64_t>(total)), &ratio);
    Decimal rounded;
    ratio.Round(2, Rounding::kHalfAwayFromZero, &rounded);
    pct = rounded.ToCanonicalString();
  }
  f.message = fmt::format("{}: {} of {} passed ({}%), fewer than the required {}%", rule.info.title,
                          passed, total, pct, rule.mostly->ToCanonicalString());
  if (in.lines != nullptr) {
    KeptLine kept = LineKeeper().Keep(in.lines->Line(in.text, first_line));
    f.source_line = std::move(kept.short_line);
    p.long_line = std::move(kept.long_line);
  }
  p.fingerprint_text = "mostly";
  return p;
}

}  // namespace policy::eval
