// keys, values, has, sort and unique.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

Value Keys(std::span<const Value> args, CallContext& ctx) {
  const Value& m = args[0];
  if (!m.is(Type::kMap)) return Mismatch(ctx, "keys", 0, "a map", m);
  std::vector<Value> keys;
  keys.reserve(m.as_map().size());
  for (const MapEntry& e : m.as_map()) keys.push_back(Value::String(e.key));
  return MakeList(ctx.arena, keys);
}

Value Values(std::span<const Value> args, CallContext& ctx) {
  const Value& m = args[0];
  if (!m.is(Type::kMap)) return Mismatch(ctx, "values", 0, "a map", m);
  std::vector<Value> values;
  values.reserve(m.as_map().size());
  for (const MapEntry& e : m.as_map()) values.push_back(e.value);
  return MakeList(ctx.arena, values);
}

// has(map, key): false for a null map (the evaluator's kFalse) and a null key.
Value Has(std::span<const Value> args, CallContext& ctx) {
  const Value& m = args[0];
  const Value& key = args[1];
  if (m.is_null() || key.is_null()) return Value::Bool(false);
  if (!m.is(Type::kMap)) return Mismatch(ctx, "has", 0, "a map", m);
  if (!key.is(Type::kString)) return Mismatch(ctx, "has", 1, "a string", key);
  return Value::Bool(m.Find(key.as_string()) != nullptr);
}

// sort(list): ascending; every element a decimal, every element a string (by
// code point, which byte order of UTF-8 gives), or every element a date. Equal
// elements keep their order (1.5 before 1.50 if written so).
Value Sort(std::span<const Value> args, CallContext& ctx) {
  const Value& list = args[0];
  if (!list.is(Type::kList)) return Mismatch(ctx, "sort", 0, "a list", list);
  std::span<const Value> items = list.as_list();
  if (items.empty()) return list;
  const Type type = items[0].type();
  if (type != Type::kDecimal && type != Type::kString && type != Type::kDate) {
    return Invalid(
        ctx, "sort",
        "elements must be decimals, strings or dates, got " + std::string(TypeName(type)),
        DiagCode::kTypeMismatch);
  }
  for (const Value& item : items) {
    if (!item.is(type)) {
      return Invalid(ctx, "sort",
                     "elements must all be of one type, got " + std::string(TypeName(type)) +
                         " and " + std::string(TypeName(item.type())),
                     DiagCode::kTypeMismatch);
    }
  }
  std::vector<Value> sorted(items.begin(), items.end());
  std::stable_sort(sorted.begin(), sorted.end(), [type](const Value& a, const Value& b) {
    switch (type) {
      case Type::kDecimal:
        return a.as_decimal() < b.as_decimal();
      case Type::kString:
        return a.as_string() < b.as_string();
      default:
        return a.as_date() < b.as_date();
    }
  });
  return MakeList(ctx.arena, sorted);
}

// unique(list): the first occurrence of every distinct element (by `==`), in order.
Value Unique(std::span<const Value> args, CallContext& ctx) {
  const Value& list = args[0];
  if (!list.is(Type::kList)) return Mismatch(ctx, "unique", 0, "a list", list);
  std::vector<Value> kept;
  std::vector<Value> kept_containers;
  std::unordered_set<std::string> seen;
  std::string key;
  for (const Value& item : list.as_list()) {
    if (ScalarKey(item, &key)) {
      if (!seen.insert(key).second) continue;
    } else {
      bool dup = std::any_of(kept_containers.begin(), kept_containers.end(),
                             [&](const Value& k) { return Equal(k, item); });
      if (dup) continue;
      kept_containers.push_back(item);
    }
    kept.push_back(item);
  }
  if (kept.size() == list.as_list().size()) return list;
  return MakeList(ctx.arena, kept);
}

constexpr std::span<const std::string_view> kNoResultFields;

constexpr Builtin kCollectionBuiltins[] = {
    {"keys", 1, 1, NullPolicy::kPropagate, Type::kList, &Keys},
    // values(m) lists m's values: the compiler knows their shape when it knows m's.
    {"values", 1, 1, NullPolicy::kPropagate, Type::kList, &Values, -1, false, BuiltinTraits{},
     kNoResultFields, true},
    {"has", 2, 2, NullPolicy::kFalse, Type::kBool, &Has},
    {"sort", 1, 1, NullPolicy::kPropagate, Type::kList, &Sort},
    {"unique", 1, 1, NullPolicy::kPropagate, Type::kList, &Unique},
};

}  // namespace

std::span<const Builtin> CollectionBuiltins() { return kCollectionBuiltins; }

}  // namespace policy::eval
