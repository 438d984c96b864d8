#include "libpolicy/eval/group_table.h"

#include <fmt/format.h>

#include "libpolicy/eval/kept_value.h"

namespace policy::eval {

std::optional<AggregateKind> AggregateNamed(std::string_view name) {
  static constexpr std::pair<std::string_view, AggregateKind> kNames[] = {
      {"count", AggregateKind::kCount},   {"sum", AggregateKind::kSum},
      {"avg", AggregateKind::kAvg},       {"min", AggregateKind::kMin},
      {"max", AggregateKind::kMax},       {"argmin", AggregateKind::kArgmin},
      {"argmax", AggregateKind::kArgmax}, {"count_distinct", AggregateKind::kCountDistinct},
      {"values", AggregateKind::kValues},
  };
  for (const auto& [n, kind] : kNames)
    if (n == name) return kind;
  return std::nullopt;
}

namespace {

const char* AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kAvg:
      return "avg";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
    case AggregateKind::kArgmin:
      return "argmin";
    case AggregateKind::kArgmax:
      return "argmax";
    case AggregateKind::kCountDistinct:
      return "count_distinct";
    case AggregateKind::kValues:
      return "values";
  }
  return "?";
}

// A group's identity: each key's bytes, length-prefixed so that no two key
// lists run together.
void GroupKeyBytes(std::span<const Value> keys, std::string& out, std::string& one) {
  out.clear();
  for (const Value& k : keys) {
    one.clear();
    AppendKeyBytes(k, one);
    out += fmt::format_int(one.size()).c_str();
    out += ':';
    out += one;
  }
}

bool WantsLeast(AggregateKind kind) {
  return kind == AggregateKind::kMin || kind == AggregateKind::kArgmin;
}

bool Ordered(const Value& v) {
  return v.is(Type::kDecimal) || v.is(Type::kDate) || v.is(Type::kString);
}

// a < b for two values of the same ordered type.
bool Less(const Value& a, const Value& b) {
  if (a.is(Type::kDecimal)) return a.as_decimal() < b.as_decimal();
  if (a.is(Type::kDate)) return a.as_date() < b.as_date();
  return a.as_string() < b.as_string();
}

}  // namespace

