#include "libpolicy/check/params.h"

#include <yaml-cpp/yaml.h>

namespace policy::check {
namespace {

// Plain YAML scalars typed by the core schema (LANGUAGE.md section 3).
Value TypedScalar(const YAML::Node& node, Arena& arena) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return Value::String(arena.Copy(s));  // quoted
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::Null();
  if (s == "true" || s == "True" || s == "TRUE") return Value::Bool(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value::Bool(false);
  if (std::optional<Decimal> d = Decimal::Parse(s)) return Value::Number(*d);
  return Value::String(arena.Copy(s));
}

Error TypeError(std::string why) { return Error{DiagCode::kParamType, std::move(why)}; }

// A table row of a list param (`{rate: 7.5, from: 2019-07-01}`): a flow map of
// scalars, where a plain `YYYY-MM-DD` is a date, as the `from`/`until` columns
// of a rate table need (a param's default writes them `date("2019-07-01")`).
Result<Value> TableRow(const YAML::Node& node, Arena& arena) {
  MapEntry* entries = arena.AllocateArray<MapEntry>(node.size());
  uint32_t n = 0;
  for (const auto& item : node) {
    if (!item.first.IsScalar() || !item.second.IsScalar()) {
      return TypeError("a list param's maps hold scalars only");
    }
    const std::string& key = item.first.Scalar();
    for (uint32_t i = 0; i < n; ++i) {
      if (entries[i].key == key) {
        return TypeError("key '" + key + "' appears twice in a map");
      }
    }
    Value v = TypedScalar(item.second, arena);
    if (v.is(Type::kString) && item.second.Tag() != "!") {
      if (std::optional<Date> d = Date::ParseIso(item.second.Scalar())) v = Value::OfDate(*d);
    }
    new (&entries[n++]) MapEntry{arena.Copy(key), v};
  }
  return Value::Map(entries, n);
}

}  // namespace

bool MatchesParamType(const std::string& type, const Value& v) {
  if (type == "bool") return v.is(Type::kBool);
  if (type == "decimal") return v.is(Type::kDecimal);
  if (type == "string") return v.is(Type::kString);
  if (type == "date") return v.is(Type::kDate);
  if (type == "list") return v.is(Type::kList);
  return false;
}

Result<Value> ParseParamOverride(const std::string& type, const std::string& text, Arena& arena) {
  if (type == "string") return Value::String(arena.Copy(text));
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return TypeError("not a YAML flow value: " + e.msg);
  }
  if (type == "list") {
    if (!node.IsSequence()) {
      return TypeError("expected a list such as [15, 7.5]");
    }
    Value* items = arena.AllocateArray<Value>(node.size());
    size_t i = 0;
    for (const YAML::Node& item : node) {
      if (item.IsMap()) {
        Result<Value> row = TableRow(item, arena);
        if (!row) return row;
        new (&items[i++]) Value(*row);
        continue;
      }
      if (!item.IsScalar()) {
        return TypeError("list params hold scalars or maps of scalars only");
      }
      new (&items[i++]) Value(TypedScalar(item, arena));
    }
    return Value::List(items, static_cast<uint32_t>(i));
  }
  if (!node.IsScalar()) {
    return TypeError("expected a " + type);
  }
  if (type == "date") {
    if (std::optional<Date> d = Date::ParseIso(node.Scalar())) return Value::OfDate(*d);
    return TypeError("expected a date YYYY-MM-DD");
  }
  Value v = TypedScalar(node, arena);
  if (!MatchesParamType(type, v)) {
    return TypeError("expected a " + type + ", got " + std::string(TypeName(v.type())));
  }
  return v;
}

}  // namespace policy::check
