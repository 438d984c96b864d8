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
void GroupKeyBytes(std::span<const Value> keys, std::string& out) {
  out.clear();
  std::string one;
  for (const Value& k : keys) {
    one.clear();
    AppendKeyBytes(k, one);
    out += std::to_string(one.size());
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

void DistinctSet::Insert(std::string_view key) {
  if (big_) {
    big_->Insert(key, {});
    return;
  }
  small_.emplace(key);
  if (small_.size() > kSmall) Grow();
}

void DistinctSet::Grow() {
  big_ = std::make_unique<KeySet>();
  for (const std::string& k : small_) big_->Insert(k, {});
  small_.clear();
  small_.rehash(0);
}

void DistinctSet::Merge(DistinctSet& later) {
  if (later.big_ && !big_) Grow();
  if (big_) {
    if (later.big_)
      later.big_->ForEach([&](std::string_view k) { big_->Insert(k, {}); });
    else
      for (const std::string& k : later.small_) big_->Insert(k, {});
  } else {
    small_.merge(later.small_);
    if (small_.size() > kSmall) Grow();
  }
  later.small_.clear();
  later.big_.reset();
}

// Small blocks: a chunk's table keeps a few values, and is freed at its merge.
GroupTable::GroupTable(const CompiledRule* rule, size_t max_groups)
    : rule_(rule), max_groups_(max_groups), arena_(std::make_unique<Arena>(4096)) {}

Value GroupTable::Own(const Value& v) {
  return v.is_null() && !v.loc().known() ? v : KeepValue(v, *arena_, v.loc().file);
}

Group& GroupTable::GroupOf(std::span<const Value> keys, uint16_t file, uint32_t line,
                           bool* opened) {
  GroupKeyBytes(keys, key_);
  auto [it, fresh] = by_key_.try_emplace(key_, static_cast<uint32_t>(groups_.size()));
  *opened = fresh;
  if (!fresh) return groups_[it->second];
  if (groups_.size() >= max_groups_) {
    by_key_.erase(it);
    return groups_.front();  // unused: the caller checks the limit first
  }
  Group& g = groups_.emplace_back();
  for (const Value& k : keys) g.keys.push_back(KeepValue(k, *arena_, file));
  g.states.resize(rule_->aggregates.size());
  g.file = file;
  g.line = line;
  return g;
}

bool GroupTable::Add(std::span<const Value> keys, std::span<const Value> args, uint16_t file,
                     uint32_t line) {
  bool opened = false;
  const size_t before = groups_.size();
  Group& g = GroupOf(keys, file, line, &opened);
  if (opened && groups_.size() == before) {
    if (!over_limit_) over_limit_ = Place{file, line};
    return false;
  }
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
      Value v = keeps ? KeepValue(args[a], *arena_, file) : args[a];
      if (keeps && !v.loc().known()) {
        // A computed value (decimal(row.serial)) is located at its binding's record.
        Loc loc;
        loc.line = line;
        loc.column = 1;
        loc.file = file;
        v.set_loc(loc);
      }
      AddValue(s, kind, v);
    }
  }
  return true;
}

void GroupTable::AddValue(AggregateState& s, AggregateKind kind, const Value& v) {
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
        s.best = v;
      } else if (s.best.type() != v.type()) {
        s.error = fmt::format("{}() compares values of one type; it saw {} and {}",
                              AggregateName(kind), TypeName(s.best.type()), TypeName(v.type()));
      } else if (WantsLeast(kind) ? Less(v, s.best) : Less(s.best, v)) {
        s.best = v;  // ties keep the earlier
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
        s.values.push_back(v);
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
  // Each later group by its keys (the same bytes GroupOf() makes).
  for (Group& g : later.groups_) {
    GroupKeyBytes(g.keys, key_);
    auto [it, fresh] = by_key_.try_emplace(key_, static_cast<uint32_t>(groups_.size()));
    if (fresh && groups_.size() >= max_groups_) {
      by_key_.erase(it);
      if (!over_limit_) over_limit_ = Place{g.file, g.line};
      continue;
    }
    if (fresh) {
      Group& mine = groups_.emplace_back();
      mine.file = g.file;
      mine.line = g.line;
      for (const Value& k : g.keys) mine.keys.push_back(Own(k));
      mine.states.resize(g.states.size());
      for (size_t a = 0; a < g.states.size(); ++a)
        MergeState(mine.states[a], g.states[a], rule_->aggregates[a].kind);
      continue;
    }
    Group& into = groups_[it->second];
    for (size_t a = 0; a < into.states.size(); ++a)
      MergeState(into.states[a], g.states[a], rule_->aggregates[a].kind);
  }
  if (later.over_limit_ && !over_limit_) over_limit_ = later.over_limit_;
  later.groups_.clear();
  later.by_key_.clear();
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