namespace {

// The value of `key` when it is AppendKeyBytes of a whole number 0 to 10^18 -
// 1 as a decimal renders it: "j", then digits without a leading zero. One
// such key for each number, so sets of either count the same.
bool PlainWholeNumber(std::string_view key, uint64_t* n) {
  if (key.size() < 2 || key.size() > 19 || key[0] != 'j') return false;
  if (key[1] == '0' && key.size() > 2) return false;
  uint64_t v = 0;
  for (size_t i = 1; i < key.size(); ++i) {
    const char c = key[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *n = v;
  return true;
}

}  // namespace

void DistinctSet::Insert(std::string_view key) {
  uint64_t n = 0;
  if (dense_ && PlainWholeNumber(key, &n)) {
    ints_.Insert(n);
    return;
  }
  if (big_) {
    big_->Insert(key, {});
    return;
  }
  if (flat_)
    small_flat_.Insert(key, 0);
  else
    small_.emplace(key);
  GrowIfBig();
}

void DistinctSet::Grow() {
  big_ = std::make_unique<KeySet>();
  small_flat_.ForEach([&](std::string_view k, uint32_t) { big_->Insert(k, {}); });
  for (const std::string& k : small_) big_->Insert(k, {});
  small_flat_.Clear();
  small_.clear();
  small_.rehash(0);
}

void DistinctSet::Merge(DistinctSet& later) {
  ints_.Merge(later.ints_);
  if (later.big_ && !big_) Grow();
  if (big_) {
    if (later.big_) later.big_->ForEach([&](std::string_view k) { big_->Insert(k, {}); });
    later.small_flat_.ForEach([&](std::string_view k, uint32_t) { big_->Insert(k, {}); });
    for (const std::string& k : later.small_) big_->Insert(k, {});
  } else if (flat_) {
    later.small_flat_.ForEach([&](std::string_view k, uint32_t) { small_flat_.Insert(k, 0); });
    for (const std::string& k : later.small_) small_flat_.Insert(k, 0);
    GrowIfBig();
  } else {
    later.small_flat_.ForEach([&](std::string_view k, uint32_t) { small_.emplace(k); });
    small_.merge(later.small_);
    GrowIfBig();
  }
  later.small_flat_.Clear();
  later.small_.clear();
  later.big_.reset();
}

// Small blocks: a chunk's table keeps a few values, and is freed at its merge.
GroupTable::GroupTable(const CompiledRule* rule, size_t max_groups)
    : rule_(rule),
      max_groups_(max_groups),
      flat_(rule->passes.on(Pass::kFlatGroups)),
      distinct_grows_(rule->passes.on(Pass::kDistinctGrowth)),
      distinct_dense_(rule->passes.on(Pass::kDenseDistinct)),
      arena_(std::make_unique<Arena>(4096)) {}

Value GroupTable::Own(const Value& v) {
  return v.is_null() && !v.loc().known() ? v : KeepValue(v, *arena_, v.loc().file);
}

std::optional<uint32_t> GroupTable::Position(std::string_view key, bool* fresh) {
  const auto next = static_cast<uint32_t>(groups_.size());
  *fresh = false;
  if (flat_) {
    const uint64_t hash = FlatKeyTable::HashOf(key);
    if (std::optional<uint32_t> at = flat_keys_.Find(key, hash)) return at;
    if (groups_.size() >= max_groups_ || !flat_keys_.Insert(key, next, hash)) return std::nullopt;
  } else {
    auto [it, inserted] = by_key_.try_emplace(std::string(key), next);
    if (!inserted) return it->second;
    if (groups_.size() >= max_groups_) {
      by_key_.erase(it);
      return std::nullopt;
    }
  }
  *fresh = true;
  return next;
}

Group& GroupTable::Open(std::span<const Value> keys, uint16_t file, uint32_t line) {
  Group& g = groups_.emplace_back();
  g.keys.reserve(keys.size());
  for (const Value& k : keys) g.keys.push_back(k);
  g.states.resize(rule_->aggregates.size());
  for (size_t a = 0; a < g.states.size(); ++a)
    if (rule_->aggregates[a].kind == AggregateKind::kCountDistinct)
      g.states[a].distinct.Use(flat_, distinct_grows_, distinct_dense_);
  g.file = file;
  g.line = line;
  return g;
}

Value GroupTable::Keep(const Value& v, KeepAt at) {
  Value kept = KeepValue(v, *arena_, at.file);
  if (!kept.loc().known()) {
    // A computed value (decimal(row.serial)) is located at its binding's record.
    Loc loc;
    loc.line = at.line;
    loc.column = 1;
    loc.file = at.file;
    kept.set_loc(loc);
  }
  return kept;
}

bool GroupTable::Add(std::span<const Value> keys, std::span<const Value> args, uint16_t file,
                     uint32_t line) {
  GroupKeyBytes(keys, key_, one_key_);
  bool fresh = false;
  const std::optional<uint32_t> at = Position(key_, &fresh);
  if (!at) {
    if (!over_limit_) over_limit_ = Place{file, line};
    return false;
  }
  Group* opened = nullptr;
  if (fresh) {
    opened = &Open(keys, file, line);
    for (Value& k : opened->keys) k = KeepValue(k, *arena_, file);
  }
  Group& g = opened != nullptr ? *opened : groups_[*at];
  const KeepAt place{file, line};
  for (size_t a = 0; a < rule_->aggregates.size(); ++a) {
    const AggregateKind kind = rule_->aggregates[a].kind;
    AggregateState& s = g.states[a];
    if (kind == AggregateKind::kCount) {
      ++s.count;
      continue;
    }
    if (a < args.size() && !args[a].is_null()) {
      const bool keeps = kind != AggregateKind::kCountDistinct && kind != AggregateKind::kSum &&
                         kind != AggregateKind::kAvg;
      if (!keeps) {
        AddValue(s, kind, args[a], nullptr);
      } else if (flat_) {
        AddValue(s, kind, args[a], &place);  // kept only if stored
      } else {
        AddValue(s, kind, Keep(args[a], place), nullptr);
      }
    }
  }
  return true;
}

void GroupTable::AddValue(AggregateState& s, AggregateKind kind, const Value& v, const KeepAt* at) {
  if (!s.error.empty()) return;
  ++s.count;
  switch (kind) {
    case AggregateKind::kCount:
      break;
    case AggregateKind::kSum:
    case AggregateKind::kAvg: {
      if (!v.is(Type::kDecimal)) {
        s.error = fmt::format("{}() adds decimals; a value is {}", AggregateName(kind),
                              TypeName(v.type()));
        return;
      }
      Decimal out;
      if (Decimal::Add(s.sum, v.as_decimal(), &out) != DecimalStatus::kOk) {
        s.error = fmt::format("{}() needs more than 38 digits", AggregateName(kind));
        return;
      }
      s.sum = out;
      break;
    }
    case AggregateKind::kMin:
    case AggregateKind::kMax:
    case AggregateKind::kArgmin:
    case AggregateKind::kArgmax: {
      if (!Ordered(v)) {
        s.error = fmt::format("{}() compares decimals, dates or strings; a value is {}",
                              AggregateName(kind), TypeName(v.type()));
        return;
      }
      if (s.best.is_null()) {
        s.best = at != nullptr ? Keep(v, *at) : v;
      } else if (s.best.type() != v.type()) {
        s.error = fmt::format("{}() compares values of one type; it saw {} and {}",
                              AggregateName(kind), TypeName(s.best.type()), TypeName(v.type()));
      } else if (WantsLeast(kind) ? Less(v, s.best) : Less(s.best, v)) {
        s.best = at != nullptr ? Keep(v, *at) : v;  // ties keep the earlier
      }
      break;
    }
    case AggregateKind::kCountDistinct: {
      distinct_key_.clear();  // reused: no allocation per binding
      AppendKeyBytes(v, distinct_key_);
      s.distinct.Insert(distinct_key_);
      break;
    }
    case AggregateKind::kValues:
      if (s.values.size() < kMaxGroupValues)
        s.values.push_back(at != nullptr ? Keep(v, *at) : v);
      else
        ++s.values_dropped;
      break;
  }
}

void GroupTable::MergeState(AggregateState& into, AggregateState& later, AggregateKind kind) {
  if (!into.error.empty()) return;
  if (!later.error.empty()) {
    into.error = std::move(later.error);
    return;
  }
  switch (kind) {
    case AggregateKind::kCount:
      into.count += later.count;
      break;
    case AggregateKind::kSum:
    case AggregateKind::kAvg: {
      into.count += later.count;
      Decimal out;
      if (Decimal::Add(into.sum, later.sum, &out) != DecimalStatus::kOk)
        into.error = fmt::format("{}() needs more than 38 digits", AggregateName(kind));
      else
        into.sum = out;
      break;
    }
    case AggregateKind::kMin:
    case AggregateKind::kMax:
    case AggregateKind::kArgmin:
    case AggregateKind::kArgmax:
      into.count += later.count;
      if (later.best.is_null()) break;
      if (into.best.is_null()) {
        into.best = Own(later.best);
      } else if (into.best.type() != later.best.type()) {
        into.error =
            fmt::format("{}() compares values of one type; it saw {} and {}", AggregateName(kind),
                        TypeName(into.best.type()), TypeName(later.best.type()));
      } else if (WantsLeast(kind) ? Less(later.best, into.best) : Less(into.best, later.best)) {
        into.best = Own(later.best);
      }
      break;
    case AggregateKind::kCountDistinct:
      into.count += later.count;
      into.distinct.Merge(later.distinct);
      break;
    case AggregateKind::kValues:
      into.count += later.count;
      for (Value& v : later.values) {
        if (into.values.size() < kMaxGroupValues)
          into.values.push_back(Own(v));
        else
          ++into.values_dropped;
      }
      into.values_dropped += later.values_dropped;
      break;
  }
}

void GroupTable::Merge(GroupTable& later) {
  // Values are copied into this table's storage: `later` (a chunk's table) is
  // freed after, so memory follows the groups, never the chunks.
  // Each later group by its keys (the same bytes Add() makes).
  for (Group& g : later.groups_) {
    GroupKeyBytes(g.keys, key_, one_key_);
    bool fresh = false;
    const std::optional<uint32_t> at = Position(key_, &fresh);
    if (!at) {
      if (!over_limit_) over_limit_ = Place{g.file, g.line};
      continue;
    }
    if (fresh) {
      Group& mine = Open(g.keys, g.file, g.line);
      for (Value& k : mine.keys) k = Own(k);
      for (size_t a = 0; a < g.states.size(); ++a)
        MergeState(mine.states[a], g.states[a], rule_->aggregates[a].kind);
      continue;
    }
    Group& into = groups_[*at];
    for (size_t a = 0; a < into.states.size(); ++a)
      MergeState(into.states[a], g.states[a], rule_->aggregates[a].kind);
  }
  if (later.over_limit_ && !over_limit_) over_limit_ = later.over_limit_;
  later.groups_.clear();
  later.by_key_.clear();
  later.flat_keys_.Clear();
  later.over_limit_.reset();
}

Value GroupTable::Result(const Group& group, size_t a, Arena& arena, std::string* error) const {
  const AggregateKind kind = rule_->aggregates[a].kind;
  const AggregateState& s = group.states[a];
  if (!s.error.empty()) {
    *error = s.error;
    return Value();
  }
  switch (kind) {
    case AggregateKind::kCount:
      return Value::Number(Decimal::FromInt(static_cast<int64_t>(s.count)));
    case AggregateKind::kSum:
      return Value::Number(s.sum);
    case AggregateKind::kAvg: {
      if (s.count == 0) return Value();
      Decimal out;
      if (Decimal::Div(s.sum, Decimal::FromInt(static_cast<int64_t>(s.count)), &out) !=
          DecimalStatus::kOk) {
        *error = "avg() needs more than 38 digits";
        return Value();
      }
      return Value::Number(out);
    }
    case AggregateKind::kMin:
    case AggregateKind::kMax:
    case AggregateKind::kArgmin:
    case AggregateKind::kArgmax:
      return s.best;
    case AggregateKind::kCountDistinct:
      return Value::Number(Decimal::FromInt(static_cast<int64_t>(s.distinct.size())));
    case AggregateKind::kValues: {
      if (s.values_dropped > 0) {
        *error = fmt::format("values() holds at most {} values; this group has {}", kMaxGroupValues,
                             s.values.size() + s.values_dropped);
        return Value();
      }
      Value* items = arena.AllocateArray<Value>(s.values.size());
      for (size_t i = 0; i < s.values.size(); ++i) new (&items[i]) Value(s.values[i]);
      return Value::List(items, static_cast<uint32_t>(s.values.size()));
    }
  }
  return Value();
}

}  // namespace policy::eval
